// The web server over plain TCP: routes, prefixes, 404/405, HEAD, caps, the connection cap,
// security headers, handler failures, and event streams that end with the client or the server.

#include "web_server_test_support.hpp"

#include "daemon/web/security_headers.hpp"

#include <boost/asio/steady_timer.hpp>

using namespace otklik;
using namespace otklik::web;
using namespace web_test;

namespace {

asio::awaitable<WebResponse> echo(WebRequest req) {
  auto r = WebResponse::text(200, req.method + " " + req.path + " rest=" + req.rest + " query=" + req.query +
                                      " peer=" + req.peer.to_string() + " body=" + req.body);
  r.headers.emplace_back("Set-Cookie", "a=1; Path=/");
  r.headers.emplace_back("Set-Cookie", "b=2; Path=/");
  co_return r;
}

asio::awaitable<WebResponse> throws(WebRequest) {
  throw std::runtime_error("boom");
  co_return WebResponse::text(200, "unreachable");
}

asio::awaitable<WebResponse> own_policy(WebRequest) {
  auto r = WebResponse::html(200, "<p>x</p>");
  r.headers.emplace_back("Content-Security-Policy", "default-src 'none'");
  co_return r;
}

void add_routes(WebServer& server) {
  server.add_route("GET", "/", echo);
  server.add_route("POST", "/login", echo);
  server.add_prefix_route("GET", "/case/", echo);
  server.add_prefix_route("POST", "/case/", echo);
  server.add_route("GET", "/boom", throws);
  server.add_route("GET", "/own", own_policy);
}

}  // namespace

TEST_CASE("routes, prefix routes, HEAD, 404 and 405", "[web][server]") {
  Harness h;
  add_routes(h.server());
  h.start();

  struct Case {
    std::string_view method, target;
    int status;
    std::string_view body;  ///< "" = not checked
  };
  const Case cases[] = {
      {"GET", "/", 200, "GET / rest= query= peer=127.0.0.1 body="},
      {"GET", "/?state=new&q=x", 200, "GET / rest= query=state=new&q=x peer=127.0.0.1 body="},
      {"GET", "/case/17", 200, "GET /case/17 rest=17 query= peer=127.0.0.1 body="},
      {"GET", "/case/17/timeline?x=1", 200, "GET /case/17/timeline rest=17/timeline query=x=1 peer=127.0.0.1 body="},
      {"HEAD", "/", 200, ""},
      {"POST", "/", 405, ""},
      {"DELETE", "/case/1", 405, ""},
      {"GET", "/login", 405, ""},
      {"GET", "/nope", 404, "not found\n"},
      {"GET", "/case", 404, ""},
      {"GET", "/boom", 500, "internal error\n"},
  };
  for (const auto& c : cases) {
    INFO(c.method << " " << c.target);
    const Reply r = h.get(c.target, c.method);
    CHECK(r.status == c.status);
    if (!c.body.empty()) CHECK(r.body == c.body);
    if (c.method == "HEAD") {
      CHECK(r.body.empty());
      CHECK(r.has("Content-Length: 40"));
    }
  }
  CHECK(h.get("/", "POST").has("Allow: GET, HEAD\r\n"));
  CHECK(h.get("/login", "GET").has("Allow: POST\r\n"));
  CHECK(h.get("/case/1", "PUT").has("Allow: GET, HEAD, POST\r\n"));
}

TEST_CASE("a POST body reaches the handler, repeated Set-Cookie headers stay apart", "[web][server]") {
  Harness h;
  add_routes(h.server());
  h.start();
  const Reply r = h.request(
      "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 13\r\nConnection: close\r\n\r\nuser=a&pass=b");
  CHECK(r.status == 200);
  CHECK(r.body == "POST /login rest= query= peer=127.0.0.1 body=user=a&pass=b");
  CHECK(r.has("Set-Cookie: a=1; Path=/\r\n"));
  CHECK(r.has("Set-Cookie: b=2; Path=/\r\n"));
}

TEST_CASE("every response carries the security headers, unless its handler set one", "[web][server]") {
  Harness h;
  add_routes(h.server());
  h.start();
  for (std::string_view path : {"/", "/nope", "/boom"}) {
    INFO(path);
    const Reply r = h.get(path);
    CHECK(r.has(std::string("Content-Security-Policy: ") + std::string(kContentSecurityPolicy) + "\r\n"));
    CHECK(r.has("X-Content-Type-Options: nosniff\r\n"));
    CHECK(r.has("X-Frame-Options: DENY\r\n"));
    CHECK(r.has("Referrer-Policy: same-origin\r\n"));
    CHECK_FALSE(r.has("Strict-Transport-Security"));
  }
  const Reply own = h.get("/own");
  CHECK(own.has("Content-Security-Policy: default-src 'none'\r\n"));
  CHECK_FALSE(own.has("script-src"));
  CHECK(own.has("X-Frame-Options: DENY\r\n"));
}

TEST_CASE("keep-alive serves several requests on one connection", "[web][server]") {
  Harness h;
  add_routes(h.server());
  h.start();
  const std::string raw = h.drive(raw_exchange(
      h.port, "GET /case/1 HTTP/1.1\r\nHost: localhost\r\n\r\nGET /case/2 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
  CHECK(raw.find("rest=1 ") != std::string::npos);
  CHECK(raw.find("rest=2 ") != std::string::npos);
}

TEST_CASE("oversized and malformed requests get 413, 431 and 400", "[web][server]") {
  WebServerOptions options;
  options.max_header_bytes = 2048;
  Harness h(options);
  add_routes(h.server());
  h.start();
  CHECK(h.request("POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 70000\r\n\r\n" + std::string(100, 'a')).status == 413);
  CHECK(h.request("POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 65536\r\nConnection: close\r\n\r\n" +
                  std::string(65536, 'a')).status == 200);
  CHECK(h.request("GET / HTTP/1.1\r\nHost: localhost\r\nCookie: " + std::string(3000, 'c') + "\r\n\r\n").status == 431);
  const Reply bad = h.request("GARBAGE\r\n\r\n");
  CHECK(bad.status == 400);
  CHECK(bad.has("X-Frame-Options: DENY"));
}

namespace {

/// Connects and completes one kept-alive request, leaving the connection open.
asio::awaitable<std::shared_ptr<tcp::socket>> open_connection(unsigned short port) {
  auto socket = std::make_shared<tcp::socket>(co_await asio::this_coro::executor);
  co_await socket->async_connect({asio::ip::address_v4::loopback(), port}, asio::use_awaitable);
  const std::string req = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
  co_await asio::async_write(*socket, asio::buffer(req), asio::use_awaitable);
  std::string reply;
  co_await asio::async_read_until(*socket, asio::dynamic_buffer(reply), "body=", asio::use_awaitable);
  co_return socket;
}

}  // namespace

TEST_CASE("connections over the cap are closed at once", "[web][server]") {
  WebServerOptions options;
  options.max_connections = 2;
  Harness h(options);
  add_routes(h.server());
  h.start();
  auto a = h.drive(open_connection(h.port));
  auto b = h.drive(open_connection(h.port));
  CHECK(h.server().open_connections() == 2);
  CHECK(h.get("/").status == 0);  // closed without an answer
  a->close();
  REQUIRE(h.run_until([&] { return h.server().open_connections() == 1; }));
  CHECK(h.get("/").status == 200);
  b->close();
}

namespace {

struct StreamProbe {
  int sent = 0;
  bool ended = false;
  bool last_send_failed = false;
};

/// Sends a "hello", then an event every 20 ms until send() fails.
asio::awaitable<void> ticking_body(std::shared_ptr<StreamProbe> probe, std::shared_ptr<EventStream> stream) {
  struct End {
    StreamProbe& p;
    ~End() { p.ended = true; }
  } end{*probe};
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    if (!co_await stream->send("tick", std::to_string(probe->sent))) {
      probe->last_send_failed = true;
      co_return;
    }
    ++probe->sent;
    timer.expires_after(20ms);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

/// Sends one event, then waits far longer than any test: only cancellation ends it.
asio::awaitable<void> quiet_body(std::shared_ptr<StreamProbe> probe, std::shared_ptr<EventStream> stream) {
  struct End {
    StreamProbe& p;
    ~End() { p.ended = true; }
  } end{*probe};
  co_await stream->send("hello", "first\nsecond");
  ++probe->sent;
  asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::hours(1));
  co_await timer.async_wait(asio::use_awaitable);
}

asio::awaitable<WebResponse> ticking(std::shared_ptr<StreamProbe> probe, WebRequest) {
  co_return WebResponse::events([probe](std::shared_ptr<EventStream> s) { return ticking_body(probe, std::move(s)); });
}

asio::awaitable<WebResponse> quiet(std::shared_ptr<StreamProbe> probe, WebRequest) {
  auto r = WebResponse::events([probe](std::shared_ptr<EventStream> s) { return quiet_body(probe, std::move(s)); });
  r.headers.emplace_back("Set-Cookie", "seen=1");
  co_return r;
}

/// Opens an event stream and reads until `until` has arrived; the socket and what was read.
asio::awaitable<std::pair<std::shared_ptr<tcp::socket>, std::string>> open_stream(unsigned short port, std::string path,
                                                                                  std::string until) {
  auto socket = std::make_shared<tcp::socket>(co_await asio::this_coro::executor);
  co_await socket->async_connect({asio::ip::address_v4::loopback(), port}, asio::use_awaitable);
  const std::string req = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n";
  co_await asio::async_write(*socket, asio::buffer(req), asio::use_awaitable);
  std::string got;
  co_await asio::async_read_until(*socket, asio::dynamic_buffer(got), until, asio::use_awaitable);
  co_return std::make_pair(socket, got);
}

asio::awaitable<std::string> read_rest(std::shared_ptr<tcp::socket> socket) {
  std::string rest;
  auto [ec, n] = co_await asio::async_read(*socket, asio::dynamic_buffer(rest), asio::as_tuple(asio::use_awaitable));
  (void)ec;
  (void)n;
  co_return rest;
}

}  // namespace

TEST_CASE("an event stream delivers events and ends when the server stops", "[web][server][sse]") {
  auto probe = std::make_shared<StreamProbe>();
  Harness h;
  h.server().add_route("GET", "/live", [probe](WebRequest r) { return ticking(probe, std::move(r)); });
  h.start();
  auto [socket, got] = h.drive(open_stream(h.port, "/live", "data: 2\n\n"));
  const Reply head = parse_reply(got);
  CHECK(head.status == 200);
  CHECK(head.has("Content-Type: text/event-stream"));
  CHECK(head.has("Cache-Control: no-store"));
  CHECK(head.has("X-Content-Type-Options: nosniff"));
  CHECK_FALSE(head.has("Content-Length"));
  CHECK(head.body.starts_with("event: tick\ndata: 0\n\nevent: tick\ndata: 1\n\n"));
  CHECK(h.server().open_streams() == 1);

  h.server().stop();
  CHECK(h.run_until([&] { return probe->ended; }));
  h.drive(read_rest(socket));  // the server closed the connection
  CHECK(h.run_until([&] { return h.server().open_connections() == 0 && h.server().open_streams() == 0; }));
  CHECK(h.run_done());
}

TEST_CASE("a client that goes away ends the stream's body at once", "[web][server][sse]") {
  auto probe = std::make_shared<StreamProbe>();
  Harness h;
  h.server().add_route("GET", "/live", [probe](WebRequest r) { return quiet(probe, std::move(r)); });
  h.start();
  auto [socket, got] = h.drive(open_stream(h.port, "/live", "data: second\n\n"));
  CHECK(parse_reply(got).body == "event: hello\ndata: first\ndata: second\n\n");
  CHECK(parse_reply(got).has("Set-Cookie: seen=1\r\n"));
  CHECK_FALSE(probe->ended);
  socket->close();
  CHECK(h.run_until([&] { return probe->ended; }, 2s));
  CHECK(h.run_until([&] { return h.server().open_connections() == 0 && h.server().open_streams() == 0; }));
}

TEST_CASE("a sender whose client went away learns it from send()", "[web][server][sse]") {
  auto probe = std::make_shared<StreamProbe>();
  Harness h;
  h.server().add_route("GET", "/live", [probe](WebRequest r) { return ticking(probe, std::move(r)); });
  h.start();
  auto [socket, got] = h.drive(open_stream(h.port, "/live", "data: 1\n\n"));
  socket->close();
  CHECK(h.run_until([&] { return probe->ended; }, 2s));
  CHECK(h.server().open_streams() == 0);
}

TEST_CASE("streams over the cap get 503, HEAD on a stream route sends only headers", "[web][server][sse]") {
  auto probe = std::make_shared<StreamProbe>();
  WebServerOptions options;
  options.max_streams = 1;
  Harness h(options);
  h.server().add_route("GET", "/live", [probe](WebRequest r) { return quiet(probe, std::move(r)); });
  h.start();
  auto [socket, got] = h.drive(open_stream(h.port, "/live", "data: second\n\n"));
  CHECK(h.get("/live").status == 503);
  const Reply head = h.get("/live", "HEAD");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(probe->sent == 1);
  socket->close();
}

namespace {

/// Sends 64 KiB events as fast as they are taken until send() fails.
asio::awaitable<void> flooding_body(std::shared_ptr<StreamProbe> probe, std::shared_ptr<EventStream> stream) {
  struct End {
    StreamProbe& p;
    ~End() { p.ended = true; }
  } end{*probe};
  const std::string big(64 * 1024, 'x');
  while (co_await stream->send("big", big)) ++probe->sent;
  probe->last_send_failed = true;
}

asio::awaitable<WebResponse> flooding(std::shared_ptr<StreamProbe> probe, WebRequest) {
  co_return WebResponse::events([probe](std::shared_ptr<EventStream> s) { return flooding_body(probe, std::move(s)); });
}

}  // namespace

TEST_CASE("a client that stops reading is dropped at the write deadline", "[web][server][sse]") {
  auto probe = std::make_shared<StreamProbe>();
  WebServerOptions options;
  options.write_timeout = 300ms;
  Harness h(options);
  h.server().add_route("GET", "/live", [probe](WebRequest r) { return flooding(probe, std::move(r)); });
  h.start();
  // Reads the headers and the start of the first event, then nothing more.
  auto [socket, got] = h.drive(open_stream(h.port, "/live", "data: xxxx"));
  CHECK(h.run_until([&] { return probe->ended; }, 10s));
  CHECK(probe->last_send_failed);
  CHECK(probe->sent > 0);
  CHECK(h.run_until([&] { return h.server().open_streams() == 0; }));
}
