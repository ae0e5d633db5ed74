// The fake server itself, driven by a plain synchronous Beast client so that a bug in the real
// client cannot hide a bug here.
#include "tests/support/catch_result.hpp"
#include "tests/support/http/fake_http_server.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>
#include <thread>

using namespace otklik;
using namespace otklik::test;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

struct SyncClient {
  asio::io_context ioc;
  tcp::socket socket{ioc};
  beast::flat_buffer buffer;

  explicit SyncClient(unsigned short port) { socket.connect({asio::ip::make_address("127.0.0.1"), port}); }

  http::response<http::string_body> get(const std::string& target, bool keep_alive = true) {
    http::request<http::string_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.keep_alive(keep_alive);
    http::write(socket, req);
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return res;
  }

  /// Everything until the server closes.
  std::string read_all() {
    std::string out;
    beast::error_code ec;
    asio::read(socket, asio::dynamic_buffer(out), ec);
    return out;
  }
};

}  // namespace

TEST_CASE("fake server answers GET and records the request", "[fake_http]") {
  FakeHttpServer server([](const FakeRequest& r) { return FakeResponse::text(200, "hello " + r.path); });
  CHECK(server.base_url() == "http://127.0.0.1:" + std::to_string(server.port()));
  SyncClient client(server.port());
  auto res = client.get("/a/b?x=1");
  CHECK(res.result_int() == 200);
  CHECK(res.body() == "hello /a/b");
  CHECK(res[http::field::content_length] == "10");
  CHECK(res[http::field::content_type] == "text/plain; charset=utf-8");
  auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "GET");
  CHECK(requests[0].target == "/a/b?x=1");
  CHECK(requests[0].path == "/a/b");
  CHECK(requests[0].header("HOST") == "127.0.0.1");
}

TEST_CASE("fake server keeps the connection alive", "[fake_http]") {
  FakeHttpServer server([](const FakeRequest& r) { return FakeResponse::json(201, "{\"p\":\"" + r.path + "\"}"); });
  SyncClient client(server.port());
  CHECK(client.get("/one").body() == "{\"p\":\"/one\"}");
  auto second = client.get("/two", false);
  CHECK(second.result_int() == 201);
  CHECK(second[http::field::content_type] == "application/json");
  CHECK(second.body() == "{\"p\":\"/two\"}");
  CHECK(client.read_all().empty());  // closed after Connection: close
  CHECK(server.request_count() == 2);
}

TEST_CASE("fake server sends a slow chunked body", "[fake_http]") {
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse r = FakeResponse::text(200, "abcdefghij");
    r.headers.emplace_back("Transfer-Encoding", "chunked");
    r.chunk_size = 3;
    r.chunk_delay = std::chrono::milliseconds(20);
    return r;
  });
  SyncClient client(server.port());
  auto start = std::chrono::steady_clock::now();
  auto res = client.get("/");
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(60));
  CHECK(res.body() == "abcdefghij");
  CHECK(res.chunked());
}

TEST_CASE("fake server sends raw bytes and closes", "[fake_http]") {
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse r;
    r.raw = "HTTP/1.1 200 OK\r\nX: y\r\n\r\nbody until close";
    return r;
  });
  SyncClient client(server.port());
  http::request<http::empty_body> req{http::verb::get, "/", 11};
  http::write(client.socket, req);
  CHECK(client.read_all() == "HTTP/1.1 200 OK\r\nX: y\r\n\r\nbody until close");
}

TEST_CASE("fake server can close without a response", "[fake_http]") {
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse r;
    r.close_without_response = true;
    return r;
  });
  SyncClient client(server.port());
  http::request<http::empty_body> req{http::verb::get, "/", 11};
  http::write(client.socket, req);
  CHECK(client.read_all().empty());
  CHECK(server.request_count() == 1);
}

TEST_CASE("fake server turns a throwing handler into 500", "[fake_http]") {
  FakeHttpServer server([](const FakeRequest&) -> FakeResponse { throw std::runtime_error("boom"); });
  SyncClient client(server.port());
  auto res = client.get("/");
  CHECK(res.result_int() == 500);
  CHECK(res.body() == "handler threw: boom");
}

TEST_CASE("fake server stops with a client connected and a delayed response pending", "[fake_http]") {
  auto start = std::chrono::steady_clock::now();
  {
    FakeHttpServer server([](const FakeRequest&) {
      FakeResponse r = FakeResponse::text(200, "late");
      r.delay = std::chrono::seconds(30);
      return r;
    });
    SyncClient idle(server.port());
    SyncClient waiting(server.port());
    http::request<http::empty_body> req{http::verb::get, "/", 11};
    http::write(waiting.socket, req);
    while (server.request_count() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("fake server serves HTTPS with the test certificate", "[fake_http]") {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse::text(200, "secure"); }, true);
  CHECK(server.base_url() == "https://localhost:" + std::to_string(server.port()));
  asio::io_context ioc;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.load_verify_file(FakeHttpServer::test_ca_file());
  ctx.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<tcp::socket> stream(ioc, ctx);
  stream.set_verify_callback(asio::ssl::host_name_verification("localhost"));
  REQUIRE(SSL_set_tlsext_host_name(stream.native_handle(), "localhost"));
  stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), server.port()});
  stream.handshake(asio::ssl::stream_base::client);
  http::request<http::empty_body> req{http::verb::get, "/", 11};
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  CHECK(res.body() == "secure");
}
