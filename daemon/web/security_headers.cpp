#include "daemon/web/security_headers.hpp"

namespace otklik::web {

void add_security_headers(Headers& headers, bool tls) {
  const auto add = [&](std::string_view name, std::string_view value) {
    if (!find_header(headers, name)) headers.emplace_back(name, value);
  };
  add("Content-Security-Policy", kContentSecurityPolicy);
  add("X-Content-Type-Options", "nosniff");
  add("X-Frame-Options", "DENY");
  add("Referrer-Policy", "same-origin");
  if (tls) add("Strict-Transport-Security", kStrictTransportSecurity);
}

}  // namespace otklik::web
