#include "daemon/channels/mattermost_text.hpp"

#include "daemon/channels/text_util.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cctype>

namespace otklik::channels {
namespace {

std::string mm_strong(std::string_view escaped) { return wrap_lines(escaped, "**", "**"); }
std::string mm_emphasis(std::string_view escaped) { return wrap_lines(escaped, "_", "_"); }
std::string mm_link(std::string_view url, std::string_view label) {
  std::string u;
  for (char c : url) {
    if (c == '(') u += "%28";
    else if (c == ')') u += "%29";
    else u.push_back(c);
  }
  return fmt::format("[{}]({})", label, u);
}

constexpr Markup kMattermost{escape_mattermost, mm_strong, mm_emphasis, mm_link};
constexpr std::string_view kPunct = "\\`*_~[]()<>#|!";

}  // namespace

std::string escape_mattermost(std::string_view text) {
  const std::string clean = chat_safe_text(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  bool line_start = true;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    const char c = clean[i];
    if (line_start && (c == '-' || c == '+' || c == '=')) {
      out += '\\';
    } else if (line_start && std::isdigit(static_cast<unsigned char>(c))) {
      // "1. item" / "1) item" would start an ordered list: escape the dot or parenthesis.
      std::size_t j = i;
      while (j < clean.size() && std::isdigit(static_cast<unsigned char>(clean[j]))) ++j;
      out.append(clean, i, j - i);
      if (j < clean.size() && (clean[j] == '.' || clean[j] == ')')) {
        out += '\\';
        out += clean[j];
        ++j;
      }
      i = j - 1;
      line_start = false;
      continue;
    }
    if (kPunct.find(c) != std::string_view::npos) out += '\\';
    out += c;
    if (c == '@') out += "\u200B";
    if (c == '\n') line_start = true;
    else if (c != ' ' && c != '\t') line_start = false;
  }
  return out;
}

const Markup& mattermost_markup() noexcept { return kMattermost; }

std::string build_mattermost_payload(const AlertContent& content, const Strings& strings) {
  std::string text = render_alert(content, strings, kMattermost).joined();
  if (code_point_length(text) > kMattermostMaxChars) {
    std::size_t cut = prefix_within(text, kMattermostMaxChars - 2);
    const std::size_t nl = text.rfind('\n', cut);
    if (nl != std::string::npos && nl > cut / 2) cut = nl;
    text.resize(cut);
    text += "\n\u2026";
  }
  return boost::json::serialize(boost::json::object{{"text", text}});
}

}  // namespace otklik::channels
