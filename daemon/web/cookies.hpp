#pragma once
/// The Cookie request header read, and Set-Cookie values written, for the web inbox's session
/// cookie: always HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site POSTs) and
/// Path=/; Secure unless the operator turned it off.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otklik::web {

/// The name=value pairs of a Cookie header ("a=1; b=2"), in order, values without surrounding
/// double quotes. Pairs without '=' or with an empty name are skipped (browsers send what
/// other sites' scripts set; one odd pair must not hide ours).
std::vector<std::pair<std::string, std::string>> parse_cookie_header(std::string_view header);

/// The value of the first cookie named `name` in a Cookie header.
std::optional<std::string> cookie_value(std::string_view header, std::string_view name);

struct CookieOptions {
  bool secure = true;                           ///< add `Secure`
  std::optional<std::chrono::seconds> max_age;  ///< none: a cookie that ends with the browser
};

/// A Set-Cookie header value. `name` must be an HTTP token and `value` cookie-octets (RFC 6265
/// 4.1.1); anything else is a bug of the caller: std::invalid_argument.
std::string set_cookie(std::string_view name, std::string_view value, const CookieOptions& options);

/// A Set-Cookie value that makes the browser drop the cookie (empty value, Max-Age=0).
std::string clear_cookie(std::string_view name, bool secure);

}  // namespace otklik::web
