// The web server over TLS with the test certificates: a verifying client gets its answer and
// HSTS; unreadable or mismatched certificate files fail as values naming the file.

#include "daemon/web/tls_context.hpp"
#include "daemon/web/web_settings.hpp"

#include "web_server_test_support.hpp"

#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include <filesystem>
#include <fstream>

using namespace otklik;
using namespace otklik::web;
using namespace web_test;
namespace ssl = boost::asio::ssl;
namespace fs = std::filesystem;

namespace {

const fs::path kTls = fs::path(OTKLIK_FIXTURES_DIR) / "tls";

asio::awaitable<WebResponse> hello(WebRequest req) {
  co_return WebResponse::text(200, std::string("hello over ") + (req.tls ? "tls" : "tcp"));
}

/// A TLS client that verifies the server against the test CA and the name "localhost".
asio::awaitable<std::string> tls_exchange(unsigned short port, std::string request, ssl::context::method method) {
  ssl::context ctx(method);
  ctx.load_verify_file((kTls / "ca.pem").string());
  ctx.set_verify_mode(ssl::verify_peer);
  ctx.set_verify_callback(ssl::host_name_verification("localhost"));
  ssl::stream<tcp::socket> stream(co_await asio::this_coro::executor, ctx);
  co_await stream.next_layer().async_connect({asio::ip::address_v4::loopback(), port}, asio::use_awaitable);
  SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
  auto [ec] = co_await stream.async_handshake(ssl::stream_base::client, asio::as_tuple(asio::use_awaitable));
  if (ec) co_return "handshake failed: " + ec.message();
  co_return co_await exchange_on(stream, std::move(request));
}

}  // namespace

TEST_CASE("serves HTTPS with the configured certificate, with HSTS", "[web][tls]") {
  auto ctx = make_server_tls_context(kTls / "server.pem", kTls / "server.key");
  REQUIRE(ctx);
  Harness h({}, *ctx);
  h.server().add_route("GET", "/", hello);
  h.start();
  const Reply r = parse_reply(h.drive(tls_exchange(
      h.port, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", ssl::context::tls_client)));
  CHECK(r.status == 200);
  CHECK(r.body == "hello over tls");
  CHECK(r.has("Strict-Transport-Security: max-age=31536000\r\n"));
  CHECK(r.has("X-Frame-Options: DENY\r\n"));

  // Plain HTTP to the TLS port gets no answer.
  CHECK(h.get("/").status == 0);
  CHECK(h.run_until([&] { return h.server().open_connections() == 0; }));
}

TEST_CASE("TLS 1.1 and older are refused", "[web][tls]") {
  auto ctx = make_server_tls_context(kTls / "server.pem", kTls / "server.key");
  REQUIRE(ctx);
  Harness h({}, *ctx);
  h.server().add_route("GET", "/", hello);
  h.start();
  const std::string out =
      h.drive(tls_exchange(h.port, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", ssl::context::tlsv11_client));
  CHECK(out.starts_with("handshake failed"));
}

TEST_CASE("unreadable, empty or mismatched TLS files fail as values naming the file", "[web][tls]") {
  const fs::path dir = fs::temp_directory_path() / ("otklik-web-tls-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "empty.pem") << "";
  std::ofstream(dir / "junk.pem") << "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n";
  struct Case {
    fs::path cert, key;
    errc code;
    std::string mentions;
  };
  const Case cases[] = {
      {dir / "missing.pem", kTls / "server.key", errc::io_error, "missing.pem: cannot read it"},
      {kTls / "server.pem", dir / "missing.key", errc::io_error, "missing.key: cannot read it"},
      {dir / "empty.pem", kTls / "server.key", errc::invalid_input, "empty.pem: no PEM certificate chain"},
      {dir / "junk.pem", kTls / "server.key", errc::invalid_input, "junk.pem: no PEM certificate chain"},
      {kTls / "server.pem", dir / "empty.pem", errc::invalid_input, "empty.pem"},
      {kTls / "server.pem", kTls / "other.key", errc::invalid_input, "does not belong to the certificate"},
      {kTls / "server.pem", kTls / "server.pem", errc::invalid_input, "server.pem"},
  };
  for (const auto& c : cases) {
    INFO(c.cert << " + " << c.key);
    auto ctx = make_server_tls_context(c.cert, c.key);
    REQUIRE_FALSE(ctx);
    CHECK(ctx.error().code == make_error_code(c.code));
    CHECK(ctx.error().detail.find(c.mentions) != std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("[web] settings: TLS files relative to the config's folder, both or neither", "[web][tls]") {
  WebConfig web;
  auto none = tls_context_for(web, "/nowhere");
  REQUIRE(none);
  CHECK(*none == nullptr);

  web.tls_certificate = "server.pem";
  auto half = tls_context_for(web, kTls);
  REQUIRE_FALSE(half);
  CHECK(half.error().detail.find("both or neither") != std::string::npos);

  web.tls_key = "server.key";
  auto relative = tls_context_for(web, kTls);
  REQUIRE(relative);
  CHECK(*relative != nullptr);

  web.tls_key = (kTls / "server.key").string();
  auto missing = tls_context_for(web, "/nowhere");  // the key absolute, the certificate not there
  REQUIRE_FALSE(missing);
  CHECK(missing.error().detail.find("/nowhere/server.pem") != std::string::npos);

  web.max_connections = 7;
  web.max_live_clients = 3;
  web.login_attempts = 4;
  web.login_attempts_per_address = 9;
  web.login_window = std::chrono::minutes(5);
  CHECK(server_options(web).max_connections == 7);
  CHECK(server_options(web).max_streams == 3);
  CHECK(login_limits(web).per_user == 4);
  CHECK(login_limits(web).per_address == 9);
  CHECK(login_limits(web).window == std::chrono::minutes(5));
}

namespace {

struct StreamEnd {
  bool ended = false;
};

asio::awaitable<void> quiet_tls_body(std::shared_ptr<StreamEnd> probe, std::shared_ptr<EventStream> stream) {
  struct End {
    StreamEnd& p;
    ~End() { p.ended = true; }
  } end{*probe};
  co_await stream->send("hello", "over tls");
  asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::hours(1));
  co_await timer.async_wait(asio::use_awaitable);
}

asio::awaitable<WebResponse> quiet_tls(std::shared_ptr<StreamEnd> probe, WebRequest) {
  co_return WebResponse::events([probe](std::shared_ptr<EventStream> s) { return quiet_tls_body(probe, std::move(s)); });
}

using TlsClient = ssl::stream<tcp::socket>;

/// Opens an event stream over TLS and reads its first event; the stream stays open.
asio::awaitable<std::shared_ptr<TlsClient>> open_tls_stream(unsigned short port, std::shared_ptr<ssl::context> ctx,
                                                            std::shared_ptr<std::string> got) {
  auto stream = std::make_shared<TlsClient>(co_await asio::this_coro::executor, *ctx);
  co_await stream->next_layer().async_connect({asio::ip::address_v4::loopback(), port}, asio::use_awaitable);
  SSL_set_tlsext_host_name(stream->native_handle(), "localhost");
  co_await stream->async_handshake(ssl::stream_base::client, asio::use_awaitable);
  const std::string req = "GET /live HTTP/1.1\r\nHost: localhost\r\n\r\n";
  co_await asio::async_write(*stream, asio::buffer(req), asio::use_awaitable);
  co_await asio::async_read_until(*stream, asio::dynamic_buffer(*got), "data: over tls\n\n", asio::use_awaitable);
  co_return stream;
}

std::shared_ptr<ssl::context> verifying_client() {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  ctx->load_verify_file((kTls / "ca.pem").string());
  ctx->set_verify_mode(ssl::verify_peer);
  ctx->set_verify_callback(ssl::host_name_verification("localhost"));
  return ctx;
}

}  // namespace

TEST_CASE("an event stream over TLS ends with its client, and with the server", "[web][tls][sse]") {
  auto server_ctx = make_server_tls_context(kTls / "server.pem", kTls / "server.key");
  REQUIRE(server_ctx);
  auto first = std::make_shared<StreamEnd>();
  auto second = std::make_shared<StreamEnd>();
  int opened = 0;
  Harness h({}, *server_ctx);
  h.server().add_route("GET", "/live", [&opened, first, second](WebRequest r) {
    return quiet_tls(++opened == 1 ? first : second, std::move(r));
  });
  h.start();
  const auto client = verifying_client();

  auto got = std::make_shared<std::string>();
  auto a = h.drive(open_tls_stream(h.port, client, got));
  CHECK(got->find("Strict-Transport-Security") != std::string::npos);
  CHECK(got->ends_with("event: hello\ndata: over tls\n\n"));
  a->next_layer().close();
  CHECK(h.run_until([&] { return first->ended; }, 2s));

  auto b = h.drive(open_tls_stream(h.port, client, std::make_shared<std::string>()));
  CHECK_FALSE(second->ended);
  h.server().stop();
  CHECK(h.run_until([&] { return second->ended; }, 2s));
  CHECK(h.run_until([&] { return h.server().open_connections() == 0 && h.server().open_streams() == 0; }));
}
