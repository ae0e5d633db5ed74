#include "daemon/health/health_server.hpp"

#include "daemon/net/read_error_status.hpp"

#include <variant>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <spdlog/spdlog.h>

#include <charconv>
#include <map>
#include <unordered_map>

namespace otklik::health {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using asio::ip::tcp;

namespace {
constexpr auto kToken = asio::as_tuple(asio::use_awaitable);
constexpr int kMaxRequestsPerConnection = 100;
}  // namespace

ServerResponse ServerResponse::text(int status, std::string body) {
  ServerResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Result<tcp::endpoint> parse_listen_address(std::string_view address) {
  const auto bad = [&](std::string_view why) {
    return Failure(errc::invalid_input, "listen address '" + std::string(address) + "': " + std::string(why));
  };
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos) return bad("expected HOST:PORT");
  std::string_view host = address.substr(0, colon);
  const std::string_view port_text = address.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535) {
    return bad("bad port");
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    boost::system::error_code aec;
    const auto ip = asio::ip::make_address_v6(std::string(host), aec);
    if (aec) return bad("bad IPv6 address");
    return tcp::endpoint(ip, static_cast<unsigned short>(port));
  }
  if (host == "localhost") return tcp::endpoint(asio::ip::address_v4::loopback(), static_cast<unsigned short>(port));
  boost::system::error_code aec;
  const auto ip = asio::ip::make_address_v4(std::string(host), aec);
  if (aec) return bad("expected an IPv4 address, [IPv6] or localhost");
  return tcp::endpoint(ip, static_cast<unsigned short>(port));
}

struct HealthServer::State {
  State(asio::any_io_executor ex, MetricsRegistry& m, ReadinessCheck r, HealthServerOptions o,
        std::shared_ptr<spdlog::logger> l)
      : executor(ex), acceptor(ex), metrics(m), readiness(std::move(r)), options(o), log(std::move(l)) {}

  asio::any_io_executor executor;
  tcp::acceptor acceptor;
  MetricsRegistry& metrics;
  ReadinessCheck readiness;
  HealthServerOptions options;
  std::shared_ptr<spdlog::logger> log;
  std::map<std::string, std::map<std::string, AsyncRouteHandler>> routes;  ///< path → method → handler
  std::unordered_map<std::uint64_t, std::shared_ptr<beast::tcp_stream>> sessions;
  std::uint64_t next_session = 0;
  bool stopped = false;

  void close_all() {
    stopped = true;
    boost::system::error_code ec;
    acceptor.close(ec);
    for (auto& [id, stream] : sessions) stream->socket().close(ec);
  }

  /// The route's handler, or the response when there is none (404, 405).
  std::variant<AsyncRouteHandler, ServerResponse> find(const ServerRequest& req) {
    const auto path = routes.find(req.path);
    if (path == routes.end()) return ServerResponse::text(404, "not found\n");
    auto handler = path->second.find(req.method);
    if (handler == path->second.end() && req.method == "HEAD") handler = path->second.find("GET");
    if (handler == path->second.end()) {
      std::string allow;
      for (const auto& [method, h] : path->second) {
        if (!allow.empty()) allow += ", ";
        allow += method;
        if (method == "GET" && !path->second.contains("HEAD")) allow += ", HEAD";
      }
      auto r = ServerResponse::text(405, "method not allowed\n");
      r.headers.emplace_back("Allow", allow);
      return r;
    }
    return handler->second;
  }
};

namespace {

/// Runs a request's handler; an exception is a 500, logged.
asio::awaitable<ServerResponse> dispatch(std::shared_ptr<HealthServer::State> state, ServerRequest req) {
  auto found = state->find(req);
  if (auto* response = std::get_if<ServerResponse>(&found)) co_return std::move(*response);
  std::string error;
  try {
    co_return co_await std::get<AsyncRouteHandler>(found)(req);
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (state->log) state->log->error("health: handler for {} {} threw: {}", req.method, req.path, error);
  co_return ServerResponse::text(500, "internal error\n");
}

/// A plain handler as a coroutine (a named function: no capturing lambda coroutine).
asio::awaitable<ServerResponse> call_plain(std::shared_ptr<RouteHandler> handler, ServerRequest req) {
  co_return (*handler)(req);
}

ServerRequest to_server_request(const http::request<http::string_body>& req) {
  ServerRequest r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  const auto q = r.target.find('?');
  r.path = r.target.substr(0, q);
  if (q != std::string::npos) r.query = r.target.substr(q + 1);
  for (const auto& field : req) r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  r.body = req.body();
  return r;
}

http::response<http::string_body> to_beast(const ServerResponse& r, unsigned version, bool head,
                                           bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  res.set(http::field::server, "otklik");
  res.set(http::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) res.insert(name, value);
  res.keep_alive(keep_alive);
  if (head) {
    res.content_length(r.body.size());
  } else {
    res.body() = r.body;
    res.prepare_payload();
  }
  return res;
}

asio::awaitable<void> session(std::shared_ptr<HealthServer::State> state, tcp::socket socket) {
  auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
  const auto id = state->next_session++;
  state->sessions.emplace(id, stream);
  struct Unregister {
    HealthServer::State& s;
    std::uint64_t id;
    ~Unregister() { s.sessions.erase(id); }
  } unregister{*state, id};

  const auto& opt = state->options;
  beast::flat_buffer buffer(opt.max_header_bytes + opt.max_body_bytes + 1024);
  for (int served = 0; served < kMaxRequestsPerConnection && !state->stopped; ++served) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
    parser.body_limit(opt.max_body_bytes);
    stream->expires_after(opt.request_timeout);
    auto [read_ec, read_n] = co_await http::async_read(*stream, buffer, parser, kToken);
    (void)read_n;

    ServerResponse response;
    bool keep_alive = false;
    bool head = false;
    unsigned version = 11;
    if (read_ec) {
      const int status = status_for_read_error(read_ec);
      if (status == 0) break;  // closed, reset, timed out, stopped
      if (state->log) state->log->debug("health: rejected request: {}", read_ec.message());
      response = ServerResponse::text(status, status == 400 ? "bad request\n" : "request too large\n");
    } else {
      const auto& req = parser.get();
      version = req.version();
      head = req.method() == http::verb::head;
      keep_alive = req.keep_alive() && served + 1 < kMaxRequestsPerConnection;
      response = co_await dispatch(state, to_server_request(req));
    }

    auto res = to_beast(response, version, head, keep_alive);
    stream->expires_after(opt.write_timeout);
    auto [write_ec, write_n] = co_await http::async_write(*stream, res, kToken);
    (void)write_n;
    if (write_ec || !keep_alive) break;
  }
  boost::system::error_code ec;
  stream->socket().shutdown(tcp::socket::shutdown_both, ec);
  stream->socket().close(ec);
}

void log_session_end(const std::shared_ptr<HealthServer::State>& state, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    if (state->log) state->log->error("health: connection ended by an exception: {}", ex.what());
  }
}

asio::awaitable<void> accept_loop(std::shared_ptr<HealthServer::State> state) {
  if (!state->acceptor.is_open() && !state->stopped) {
    throw std::logic_error("HealthServer::run() before a successful listen()");
  }
  while (!state->stopped) {
    auto [ec, socket] = co_await state->acceptor.async_accept(kToken);
    if (state->stopped || ec == asio::error::operation_aborted) break;
    if (ec) {
      // Out of descriptors and the like: log and pause instead of spinning.
      if (state->log) state->log->warn("health: accept failed: {}", ec.message());
      asio::steady_timer pause(state->executor, std::chrono::milliseconds(100));
      auto [wait_ec] = co_await pause.async_wait(kToken);
      if (wait_ec) break;
      continue;
    }
    if (state->sessions.size() >= state->options.max_connections) {
      if (state->log) state->log->warn("health: {} connections open, refusing one", state->sessions.size());
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

HealthServer::HealthServer(asio::any_io_executor executor, MetricsRegistry& metrics,
                           ReadinessCheck readiness, HealthServerOptions options,
                           std::shared_ptr<spdlog::logger> logger)
    : state_(std::make_shared<State>(executor, metrics, std::move(readiness), options, std::move(logger))) {
  State* s = state_.get();  // the routes live in *s, so a raw pointer cannot dangle
  add_route("GET", "/healthz", [](const ServerRequest&) { return ServerResponse::text(200, "ok\n"); });
  add_route("GET", "/readyz", [s](const ServerRequest&) {
    const Readiness r = s->readiness ? s->readiness() : Readiness{true, {}};
    if (r.ready) return ServerResponse::text(200, "ready\n");
    return ServerResponse::text(503, "not ready: " + (r.reason.empty() ? std::string("unknown") : r.reason) + "\n");
  });
  add_route("GET", "/metrics", [s](const ServerRequest&) {
    ServerResponse r;
    r.content_type = std::string(MetricsRegistry::kContentType);
    r.body = s->metrics.expose();
    return r;
  });
}

HealthServer::~HealthServer() { state_->close_all(); }

Result<tcp::endpoint> HealthServer::listen(std::string_view address) {
  auto endpoint = parse_listen_address(address);
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

void HealthServer::add_route(std::string method, std::string path, RouteHandler handler) {
  auto shared = std::make_shared<RouteHandler>(std::move(handler));
  add_async_route(std::move(method), std::move(path),
                  [shared](ServerRequest req) { return call_plain(shared, std::move(req)); });
}

void HealthServer::add_async_route(std::string method, std::string path, AsyncRouteHandler handler) {
  state_->routes[std::move(path)][std::move(method)] = std::move(handler);
}

asio::awaitable<void> HealthServer::run() { return accept_loop(state_); }

void HealthServer::stop() { state_->close_all(); }

tcp::endpoint HealthServer::local_endpoint() const {
  boost::system::error_code ec;
  return state_->acceptor.local_endpoint(ec);
}

std::size_t HealthServer::open_connections() const { return state_->sessions.size(); }

}  // namespace otklik::health
