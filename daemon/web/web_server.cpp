#include "daemon/web/web_server.hpp"

#include "daemon/health/health_server.hpp"
#include "daemon/net/read_error_status.hpp"
#include "daemon/web/security_headers.hpp"
#include "daemon/web/web_routes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <spdlog/spdlog.h>

#include <array>
#include <unordered_map>

namespace otklik::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using asio::ip::tcp;

namespace {
constexpr auto kToken = asio::as_tuple(asio::use_awaitable);
constexpr int kMaxRequestsPerConnection = 1000;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
}  // namespace

struct WebServer::State {
  State(asio::any_io_executor ex, WebServerOptions o, std::shared_ptr<asio::ssl::context> t,
        std::shared_ptr<spdlog::logger> l)
      : executor(ex), acceptor(ex), options(o), tls(std::move(t)), log(std::move(l)) {}

  asio::any_io_executor executor;
  tcp::acceptor acceptor;
  WebServerOptions options;
  std::shared_ptr<asio::ssl::context> tls;
  std::shared_ptr<spdlog::logger> log;
  RouteTable routes;
  /// The TCP layer of every open connection, for stop(); each entry is removed by its session.
  std::unordered_map<std::uint64_t, beast::tcp_stream*> connections;
  std::uint64_t next_connection = 0;
  std::size_t streams = 0;
  bool stopped = false;

  void close_all() {
    stopped = true;
    boost::system::error_code ec;
    acceptor.close(ec);
    for (auto& [id, stream] : connections) stream->socket().close(ec);
  }
};

namespace {

using StatePtr = std::shared_ptr<WebServer::State>;

beast::tcp_stream& tcp_layer(beast::tcp_stream& s) { return s; }
beast::tcp_stream& tcp_layer(TlsStream& s) { return s.next_layer(); }

void close_socket(beast::tcp_stream& s) {
  boost::system::error_code ec;
  s.socket().shutdown(tcp::socket::shutdown_both, ec);
  s.socket().close(ec);
}

/// The event stream of one connection. The connection's coroutine writes; a watcher coroutine
/// reads, so that a client going away is seen at once, not at the next event.
template <class Stream>
class ConnectionEvents final : public EventStream {
 public:
  ConnectionEvents(std::shared_ptr<Stream> stream, Duration write_timeout)
      : stream_(std::move(stream)), write_timeout_(write_timeout) {}

  [[nodiscard]] bool open() const noexcept override { return open_; }
  void end() { open_ = false; }
  asio::cancellation_signal& cancel() { return cancel_; }
  Stream& stream() { return *stream_; }

 protected:
  asio::awaitable<bool> write(std::string bytes) override {
    if (!open_) co_return false;
    // Only the write timer: the watcher's read stays without a deadline.
    tcp_layer(*stream_).expires_after(write_timeout_);
    auto [ec, n] = co_await asio::async_write(*stream_, asio::buffer(bytes), kToken);
    (void)n;
    if (ec) {
      open_ = false;
      close_socket(tcp_layer(*stream_));
    }
    co_return open_;
  }

 private:
  std::shared_ptr<Stream> stream_;
  Duration write_timeout_;
  bool open_ = true;
  asio::cancellation_signal cancel_;
};

/// Reads (and drops) whatever the client sends on an event stream until the connection ends —
/// the client closed it, or stop() did — then ends the stream and cancels its body.
template <class Stream>
asio::awaitable<void> watch_client(std::shared_ptr<ConnectionEvents<Stream>> events, std::shared_ptr<bool> body_done) {
  std::array<char, 512> sink{};
  for (;;) {
    auto [ec, n] = co_await events->stream().async_read_some(asio::buffer(sink), kToken);
    (void)n;
    if (ec) break;
  }
  events->end();
  if (!*body_done) events->cancel().emit(asio::cancellation_type::terminal);
}

asio::awaitable<void> run_stream_body(StreamBody body, std::shared_ptr<EventStream> events) {
  co_await body(std::move(events));
}

WebRequest to_web_request(const http::request<http::string_body>& req, const asio::ip::address& peer, bool tls) {
  WebRequest r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  const auto q = r.target.find('?');
  r.path = r.target.substr(0, q);
  if (q != std::string::npos) r.query = r.target.substr(q + 1);
  for (const auto& field : req) r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  r.body = req.body();
  r.peer = peer;
  r.tls = tls;
  return r;
}

/// Finds and runs the request's handler; no route is a 404 or 405, an exception a 500 (logged).
asio::awaitable<WebResponse> dispatch(StatePtr state, WebRequest req) {
  auto found = state->routes.find(req.method, req.path);
  if (auto* miss = std::get_if<RouteMiss>(&found)) {
    if (miss->status == 404) co_return WebResponse::text(404, "not found\n");
    auto r = WebResponse::text(405, "method not allowed\n");
    r.headers.emplace_back("Allow", miss->allow);
    co_return r;
  }
  auto& match = std::get<RouteMatch>(found);
  // A copy: the handler may replace routes while it runs.
  const WebHandler handler = *match.handler;
  req.rest = std::move(match.rest);
  std::string error;
  try {
    co_return co_await handler(req);
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (state->log) state->log->error("web: handler for {} {} threw: {}", req.method, req.path, error);
  co_return WebResponse::text(500, "internal error\n");
}

template <class Body>
void set_headers(http::response<Body>& res, const WebResponse& r) {
  res.set(http::field::server, "otklik");
  res.set(http::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) res.insert(name, value);
}

/// Sends the headers of an event stream and runs its body until it returns, the client goes
/// away or the server stops. The connection is closed afterwards.
template <class Stream>
asio::awaitable<void> serve_events(StatePtr state, std::shared_ptr<Stream> stream, WebResponse response,
                                   unsigned version) {
  http::response<http::empty_body> res{http::status::ok, version};
  set_headers(res, response);
  res.set(http::field::cache_control, "no-store");
  res.set("X-Accel-Buffering", "no");  // nginx: pass events on at once
  res.keep_alive(false);
  // No Content-Length and no chunking: the body ends when the connection does (RFC 9112 6.3).
  http::response_serializer<http::empty_body> serializer(res);
  tcp_layer(*stream).expires_after(state->options.write_timeout);
  auto [ec, n] = co_await http::async_write_header(*stream, serializer, kToken);
  (void)n;
  if (ec) co_return;

  ++state->streams;
  struct Count {
    WebServer::State& s;
    ~Count() { --s.streams; }
  } count{*state};
  auto events = std::make_shared<ConnectionEvents<Stream>>(stream, state->options.write_timeout);
  auto body_done = std::make_shared<bool>(false);
  tcp_layer(*stream).expires_never();
  asio::co_spawn(state->executor, watch_client(events, body_done), asio::detached);
  auto [error] = co_await asio::co_spawn(state->executor, run_stream_body(response.stream, events),
                                         asio::bind_cancellation_slot(events->cancel().slot(), kToken));
  *body_done = true;
  events->end();
  if (error && events->open() && state->log) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      state->log->error("web: event stream ended by an exception: {}", e.what());
    }
  }
}

/// Serves requests on one connection (plain or TLS) until it closes, fails, or asks to close.
template <class Stream>
asio::awaitable<void> serve(StatePtr state, std::shared_ptr<Stream> stream, asio::ip::address peer, bool tls) {
  const auto& opt = state->options;
  beast::flat_buffer buffer(opt.max_header_bytes + opt.max_body_bytes + 1024);
  for (int served = 0; served < kMaxRequestsPerConnection && !state->stopped; ++served) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
    parser.body_limit(opt.max_body_bytes);
    tcp_layer(*stream).expires_after(opt.request_timeout);
    auto [read_ec, read_n] = co_await http::async_read(*stream, buffer, parser, kToken);
    (void)read_n;

    WebResponse response;
    bool keep_alive = false;
    bool head = false;
    unsigned version = 11;
    if (read_ec) {
      const int status = status_for_read_error(read_ec);
      if (status == 0) break;  // closed, reset, timed out, stopped
      if (state->log) state->log->debug("web: rejected a request from {}: {}", peer.to_string(), read_ec.message());
      response = WebResponse::text(status, status == 400 ? "bad request\n" : "request too large\n");
    } else {
      const auto& req = parser.get();
      version = req.version();
      head = req.method() == http::verb::head;
      keep_alive = req.keep_alive() && served + 1 < kMaxRequestsPerConnection;
      response = co_await dispatch(state, to_web_request(req, peer, tls));
    }
    add_security_headers(response.headers, tls);

    if (response.stream && !head) {
      if (state->streams >= opt.max_streams) {
        response = WebResponse::text(503, "too many live clients\n");
        add_security_headers(response.headers, tls);
      } else {
        co_await serve_events(state, stream, std::move(response), version);
        break;
      }
    }

    http::response<http::string_body> res{static_cast<http::status>(response.status), version};
    set_headers(res, response);
    res.keep_alive(keep_alive);
    if (head) {
      res.content_length(response.body.size());
    } else {
      res.body() = std::move(response.body);
      res.prepare_payload();
    }
    tcp_layer(*stream).expires_after(opt.write_timeout);
    auto [write_ec, write_n] = co_await http::async_write(*stream, res, kToken);
    (void)write_n;
    if (write_ec || !keep_alive) break;
  }
}

asio::awaitable<void> session(StatePtr state, tcp::socket socket) {
  boost::system::error_code peer_ec;
  const auto peer = socket.remote_endpoint(peer_ec).address();
  const auto id = state->next_connection++;
  struct Unregister {
    WebServer::State& s;
    std::uint64_t id;
    ~Unregister() { s.connections.erase(id); }
  } unregister{*state, id};

  if (!state->tls) {
    auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
    state->connections.emplace(id, stream.get());
    co_await serve(state, stream, peer, false);
    close_socket(*stream);
    co_return;
  }
  auto stream = std::make_shared<TlsStream>(beast::tcp_stream(std::move(socket)), *state->tls);
  state->connections.emplace(id, &stream->next_layer());
  stream->next_layer().expires_after(state->options.request_timeout);
  auto [ec] = co_await stream->async_handshake(asio::ssl::stream_base::server, kToken);
  if (ec) {
    if (state->log) state->log->debug("web: TLS handshake with {} failed: {}", peer.to_string(), ec.message());
  } else {
    co_await serve(state, stream, peer, true);
    if (!state->stopped) {
      // close_notify, briefly: a client that does not answer is not waited for.
      stream->next_layer().expires_after(std::chrono::seconds(1));
      auto [shutdown_ec] = co_await stream->async_shutdown(kToken);
      (void)shutdown_ec;
    }
  }
  close_socket(stream->next_layer());
}

void log_session_end(const StatePtr& state, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    if (state->log) state->log->error("web: connection ended by an exception: {}", ex.what());
  }
}

asio::awaitable<void> accept_loop(StatePtr state) {
  if (!state->acceptor.is_open() && !state->stopped) throw std::logic_error("WebServer::run() before a successful listen()");
  while (!state->stopped) {
    auto [ec, socket] = co_await state->acceptor.async_accept(kToken);
    if (state->stopped || ec == asio::error::operation_aborted) break;
    if (ec) {
      // Out of descriptors and the like: log and pause instead of spinning.
      if (state->log) state->log->warn("web: accept failed: {}", ec.message());
      asio::steady_timer pause(state->executor, std::chrono::milliseconds(100));
      auto [wait_ec] = co_await pause.async_wait(kToken);
      if (wait_ec) break;
      continue;
    }
    if (state->connections.size() >= state->options.max_connections) {
      if (state->log) state->log->warn("web: {} connections open, refusing one", state->connections.size());
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    asio::co_spawn(state->executor, session(state, std::move(socket)),
                   [state](std::exception_ptr e) { log_session_end(state, e); });
  }
  state->close_all();
}

}  // namespace

WebServer::WebServer(asio::any_io_executor executor, WebServerOptions options, std::shared_ptr<asio::ssl::context> tls,
                     std::shared_ptr<spdlog::logger> logger)
    : state_(std::make_shared<State>(executor, options, std::move(tls), std::move(logger))) {}

WebServer::~WebServer() { state_->close_all(); }

Result<tcp::endpoint> WebServer::listen(std::string_view address) {
  auto endpoint = health::parse_listen_address(address);
  if (!endpoint) return endpoint.error();
  auto& acceptor = state_->acceptor;
  boost::system::error_code ec;
  const auto fail = [&](std::string_view step) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    return Failure(errc::io_error, std::string(step) + " " + std::string(address) + ": " + ec.message());
  };
  acceptor.open(endpoint->protocol(), ec);
  if (ec) return fail("open");
  acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) return fail("set SO_REUSEADDR on");
  if (endpoint->address().is_v6()) {
    acceptor.set_option(asio::ip::v6_only(true), ec);
    if (ec) return fail("set IPV6_V6ONLY on");
  }
  acceptor.bind(*endpoint, ec);
  if (ec) return fail("bind");
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  state_->stopped = false;
  return acceptor.local_endpoint();
}

void WebServer::add_route(std::string method, std::string path, WebHandler handler) {
  state_->routes.add(std::move(method), std::move(path), std::move(handler));
}

void WebServer::add_prefix_route(std::string method, std::string prefix, WebHandler handler) {
  state_->routes.add_prefix(std::move(method), std::move(prefix), std::move(handler));
}

asio::awaitable<void> WebServer::run() { return accept_loop(state_); }

void WebServer::stop() { state_->close_all(); }

tcp::endpoint WebServer::local_endpoint() const {
  boost::system::error_code ec;
  return state_->acceptor.local_endpoint(ec);
}

std::size_t WebServer::open_connections() const { return state_->connections.size(); }

std::size_t WebServer::open_streams() const { return state_->streams; }

}  // namespace otklik::web
