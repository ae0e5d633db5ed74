#pragma once
/// The headers every web inbox response carries unless its handler set its own: a Content
/// Security Policy without inline script (escaping mistakes cannot run code), no framing
/// (clickjacking), no MIME sniffing, no referrer to other sites, and HSTS when the daemon serves
/// TLS itself (behind a proxy, HSTS is the proxy's to send).

#include "daemon/net/http_types.hpp"

#include <string_view>

namespace otklik::web {

inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
inline constexpr std::string_view kStrictTransportSecurity = "max-age=31536000";

/// Appends each security header `headers` lacks (names compared case-insensitively).
void add_security_headers(Headers& headers, bool tls);

}  // namespace otklik::web
