#pragma once
/// The proxy half of the client's connect step: over a TCP stream already connected to the proxy,
/// asks for a tunnel to the target (HTTP CONNECT, or SOCKS5 CONNECT by name), driving the
/// protocol code of http_proxy_protocol.hpp and socks5_handshake.hpp.

#include "daemon/config/proxy_config.hpp"
#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"
#include "daemon/net/url_target.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace otklik {

/// Opens a tunnel through `proxy` to `target` on `stream`, within `timeout`. Afterwards the
/// stream talks to the target (TLS, if any, comes next). Failures: proxy_failed (the proxy
/// refused us or our credentials, closed the connection, or spoke wrongly), connect_failed (the
/// proxy could not reach the target: "connect to host:port through proxy …: connection
/// refused"), timeout, cancelled. No detail ever holds the proxy's password.
boost::asio::awaitable<Result<void>> open_tunnel(boost::beast::tcp_stream& stream, const ProxyConfig& proxy,
                                                 const UrlTarget& target, Duration timeout);

}  // namespace otklik
