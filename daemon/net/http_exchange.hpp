#pragma once
/// One HTTP/1.1 request and its response over an open connection (fresh or from the pool), with
/// a deadline on the write and on the read. It reports whether the connection may carry another
/// request and, on failure, what the keep-alive rules need to decide on a retry. No redirects,
/// no decoding: http_client.cpp builds on this.

#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"
#include "daemon/net/http_types.hpp"
#include "daemon/net/keep_alive.hpp"
#include "daemon/net/url_target.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>

namespace otklik {

class HttpConnection;

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

/// Per-phase deadlines and the body cap for one request.
struct ExchangeLimits {
  Duration connect_timeout;
  Duration tls_timeout;
  Duration write_timeout;
  Duration read_timeout;     ///< headers and body together
  std::uint64_t max_body;    ///< bytes of body on the wire
};

/// How one exchange ended.
struct ExchangeOutcome {
  Result<WireResponse> response{Failure(errc::protocol_error)};
  bool reusable = false;  ///< a complete response that lets the connection carry another request
  BrokenExchange broken;  ///< on failure: where and how (for the retry rule)
};

/// Sends `request` to `target` over `connection` and reads the response. Failures: timeout,
/// too_large, protocol_error, cancelled; the detail names the phase ("write to host:port",
/// "read from host:port"). Runs on the calling coroutine's executor (one thread). The arguments
/// are references: the caller awaits the call at once and keeps them alive meanwhile.
boost::asio::awaitable<ExchangeOutcome> exchange(HttpConnection& connection, const UrlTarget& target,
                                                 const WireRequest& request, const ExchangeLimits& limits);

}  // namespace otklik
