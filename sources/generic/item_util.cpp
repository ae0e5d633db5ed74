#include "sources/generic/item_util.hpp"

#include <utility>

#include "sources/generic/html_text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace otklik {

std::string one_line(std::string_view text) {
  std::string s = printable_utf8(text);
  std::replace(s.begin(), s.end(), '\n', ' ');
  return collapse_whitespace(s);
}

std::optional<double> parse_number(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && !std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == text.size()) return std::nullopt;
  const bool negative = i > 0 && text[i - 1] == '-';
  std::string digits;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if ((c == '.' || c == ',') && !seen_point && i + 1 < text.size() &&
               std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      digits += '.';
      seen_point = true;
    } else {
      break;
    }
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{}) return std::nullopt;
  return negative ? -value : value;
}

std::optional<double> normalise_rating(double value, double scale) {
  if (!(scale > 0) || !std::isfinite(value) || !std::isfinite(scale)) return std::nullopt;
  return std::clamp(value / scale * 5.0, 0.0, 5.0);
}

Mention mention_of(const ParseInput& input) {
  Mention m;
  m.source = input.source;
  m.brand = input.brand;
  m.fetched = input.fetched;
  return m;
}

void assign_missing_id(Mention& m) {
  if (m.external_id.empty()) m.external_id = content_hash_id(m);
}

void keep_with_text(ParsedPage& page, Mention&& m, const std::string& when_empty) {
  if (m.text.empty()) {
    page.warnings.push_back(when_empty);
    return;
  }
  assign_missing_id(m);
  page.mentions.push_back(std::move(m));
}

std::string author_display_name(std::string_view rss_author) {
  const auto open = rss_author.find('(');
  const auto close = rss_author.rfind(')');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open + 1 &&
      rss_author.substr(0, open).find('@') != std::string_view::npos)
    return one_line(rss_author.substr(open + 1, close - open - 1));
  return one_line(rss_author);
}

}  // namespace otklik
