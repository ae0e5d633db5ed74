// The real client against the fake server on 127.0.0.1 (plain and TLS): requests, TLS, failures
// of the connection.
#include "tests/unit/net/client_test_helpers.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

TEST_CASE("client GETs over plain HTTP with the expected headers", "[net][http_client]") {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse::text(200, "hi"); });
  auto result = get(server.base_url() + "/feed?x=1");
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(result->body == "hi");
  CHECK(result->header("content-type") == "text/plain; charset=utf-8");
  CHECK(result->final_url == server.base_url() + "/feed?x=1");
  CHECK(result->redirects == 0);
  auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "GET");
  CHECK(requests[0].target == "/feed?x=1");
  CHECK(requests[0].header("Host") == "127.0.0.1:" + std::to_string(server.port()));
  CHECK(requests[0].header("User-Agent") == "OtklikTest/1.0");
  CHECK(requests[0].header("Accept-Encoding") == "gzip, deflate");
  CHECK_FALSE(requests[0].header("Connection"));  // HTTP/1.1 keep-alive; see http_keep_alive_test.cpp
  CHECK_FALSE(requests[0].header("If-None-Match"));
}

TEST_CASE("client sends a POST body, extra headers and a per-request User-Agent", "[net][http_client]") {
  FakeHttpServer server([](const FakeRequest& r) { return FakeResponse::json(200, "{\"echo\":" + r.body + "}"); });
  HttpRequest request;
  request.method = "POST";
  request.url = server.base_url() + "/api";
  request.body = "[1,2]";
  request.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer t"}};
  request.user_agent = "Custom/2";
  auto result = fetch(request);
  REQUIRE(result);
  CHECK(result->body == "{\"echo\":[1,2]}");
  auto r = server.requests().at(0);
  CHECK(r.method == "POST");
  CHECK(r.header("Content-Length") == "5");
  CHECK(r.header("content-type") == "application/json");
  CHECK(r.header("Authorization") == "Bearer t");
  CHECK(r.header("User-Agent") == "Custom/2");
}

TEST_CASE("client reads chunked bodies, bodies until close and HEAD", "[net][http_client]") {
  FakeHttpServer server([](const FakeRequest& r) {
    FakeResponse response = FakeResponse::text(200, std::string(5000, 'c'));
    if (r.path == "/chunked") {
      response.headers.emplace_back("Transfer-Encoding", "chunked");
      response.chunk_size = 700;
    } else if (r.path == "/eof") {
      response.raw = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end";
    }
    return response;
  });
  CHECK(get(server.base_url() + "/chunked").value().body == std::string(5000, 'c'));
  CHECK(get(server.base_url() + "/eof").value().body == "until the end");
  HttpRequest head;
  head.method = "HEAD";
  head.url = server.base_url() + "/";
  auto result = fetch(head);
  REQUIRE(result);
  CHECK(result->body.empty());
  CHECK(result->header("Content-Length") == "5000");
}

TEST_CASE("client verifies TLS against the configured CA", "[net][http_client][tls]") {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse::text(200, "secure"); }, true);
  SECTION("by name") {
    auto result = get(server.base_url() + "/", tls_config());
    REQUIRE(result);
    CHECK(result->body == "secure");
  }
  SECTION("by IP literal") {
    auto result = get("https://127.0.0.1:" + std::to_string(server.port()) + "/", tls_config());
    REQUIRE(result);
    CHECK(result->body == "secure");
  }
  SECTION("without the test CA the certificate is rejected") {
    auto result = get(server.base_url() + "/", fast_config());
    CHECK(fails_with(result, errc::tls_failed));
    CHECK(result.error().detail.find("localhost:" + std::to_string(server.port())) != std::string::npos);
    CHECK(server.request_count() == 0);
  }
}

TEST_CASE("client rejects a certificate for another host name", "[net][http_client][tls]") {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse::text(200, "x"); },
                        FakeHttpServer::other_tls_cert());
  auto by_name = get("https://localhost:" + std::to_string(server.port()) + "/", tls_config());
  CHECK(fails_with(by_name, errc::tls_failed));
  CHECK(by_name.error().detail.find("not valid for localhost") != std::string::npos);
  auto by_ip = get("https://127.0.0.1:" + std::to_string(server.port()) + "/", tls_config());
  CHECK(fails_with(by_ip, errc::tls_failed));
  CHECK(server.request_count() == 0);
}

TEST_CASE("client reports a refused connection", "[net][http_client]") {
  std::string url;
  {
    FakeHttpServer server([](const FakeRequest&) { return FakeResponse::text(200, ""); });
    url = server.base_url() + "/";
  }
  auto result = get(url);
  CHECK(fails_with(result, errc::connect_failed));
  CHECK(result.error().detail.find("connect to 127.0.0.1:") != std::string::npos);
}

TEST_CASE("client times out on a stalled or slow server", "[net][http_client]") {
  FakeHttpServer server([](const FakeRequest& r) {
    FakeResponse response = FakeResponse::text(200, std::string(10, 's'));
    if (r.path == "/stall") response.delay = 5s;
    if (r.path == "/slow") {
      response.chunk_size = 1;
      response.chunk_delay = 100ms;  // 1 s for the body, over the 300 ms read deadline
    }
    return response;
  });
  auto config = fast_config();
  config.read_timeout = 300ms;
  auto start = std::chrono::steady_clock::now();
  auto stalled = get(server.base_url() + "/stall", config);
  CHECK(fails_with(stalled, errc::timeout));
  CHECK(stalled.error().detail == "read from 127.0.0.1:" + std::to_string(server.port()) + " timed out after 300ms");
  auto slow = get(server.base_url() + "/slow", config);
  CHECK(fails_with(slow, errc::timeout));
  CHECK(std::chrono::steady_clock::now() - start < 2s);

  HttpRequest patient;  // the per-request timeout overrides read_timeout
  patient.url = server.base_url() + "/stall";
  patient.timeout = 150ms;
  config.read_timeout = 30s;
  start = std::chrono::steady_clock::now();
  CHECK(fails_with(fetch(patient, config), errc::timeout));
  CHECK(std::chrono::steady_clock::now() - start < 1s);
}

TEST_CASE("client reports a connection closed without a response", "[net][http_client]") {
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse response;
    response.close_without_response = true;
    return response;
  });
  CHECK(fails_with(get(server.base_url() + "/"), errc::protocol_error));
}


TEST_CASE("client times out a TLS handshake nobody answers", "[net][http_client][tls]") {
  // A listening socket that never accepts: the kernel completes TCP connects from its backlog,
  // then nothing ever answers.
  asio::io_context ioc;
  asio::ip::tcp::acceptor silent(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = std::to_string(silent.local_endpoint().port());
  auto config = tls_config();
  config.tls_timeout = 200ms;
  config.read_timeout = 200ms;
  auto tls = get("https://127.0.0.1:" + port + "/", config);
  CHECK(fails_with(tls, errc::timeout));
  CHECK(tls.error().detail == "TLS handshake with 127.0.0.1:" + port + " timed out after 200ms");
  auto plain = get("http://127.0.0.1:" + port + "/", config);
  CHECK(fails_with(plain, errc::timeout));
  CHECK(plain.error().detail == "read from 127.0.0.1:" + port + " timed out after 200ms");
}

TEST_CASE("client reports a name that does not resolve", "[net][http_client]") {
  auto config = fast_config();
  config.connect_timeout = 500ms;
  auto result = get("http://no-such-host.invalid/feed", config);
  REQUIRE_FALSE(result);
  // Offline machines may fail fast or let the resolver run past the deadline: both name the phase.
  const bool expected = result.error().code == make_error_code(errc::connect_failed) ||
                        result.error().code == make_error_code(errc::timeout);
  CHECK(expected);
  CHECK(result.error().detail.rfind("resolve no-such-host.invalid", 0) == 0);
}
