#pragma once
/// One HTTP/1.1 request and its response over a fresh connection (Connection: close), with a
/// deadline on each phase: resolve+connect, TLS handshake, write, read. No redirects, no
/// decoding: http_client.cpp builds on this.

#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"
#include "daemon/net/http_types.hpp"
#include "daemon/net/url_target.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <cstdint>
#include <string>

namespace otklik {

/// What goes on the wire besides the URL (Host is added from the target). Later headers with
/// the same name replace earlier ones.
struct WireRequest {
  std::string method = "GET";
  Headers headers;
  std::string body;
};

/// The response as received (body still content-encoded).
struct WireResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

/// Per-phase deadlines and the body cap for one exchange.
struct ExchangeLimits {
  Duration connect_timeout;
  Duration tls_timeout;
  Duration write_timeout;
  Duration read_timeout;     ///< headers and body together
  std::uint64_t max_body;    ///< bytes of body on the wire
};

/// Connects to `target` (TLS with `tls` when https: peer and host name verified, SNI set for
/// names), sends the request and reads the response. Failures: timeout, connect_failed,
/// tls_failed, too_large, protocol_error; the detail names the phase and host:port.
/// `tls` must outlive the call. Runs on the calling coroutine's executor (one thread).
boost::asio::awaitable<Result<WireResponse>> exchange(UrlTarget target, WireRequest request, ExchangeLimits limits,
                                                     boost::asio::ssl::context* tls);

}  // namespace otklik
