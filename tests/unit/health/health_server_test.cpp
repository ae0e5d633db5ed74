#include "daemon/health/health_server.hpp"

#include "tests/support/catch_result.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <optional>
#include <stdexcept>

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace otklik::health;
using namespace std::chrono_literals;

namespace {

/// Connects, sends `request` verbatim, reads until the server closes; returns every byte read.
asio::awaitable<std::string> raw_exchange(unsigned short port, std::string request) {
  tcp::socket socket(co_await asio::this_coro::executor);
  co_await socket.async_connect({asio::ip::address_v4::loopback(), port}, asio::use_awaitable);
  // A server that refuses the connection may close before the write: read what it sent anyway.
  auto [write_ec, written] = co_await asio::async_write(socket, asio::buffer(request),
                                                        asio::as_tuple(asio::use_awaitable));
  (void)write_ec;
  (void)written;
  std::string out;
  auto [ec, n] = co_await asio::async_read(socket, asio::dynamic_buffer(out),
                                           asio::as_tuple(asio::use_awaitable));
  (void)ec;  // eof (or a reset after a rejected request) ends the exchange
  (void)n;
  co_return out;
}

/// Sends `request` one byte every `gap` (a slow-loris client) until the write fails.
asio::awaitable<void> trickle(std::shared_ptr<tcp::socket> socket, std::string request,
                              std::chrono::milliseconds gap) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (const char c : request) {
    auto [ec, n] = co_await asio::async_write(*socket, asio::buffer(&c, 1), asio::as_tuple(asio::use_awaitable));
    (void)n;
    if (ec) co_return;
    timer.expires_after(gap);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

/// Waits until the server closes the connection.
asio::awaitable<void> wait_closed(std::shared_ptr<tcp::socket> socket) {
  std::string sink;
  auto [ec, n] = co_await asio::async_read(*socket, asio::dynamic_buffer(sink), asio::as_tuple(asio::use_awaitable));
  (void)ec;
  (void)n;
}

/// Connects, trickles a request, and reports whether the server closed the connection first.
asio::awaitable<bool> slow_loris(unsigned short port, std::chrono::milliseconds gap) {
  using namespace asio::experimental::awaitable_operators;
  auto socket = std::make_shared<tcp::socket>(co_await asio::this_coro::executor);
  co_await socket->async_connect({asio::ip::address_v4::loopback(), port}, asio::use_awaitable);
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + std::string(40, 'a') + "\r\n\r\n";
  auto first = co_await (wait_closed(socket) || trickle(socket, request, gap));
  co_return first.index() == 0;
}

struct Reply {
  int status = 0;
  std::string head;  ///< status line and headers
  std::string body;
  [[nodiscard]] bool has_header(std::string_view line) const { return head.find(line) != std::string::npos; }
};

Reply parse_reply(const std::string& raw) {
  Reply r;
  const auto end = raw.find("\r\n\r\n");
  if (raw.size() < 12 || end == std::string::npos) return r;
  r.status = std::stoi(raw.substr(9, 3));
  r.head = raw.substr(0, end + 2);
  r.body = raw.substr(end + 4);
  return r;
}

class Harness {
 public:
  explicit Harness(HealthServerOptions options = {})
      : server_(io_.get_executor(), metrics, [this] { return readiness; }, options) {
    auto bound = server_.listen("127.0.0.1:0");
    REQUIRE(bound);
    port = bound->port();
    asio::co_spawn(io_, server_.run(), [this](std::exception_ptr e) {
      run_error_ = e;
      run_done_ = true;
    });
  }
  ~Harness() {
    server_.stop();
    io_.run_for(2s);
  }

  /// Runs the event loop until `task` completes (at most 5 s of wall time).
  template <class T>
  T drive(asio::awaitable<T> task) {
    std::optional<T> out;
    std::exception_ptr error;
    asio::co_spawn(io_, std::move(task), [&](std::exception_ptr e, T value) {
      error = e;
      if (!e) out = std::move(value);
    });
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!out && !error && std::chrono::steady_clock::now() < deadline) io_.run_one_for(100ms);
    if (error) std::rethrow_exception(error);
    if (!out) throw std::runtime_error("timed out");
    return std::move(*out);
  }

  Reply request(std::string raw) { return parse_reply(drive(raw_exchange(port, std::move(raw)))); }
  Reply get(std::string_view path, std::string_view method = "GET") {
    return request(std::string(method) + " " + std::string(path) +
                   " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  }

  HealthServer& server() { return server_; }
  asio::io_context& io() { return io_; }
  [[nodiscard]] bool run_done() const { return run_done_; }

  MetricsRegistry metrics;
  Readiness readiness{true, {}};
  unsigned short port = 0;

 private:
  asio::io_context io_;
  HealthServer server_;
  std::exception_ptr run_error_;
  bool run_done_ = false;
};

}  // namespace

TEST_CASE("listen addresses", "[health]") {
  struct Case {
    std::string_view text;
    bool ok;
    std::string_view address;
    unsigned short port;
  };
  const Case cases[] = {
      {"127.0.0.1:9464", true, "127.0.0.1", 9464},
      {"[::1]:9464", true, "::1", 9464},
      {"localhost:9464", true, "127.0.0.1", 9464},
      {"0.0.0.0:0", true, "0.0.0.0", 0},
      {"127.0.0.1", false, "", 0},
      {"127.0.0.1:", false, "", 0},
      {"127.0.0.1:65536", false, "", 0},
      {"127.0.0.1:12ab", false, "", 0},
      {"::1:9464", false, "", 0},
      {"[::1:9464", false, "", 0},
      {"example.org:9464", false, "", 0},
      {"", false, "", 0},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    const auto r = parse_listen_address(c.text);
    REQUIRE(r.has_value() == c.ok);
    if (c.ok) {
      CHECK(r->address().to_string() == c.address);
      CHECK(r->port() == c.port);
    }
  }
}

TEST_CASE("healthz, readyz and metrics", "[health]") {
  Harness h;
  h.metrics.counter("otklik_source_polls_total", "Polls.", {{"source", "bank"}}).inc(3);

  const auto health = h.get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == "ok\n");

  const auto ready = h.get("/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.body == "ready\n");

  h.readiness = {false, "store not migrated"};
  const auto not_ready = h.get("/readyz");
  CHECK(not_ready.status == 503);
  CHECK(not_ready.body == "not ready: store not migrated\n");

  const auto metrics = h.get("/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.has_header("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
  CHECK(metrics.body ==
        "# HELP otklik_source_polls_total Polls.\n"
        "# TYPE otklik_source_polls_total counter\n"
        "otklik_source_polls_total{source=\"bank\"} 3\n");
}

TEST_CASE("HEAD, 404, 405 and a query string", "[health]") {
  Harness h;
  h.metrics.gauge("otklik_up", "Up.").set(1);
  const auto expected = h.metrics.expose();

  const auto head = h.get("/metrics", "HEAD");
  CHECK(head.status == 200);
  CHECK(head.has_header("Content-Length: " + std::to_string(expected.size()) + "\r\n"));
  CHECK(head.body.empty());

  CHECK(h.get("/healthz?verbose=1").status == 200);
  CHECK(h.get("/nope").status == 404);
  CHECK(h.get("/").status == 404);

  const auto post = h.get("/metrics", "POST");
  CHECK(post.status == 405);
  CHECK(post.has_header("Allow: GET, HEAD\r\n"));
  CHECK(h.get("/healthz", "DELETE").status == 405);
}

TEST_CASE("added routes see the body and headers", "[health]") {
  Harness h;
  h.server().add_route("POST", "/slack/actions", [](const ServerRequest& req) {
    ServerResponse r;
    r.content_type = "application/json";
    r.headers.emplace_back("X-Echo-Signature", std::string(req.header("x-slack-signature").value_or("")));
    r.body = "{\"got\":\"" + req.body + "\",\"query\":\"" + req.query + "\"}";
    return r;
  });
  h.server().add_route("GET", "/boom", [](const ServerRequest&) -> ServerResponse {
    throw std::runtime_error("handler bug");
  });

  const auto r = h.request(
      "POST /slack/actions?x=1 HTTP/1.1\r\nHost: localhost\r\nX-Slack-Signature: v0=abc\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\nConnection: close\r\n\r\n"
      "payload=1");
  CHECK(r.status == 200);
  CHECK(r.has_header("Content-Type: application/json\r\n"));
  CHECK(r.has_header("X-Echo-Signature: v0=abc\r\n"));
  CHECK(r.body == "{\"got\":\"payload=1\",\"query\":\"x=1\"}");

  CHECK(h.get("/slack/actions").status == 405);
  CHECK(h.get("/boom").status == 500);
}

TEST_CASE("keep-alive serves several requests on one connection", "[health]") {
  Harness h;
  const auto raw = h.drive(raw_exchange(
      h.port,
      "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"
      "GET /readyz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
  const auto first = raw.find("HTTP/1.1 200");
  REQUIRE(first != std::string::npos);
  CHECK(raw.find("HTTP/1.1 200", first + 1) != std::string::npos);
  CHECK(raw.find("ok\n") != std::string::npos);
  CHECK(raw.find("ready\n") != std::string::npos);
}

TEST_CASE("oversized and malformed requests are rejected", "[health]") {
  HealthServerOptions options;
  options.max_header_bytes = 1024;
  options.max_body_bytes = 100;
  Harness h(options);

  const auto big_header = h.request("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(2000, 'a') +
                                    "\r\n\r\n");
  CHECK(big_header.status == 431);

  const auto big_body = h.request("POST /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n");
  CHECK(big_body.status == 413);

  CHECK(h.request("NOT HTTP AT ALL\r\n\r\n").status == 400);
  // The server still answers afterwards.
  CHECK(h.get("/healthz").status == 200);
}

TEST_CASE("a slow client is cut off at the request deadline", "[health]") {
  HealthServerOptions options;
  options.request_timeout = 200ms;
  Harness h(options);
  const auto start = std::chrono::steady_clock::now();
  // Half a request line and then nothing: the server must close the connection on its own.
  const auto raw = h.drive(raw_exchange(h.port, "GET /heal"));
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(raw.empty());
  CHECK(took >= 150ms);
  CHECK(took < 3s);
}

TEST_CASE("a client trickling bytes is cut off at the same deadline", "[health]") {
  HealthServerOptions options;
  options.request_timeout = 300ms;
  Harness h(options);
  const auto start = std::chrono::steady_clock::now();
  // Each byte arrives well within the deadline, but the whole request would take ~4 s.
  CHECK(h.drive(slow_loris(h.port, 50ms)));
  CHECK(std::chrono::steady_clock::now() - start < 2s);
}

TEST_CASE("connections over the cap are closed at once", "[health]") {
  HealthServerOptions options;
  options.max_connections = 1;
  Harness h(options);

  // A first connection stays open (keep-alive) after one answered request.
  tcp::socket first(h.io());
  first.connect({asio::ip::address_v4::loopback(), h.port});
  const std::string req = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";
  asio::write(first, asio::buffer(req));
  std::string got;
  while (got.find("ok\n") == std::string::npos) {
    h.io().run_one_for(100ms);
    first.non_blocking(true);
    char buf[512];
    boost::system::error_code ec;
    const auto n = first.read_some(asio::buffer(buf), ec);
    if (!ec) got.append(buf, n);
    REQUIRE((!ec || ec == asio::error::would_block));
  }
  CHECK(h.server().open_connections() == 1);

  // A second one gets no answer: closed without a response.
  CHECK(h.drive(raw_exchange(h.port, req)).empty());

  // stop() closes the open connection and ends run().
  h.server().stop();
  for (int i = 0; i < 50 && !(h.run_done() && h.server().open_connections() == 0); ++i) h.io().run_one_for(100ms);
  CHECK(h.run_done());
  CHECK(h.server().open_connections() == 0);
}

TEST_CASE("listening on an address in use fails as a value", "[health]") {
  asio::io_context io;
  MetricsRegistry metrics;
  HealthServer a(io.get_executor(), metrics, {});
  auto bound = a.listen("127.0.0.1:0");
  REQUIRE(bound);
  HealthServer b(io.get_executor(), metrics, {});
  const auto again = b.listen("127.0.0.1:" + std::to_string(bound->port()));
  REQUIRE_FALSE(again);
  CHECK(again.error().code == otklik::errc::io_error);
  CHECK_FALSE(b.listen("nonsense"));
}

TEST_CASE("serves on IPv6 loopback", "[health]") {
  asio::io_context io;
  MetricsRegistry metrics;
  HealthServer server(io.get_executor(), metrics, {});
  auto bound = server.listen("[::1]:0");
  if (!bound) {
    WARN("no IPv6 loopback here: " << bound.error().message());
    return;
  }
  asio::co_spawn(io, server.run(), [](std::exception_ptr e) { CHECK_FALSE(e); });
  tcp::socket client(io);
  client.connect(*bound);
  const std::string req = "GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
  asio::write(client, asio::buffer(req));
  std::string got;
  client.non_blocking(true);
  for (int i = 0; i < 50 && got.find("ok\n") == std::string::npos; ++i) {
    io.run_one_for(100ms);
    char buf[512];
    boost::system::error_code ec;
    const auto n = client.read_some(asio::buffer(buf), ec);
    if (!ec) got.append(buf, n);
  }
  CHECK(got.starts_with("HTTP/1.1 200 OK\r\n"));
  server.stop();
  io.run_for(1s);
}

TEST_CASE("cancelling run() closes the acceptor and open connections", "[health]") {
  asio::io_context io;
  MetricsRegistry metrics;
  HealthServer server(io.get_executor(), metrics, {});
  auto bound = server.listen("127.0.0.1:0");
  REQUIRE(bound);
  asio::cancellation_signal cancel;
  bool done = false;
  asio::co_spawn(io, server.run(), asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr e) {
                   CHECK_FALSE(e);
                   done = true;
                 }));
  tcp::socket idle(io);
  idle.connect(*bound);
  for (int i = 0; i < 50 && server.open_connections() == 0; ++i) io.run_one_for(20ms);
  REQUIRE(server.open_connections() == 1);

  cancel.emit(asio::cancellation_type::terminal);
  for (int i = 0; i < 50 && !(done && server.open_connections() == 0); ++i) io.run_one_for(20ms);
  CHECK(done);
  CHECK(server.open_connections() == 0);
  // The idle client sees the connection closed.
  char byte = 0;
  boost::system::error_code ec;
  idle.read_some(asio::buffer(&byte, 1), ec);
  CHECK(ec);
}
