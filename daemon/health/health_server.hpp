#pragma once
/// The loopback HTTP/1.1 endpoint for operations: /healthz, /readyz, /metrics, plus routes the
/// application adds (e.g. a POST route for chat interactivity).
///
///   GET /healthz  200 "ok" while the event loop answers
///   GET /readyz   200 "ready" when the readiness check says so, else 503 with its reason
///   GET /metrics  the registry in the Prometheus text format 0.0.4
/// HEAD works wherever GET does; unknown paths get 404, known paths with another method 405.
/// Each connection has a deadline per request (a slow client cannot pin it), request headers and
/// bodies have size caps (431 / 413), and the number of open connections is capped.

#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"
#include "daemon/health/metrics.hpp"
#include "daemon/net/http_types.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace otklik::health {

using namespace std::chrono_literals;

/// A request as a route handler sees it.
struct ServerRequest {
  std::string method;   ///< "GET", "POST" … (HEAD requests reach GET handlers as "HEAD")
  std::string target;   ///< path and query as sent
  std::string path;     ///< target without the query
  std::string query;    ///< after '?', undecoded; "" when none
  Headers headers;
  std::string body;     ///< raw bytes (e.g. for HMAC signature checks)
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

/// A response from a route handler. Content-Length is added by the server.
struct ServerResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  Headers headers;      ///< extra headers
  std::string body;

  static ServerResponse text(int status, std::string body);
};

/// A route handler. It runs on the I/O thread: keep it short (answer, then post any slow work).
/// An exception from it is answered with 500 and logged.
using RouteHandler = std::function<ServerResponse(const ServerRequest&)>;
/// A route handler that waits for something (the store, say) before it answers; the connection's
/// coroutine awaits it, other connections and the rest of the daemon go on meanwhile.
using AsyncRouteHandler = std::function<boost::asio::awaitable<ServerResponse>(ServerRequest)>;

/// Ready, or not ready with a reason shown by /readyz ("store not migrated", "config not loaded").
struct Readiness {
  bool ready = false;
  std::string reason;
};
using ReadinessCheck = std::function<Readiness()>;

struct HealthServerOptions {
  std::size_t max_header_bytes = 8 * 1024;   ///< request line + headers; over it: 431
  std::size_t max_body_bytes = 64 * 1024;    ///< request body; over it: 413
  Duration request_timeout = 10s;            ///< to read one whole request (idle keep-alive included)
  Duration write_timeout = 10s;              ///< to write one response
  std::size_t max_connections = 32;          ///< further connections are closed at once
};

/// Parses "127.0.0.1:9464", "[::1]:9464" or "localhost:9464" (= 127.0.0.1). Only IP literals
/// (and "localhost"): the listen address is never resolved through DNS. Port 0 = any free port.
Result<boost::asio::ip::tcp::endpoint> parse_listen_address(std::string_view address);

class HealthServer {
 public:
  /// `metrics` and the check must outlive the server. A null logger disables logging.
  HealthServer(boost::asio::any_io_executor executor, MetricsRegistry& metrics,
               ReadinessCheck readiness, HealthServerOptions options = {},
               std::shared_ptr<spdlog::logger> logger = nullptr);
  ~HealthServer();
  HealthServer(const HealthServer&) = delete;
  HealthServer& operator=(const HealthServer&) = delete;

  /// Opens, binds and listens. Returns the bound endpoint (with the real port when 0 was asked).
  /// Fails as a value: bad address, address in use, permission.
  Result<boost::asio::ip::tcp::endpoint> listen(std::string_view address);

  /// Adds (or replaces) the handler for `method` ("GET", "POST"…) on the exact `path`. A GET
  /// route also answers HEAD. Built-in paths can be overridden. Call before or while running,
  /// from the I/O thread.
  void add_route(std::string method, std::string path, RouteHandler handler);
  /// The same with a handler that is a coroutine.
  void add_async_route(std::string method, std::string path, AsyncRouteHandler handler);

  /// Accepts connections until stop(); each connection is served by its own coroutine. Completes
  /// after stop() (sessions still open are closed by stop() and end on their own). Throws only on
  /// bugs (not listening).
  boost::asio::awaitable<void> run();

  /// Closes the acceptor and every open connection. Idempotent. Call on the I/O thread.
  void stop();

  /// The bound endpoint after listen().
  [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const;
  /// Connections open right now.
  [[nodiscard]] std::size_t open_connections() const;

  /// Implementation detail, shared with the connection coroutines so they may outlive the server.
  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace otklik::health
