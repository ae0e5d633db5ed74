#include "daemon/web/cookies.hpp"

#include <stdexcept>

namespace otklik::web {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// RFC 9110 tchar.
bool token_char(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// RFC 6265 cookie-octet: visible ASCII except '"', ',', ';' and '\\'.
bool cookie_octet(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x21 && u <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_cookie_header(std::string_view header) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!header.empty()) {
    const auto semi = header.find(';');
    const std::string_view pair = trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = trim(pair.substr(0, eq));
    std::string_view value = trim(pair.substr(eq + 1));
    if (name.empty()) continue;
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    out.emplace_back(name, value);
  }
  return out;
}

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  for (auto& [n, v] : parse_cookie_header(header)) {
    if (n == name) return std::move(v);
  }
  return std::nullopt;
}

std::string set_cookie(std::string_view name, std::string_view value, const CookieOptions& options) {
  if (name.empty()) throw std::invalid_argument("cookie name is empty");
  for (char c : name) {
    if (!token_char(c)) throw std::invalid_argument("cookie name '" + std::string(name) + "' is not a token");
  }
  for (char c : value) {
    if (!cookie_octet(c)) throw std::invalid_argument("cookie '" + std::string(name) + "': value has a character cookies cannot hold");
  }
  std::string out(name);
  out += '=';
  out += value;
  out += "; Path=/; HttpOnly; SameSite=Lax";
  if (options.secure) out += "; Secure";
  if (options.max_age) out += "; Max-Age=" + std::to_string(std::max<long long>(0, options.max_age->count()));
  return out;
}

std::string clear_cookie(std::string_view name, bool secure) {
  return set_cookie(name, "", CookieOptions{secure, std::chrono::seconds{0}});
}

}  // namespace otklik::web
