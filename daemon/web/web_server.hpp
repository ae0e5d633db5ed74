#pragma once
/// The web inbox's HTTP/1.1 server (Boost.Beast), over plain TCP or TLS.
///
/// Routes are method + exact path or method + path prefix (web_routes.hpp); handlers are
/// coroutines answering a WebResponse, or an event stream (server-sent events) that lives until
/// the client goes away or the server stops. HEAD works wherever GET does; unknown paths get
/// 404, known paths with another method 405 (with Allow); a handler that throws gets 500, logged.
/// Every response carries the security headers (security_headers.hpp) unless its handler set its
/// own. Caps: request header bytes (431), body bytes (413), open connections (further ones are
/// closed at once), open event streams (503); deadlines: to read each request (the idle time of
/// a kept-alive connection included), the TLS handshake, and to write each response or event.

#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"
#include "daemon/web/web_types.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace boost::asio::ssl {
class context;
}
namespace spdlog {
class logger;
}

namespace otklik::web {

using namespace std::chrono_literals;

struct WebServerOptions {
  std::size_t max_header_bytes = 16 * 1024;  ///< request line + headers (cookies included); over it: 431
  std::size_t max_body_bytes = 64 * 1024;    ///< request body (form posts); over it: 413
  Duration request_timeout = 30s;            ///< to read one whole request, or the TLS handshake
  Duration write_timeout = 15s;              ///< to write one response, or one event of a stream
  std::size_t max_connections = 256;         ///< [web] max_connections; further ones are closed at once
  std::size_t max_streams = 100;             ///< [web] max_live_clients; a further stream gets 503
};

class WebServer {
 public:
  /// `tls`: serve HTTPS with this context (tls_context.hpp); null: plain HTTP. A null logger
  /// disables logging.
  WebServer(boost::asio::any_io_executor executor, WebServerOptions options = {},
            std::shared_ptr<boost::asio::ssl::context> tls = nullptr, std::shared_ptr<spdlog::logger> logger = nullptr);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  /// Opens, binds and listens on "HOST:PORT" (health::parse_listen_address). Returns the bound
  /// endpoint (the real port when 0 was asked). Fails as a value: bad address, in use, permission.
  Result<boost::asio::ip::tcp::endpoint> listen(std::string_view address);

  /// Adds (or replaces) the handler of `method` on exactly `path`. Call from the I/O thread.
  void add_route(std::string method, std::string path, WebHandler handler);
  /// Adds (or replaces) the handler of `method` for every path starting with `prefix` ("/case/");
  /// the handler finds the rest of the path in WebRequest::rest.
  void add_prefix_route(std::string method, std::string prefix, WebHandler handler);

  /// Accepts connections until stop(); each connection is served by its own coroutine. Throws
  /// only on bugs (not listening).
  boost::asio::awaitable<void> run();

  /// Closes the acceptor and every open connection, event streams included (their bodies are
  /// cancelled). Idempotent. Call on the I/O thread.
  void stop();

  [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const;
  [[nodiscard]] std::size_t open_connections() const;
  [[nodiscard]] std::size_t open_streams() const;

  /// Implementation detail, shared with the connection coroutines so they may outlive the server.
  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace otklik::web
