#pragma once
/// The HTTP proxy's side of the client, as pure functions: the CONNECT request that opens a
/// tunnel for https (RFC 9110 §9.3.6), the judgement of the proxy's reply, and the
/// Proxy-Authorization value (Basic, RFC 7617) that CONNECT and plain forwarding of http requests
/// (absolute-form targets) carry. proxy_tunnel.cpp and http_exchange.cpp do the I/O.

#include "daemon/config/proxy_config.hpp"
#include "daemon/core/error.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// "Basic dXNlcjpwYXNz" for the proxy's user and password; "" when it has no user.
std::string proxy_authorization(const ProxyConfig& proxy);

/// The CONNECT request for `authority` ("host:port", "[v6]:port"), with Host and, when the proxy
/// has a user, Proxy-Authorization.
std::string connect_request(const ProxyConfig& proxy, std::string_view authority);

/// Judges the head of the proxy's reply to CONNECT (status line and headers, through the blank
/// line): nullopt for a 2xx (the tunnel is open). Otherwise a Failure that says whose fault it
/// is: connect_failed "connect to host:port through proxy …: 502 Bad Gateway" when the proxy
/// could not reach the target (500, 502, 503, 504); proxy_failed for the proxy's own refusals
/// (407: credentials missing or refused, 403…) and for replies that are not HTTP.
std::optional<Failure> judge_connect_reply(std::string_view head, const ProxyConfig& proxy, std::string_view authority);

/// The failure for a 407 to a forwarded http request: proxy_failed, "proxy … requires
/// credentials" or "… refused the credentials".
Failure proxy_auth_failure(const ProxyConfig& proxy);

}  // namespace otklik
