#include "daemon/web/pages/html_escape.hpp"

#include "daemon/core/utf8.hpp"


namespace otklik::web {

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8 + 8);
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      switch (b) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '\t': case '\n': case '\r': out.push_back(static_cast<char>(b)); break;
        default:
          if (b >= 0x20 && b != 0x7F) out.push_back(static_cast<char>(b));
      }
      continue;
    }
    const char32_t cp = decode_utf8(s, i);
    if (cp >= 0x80 && cp <= 0x9F) continue;  // C1 controls
    append_utf8(out, cp);
  }
  return out;
}

std::optional<std::string_view> http_url(std::string_view url) noexcept {
  auto starts_with_ci = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
      if ((url[i] >= 'A' && url[i] <= 'Z' ? url[i] - 'A' + 'a' : url[i]) != prefix[i]) return false;
    return true;
  };
  std::size_t rest = 0;
  if (starts_with_ci("https://")) rest = 8;
  else if (starts_with_ci("http://")) rest = 7;
  else return std::nullopt;
  if (url.size() == rest) return std::nullopt;  // no host
  for (char c : url) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7F) return std::nullopt;
  }
  return url;
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    const bool alnum = (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
    if (alnum || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
    }
  }
  return out;
}

}  // namespace otklik::web
