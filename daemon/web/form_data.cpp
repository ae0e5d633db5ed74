#include "daemon/web/form_data.hpp"

#include "daemon/core/utf8.hpp"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>

namespace otklik::web {

namespace urls = boost::urls;

namespace {

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    if (decode_utf8(s, i) == kReplacementChar) {
      // U+FFFD itself is fine when spelled as its own three bytes.
      if (s.substr(at, 3) != "\xEF\xBF\xBD") return false;
      i = at + 3;
    }
  }
  return true;
}

Result<FormData> parse_encoded(std::string_view text, std::string_view what) {
  FormData empty;
  if (text.empty()) return empty;
  auto parsed = urls::parse_query(text);
  if (!parsed) return Failure(errc::invalid_input, std::string(what) + ": malformed (" + parsed.error().message() + ")");
  urls::encoding_opts opts;
  opts.space_as_plus = true;
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& p : *parsed) {
    // "a&&b" and a trailing '&' hold empty names: skip them as browsers do.
    if (p.key.empty() && !p.has_value) continue;
    std::string name = p.key.decode(opts);
    std::string value = p.has_value ? p.value.decode(opts) : std::string();
    if (!valid_utf8(name) || !valid_utf8(value)) {
      return Failure(errc::invalid_input, std::string(what) + ": field '" + std::string(p.key) + "' is not UTF-8");
    }
    fields.emplace_back(std::move(name), std::move(value));
  }
  return FormData(std::move(fields));
}

}  // namespace

std::optional<std::string_view> FormData::get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string_view> FormData::all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : fields_) {
    if (n == name) out.emplace_back(v);
  }
  return out;
}

Result<FormData> parse_form(std::string_view body) { return parse_encoded(body, "form"); }
Result<FormData> parse_query(std::string_view query) { return parse_encoded(query, "query"); }

}  // namespace otklik::web
