// Keep-alive of the real client against the fake server on 127.0.0.1 (plain and TLS): which
// responses leave a reusable connection, stale connections, retries, bounds, expiry, shutdown.
#include "tests/unit/net/client_test_helpers.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <optional>
#include <thread>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

HttpRequest post(const std::string& url, std::string body) {
  HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.body = std::move(body);
  request.headers = {{"Content-Type", "application/json"}};
  return request;
}

/// Polls `done` (another thread's view, e.g. the fake server's) for up to 2 s.
template <class Done>
bool eventually(Done done) {
  const auto until = std::chrono::steady_clock::now() + 2s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

asio::awaitable<void> pause(Duration d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(asio::use_awaitable);
}

std::size_t count_path(const std::vector<FakeRequest>& requests, const std::string& path) {
  std::size_t n = 0;
  for (const auto& r : requests) n += r.path == path ? 1 : 0;
  return n;
}

FakeResponse ok(std::string body = "ok") { return FakeResponse::text(200, std::move(body)); }

}  // namespace

TEST_CASE("ten sequential GETs to one host use one connection", "[net][http][keepalive]") {
  FakeHttpServer server([](const FakeRequest&) { return ok(); });
  ClientRig rig;
  for (int i = 0; i < 10; ++i) REQUIRE(rig.get(server.base_url() + "/feed?page=" + std::to_string(i)));
  CHECK(server.connections_accepted() == 1);
  auto requests = server.requests();
  REQUIRE(requests.size() == 10);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    CHECK(requests[i].connection == 1);
    CHECK(requests[i].on_connection == i + 1);
    CHECK_FALSE(requests[i].header("Connection"));  // keep-alive is HTTP/1.1's default
  }
  auto stats = rig.stats();
  CHECK(stats.connections_opened == 1);
  CHECK(stats.requests_reused == 9);
  CHECK(stats.stale_retries == 0);
  CHECK(stats.idle == 1);
}

TEST_CASE("Connection: close from the server means a new connection next time", "[net][http][keepalive]") {
  FakeHttpServer server([](const FakeRequest& r) {
    auto response = ok();
    if (r.path == "/close") response.headers.emplace_back("Connection", "close");
    return response;
  });
  ClientRig rig;
  REQUIRE(rig.get(server.base_url() + "/close"));
  CHECK(rig.stats().idle == 0);
  REQUIRE(rig.get(server.base_url() + "/close"));
  REQUIRE(rig.get(server.base_url() + "/keep"));
  REQUIRE(rig.get(server.base_url() + "/keep"));
  CHECK(server.connections_accepted() == 3);
  CHECK(rig.stats().connections_opened == 3);
  CHECK(rig.stats().requests_reused == 1);
}

TEST_CASE("HTTP/1.0 answers are reused only with Connection: keep-alive", "[net][http][keepalive]") {
  FakeHttpServer server([](const FakeRequest& r) {
    auto response = ok("old");
    response.version = 10;
    if (r.path == "/keep") response.headers.emplace_back("Connection", "keep-alive");
    return response;
  });
  ClientRig rig;
  CHECK(rig.get(server.base_url() + "/plain").value().body == "old");
  CHECK(rig.stats().idle == 0);
  CHECK(rig.get(server.base_url() + "/keep").value().body == "old");
  CHECK(rig.get(server.base_url() + "/keep").value().body == "old");
  CHECK(server.connections_accepted() == 2);
  CHECK(rig.stats().idle == 1);
}

TEST_CASE("chunked bodies keep the connection, a body until EOF does not", "[net][http][keepalive]") {
  FakeHttpServer server([](const FakeRequest& r) {
    auto response = ok(std::string(3000, 'c'));
    if (r.path == "/chunked") {
      response.headers.emplace_back("Transfer-Encoding", "chunked");
      response.chunk_size = 700;
    } else if (r.path == "/eof") {
      response.raw = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end";
    }
    return response;
  });
  ClientRig rig;
  for (int i = 0; i < 3; ++i) CHECK(rig.get(server.base_url() + "/chunked").value().body.size() == 3000);
  CHECK(server.connections_accepted() == 1);
  CHECK(rig.get(server.base_url() + "/eof").value().body == "until the end");
  CHECK(rig.stats().idle == 0);
  CHECK(rig.get(server.base_url() + "/chunked"));
  CHECK(server.connections_accepted() == 2);
  CHECK(rig.stats().stale_discarded == 0);  // the EOF-delimited one was never parked
}

TEST_CASE("HEAD answers with their framing declared leave the connection reusable", "[net][http][keepalive]") {
  FakeHttpServer server([](const FakeRequest&) { return ok(std::string(5000, 'h')); });
  ClientRig rig;
  HttpRequest head;
  head.method = "HEAD";
  head.url = server.base_url() + "/";
  auto result = rig.fetch(head);
  REQUIRE(result);
  CHECK(result->header("Content-Length") == "5000");
  CHECK(rig.get(server.base_url() + "/").value().body == std::string(5000, 'h'));
  CHECK(server.connections_accepted() == 1);
}

TEST_CASE("a connection the server closed while idle is replaced before use", "[net][http][keepalive]") {
  FakeHttpServer server([](const FakeRequest&) { return ok(); });
  server.close_idle_after(30ms);
  ClientRig rig;
  REQUIRE(rig.get(server.base_url() + "/"));
  REQUIRE(eventually([&] { return server.connections_open() == 0; }));
  CHECK(rig.stats().idle == 1);  // the client has not looked yet
  REQUIRE(rig.get(server.base_url() + "/"));
  auto stats = rig.stats();
  CHECK(stats.stale_discarded == 1);
  CHECK(stats.stale_retries == 0);
  CHECK(stats.connections_opened == 2);
  CHECK(server.request_count() == 2);
}

TEST_CASE("a GET on a reused connection that the server drops is sent once more on a fresh one",
          "[net][http][keepalive]") {
  // The server gives up on each connection when its second request arrives, as a server whose
  // keep-alive timeout strikes just then.
  FakeHttpServer server([](const FakeRequest& r) {
    FakeResponse response = ok(r.path);
    response.close_without_response = r.on_connection == 2;
    return response;
  });
  ClientRig rig;
  REQUIRE(rig.get(server.base_url() + "/a"));
  auto second = rig.get(server.base_url() + "/b");
  REQUIRE(second);
  CHECK(second->body == "/b");
  auto stats = rig.stats();
  CHECK(stats.stale_retries == 1);
  CHECK(stats.connections_opened == 2);
  CHECK(server.connections_accepted() == 2);
  CHECK(count_path(server.requests(), "/b") == 2);

  SECTION("on a fresh connection the same failure is returned as it is") {
    server.set_handler([](const FakeRequest&) {
      FakeResponse response;
      response.close_without_response = true;
      return response;
    });
    ClientRig fresh;
    CHECK(fails_with(fresh.get(server.base_url() + "/c"), errc::protocol_error));
    CHECK(count_path(server.requests(), "/c") == 1);
    CHECK(fresh.stats().stale_retries == 0);
  }
}

TEST_CASE("a POST on a reused connection is sent again only if the server never read it",
          "[net][http][keepalive]") {
  std::atomic<int> handled{0};
  FakeHttpServer server([&handled](const FakeRequest& r) {
    ++handled;
    FakeResponse response = FakeResponse::json(200, "{\"ok\":true}");
    response.close_without_response = r.path == "/read-then-drop" && r.on_connection == 2;
    return response;
  });
  ClientRig rig;
  REQUIRE(rig.fetch(post(server.base_url() + "/first", "{}")));

  SECTION("read, then dropped without an answer: the failure is returned, nothing is sent twice") {
    auto result = rig.fetch(post(server.base_url() + "/read-then-drop", "{\"text\":\"alert\"}"));
    CHECK(fails_with(result, errc::protocol_error));
    CHECK(result.error().detail.find("read from 127.0.0.1:" + std::to_string(server.port())) != std::string::npos);
    CHECK(count_path(server.requests(), "/read-then-drop") == 1);
    CHECK(rig.stats().stale_retries == 0);
    CHECK(server.connections_accepted() == 1);
  }
  SECTION("reset while the request was still being written: sent again on a fresh connection") {
    server.hang_up_after_headers([](const FakeRequest& r) { return r.path == "/big" && r.on_connection == 2; });
    const std::string body(16 << 20, 'x');  // more than the socket buffers hold
    auto result = rig.fetch(post(server.base_url() + "/big", body));
    REQUIRE(result);
    CHECK(rig.stats().stale_retries == 1);
    CHECK(server.connections_accepted() == 2);
    auto requests = server.requests();
    REQUIRE(count_path(requests, "/big") == 2);  // the head seen on the old connection, then the whole
    CHECK(requests.back().body.size() == body.size());
    CHECK(requests.back().connection == 2);
    CHECK(handled == 2);  // "/first" and one "/big"
  }
}

namespace {

/// The fetch, or nothing when `give_up_after` passes first (the fetch is then cancelled).
asio::awaitable<std::optional<Result<HttpResponse>>> fetch_or_give_up(HttpClient* client, std::string url,
                                                                     Duration give_up_after) {
  using namespace asio::experimental::awaitable_operators;
  HttpRequest request;
  request.url = std::move(url);
  asio::steady_timer timer(co_await asio::this_coro::executor, give_up_after);
  auto winner = co_await (client->fetch(std::move(request)) || timer.async_wait(asio::use_awaitable));
  if (winner.index() == 0) co_return std::get<0>(std::move(winner));
  co_return std::nullopt;
}

}  // namespace

TEST_CASE("a timeout, a body over the cap or a cancellation leaves nothing in the pool",
          "[net][http][keepalive]") {
  FakeHttpServer server([](const FakeRequest& r) {
    auto response = ok(r.path == "/big" ? std::string(2000, 'b') : "small");
    if (r.path == "/slow") response.delay = 400ms;
    return response;
  });
  auto config = fast_config();
  config.read_timeout = 150ms;
  config.max_body = 1000;
  ClientRig rig(config);
  REQUIRE(rig.get(server.base_url() + "/warm"));
  CHECK(rig.stats().idle == 1);

  CHECK(fails_with(rig.get(server.base_url() + "/slow"), errc::timeout));
  CHECK(rig.stats().idle == 0);
  CHECK(rig.stats().requests_reused == 0);
  REQUIRE(rig.get(server.base_url() + "/warm"));
  CHECK(fails_with(rig.get(server.base_url() + "/big"), errc::too_large));
  CHECK(rig.stats().idle == 0);
  REQUIRE(rig.get(server.base_url() + "/warm"));
  CHECK(server.connections_accepted() == 3);
  CHECK(rig.stats().idle == 1);

  CHECK_FALSE(rig.run(fetch_or_give_up(&rig.client(), server.base_url() + "/slow", 50ms)));
  CHECK(rig.stats().idle == 0);
  CHECK(rig.stats().stale_retries == 0);
}

namespace {

asio::awaitable<std::vector<Result<HttpResponse>>> fetch_together(HttpClient* client, std::vector<std::string> urls) {
  using namespace asio::experimental::awaitable_operators;
  auto fetch = [client](std::string url) {
    HttpRequest request;
    request.url = std::move(url);
    return client->fetch(std::move(request));
  };
  std::vector<Result<HttpResponse>> out;
  if (urls.size() == 2) {
    auto [a, b] = co_await (fetch(urls[0]) && fetch(urls[1]));
    out = {std::move(a), std::move(b)};
  } else {
    auto [a, b, c, d] = co_await (fetch(urls[0]) && fetch(urls[1]) && fetch(urls[2]) && fetch(urls[3]));
    out = {std::move(a), std::move(b), std::move(c), std::move(d)};
  }
  co_return out;
}

}  // namespace

TEST_CASE("two concurrent requests to one host use two connections and both return to the pool",
          "[net][http][keepalive]") {
  FakeHttpServer server([](const FakeRequest&) {
    auto response = ok();
    response.delay = 100ms;  // both are in flight at once
    return response;
  });
  ClientRig rig;
  auto results = rig.run(fetch_together(&rig.client(), {server.base_url() + "/1", server.base_url() + "/2"}));
  for (const auto& r : results) CHECK(r);
  CHECK(server.connections_accepted() == 2);
  CHECK(rig.stats().idle == 2);
  results = rig.run(fetch_together(&rig.client(), {server.base_url() + "/3", server.base_url() + "/4"}));
  for (const auto& r : results) CHECK(r);
  CHECK(server.connections_accepted() == 2);
  CHECK(rig.stats().requests_reused == 2);
}

TEST_CASE("the pool keeps at most max_idle_per_host per host and max_idle_total overall", "[net][http][keepalive]") {
  SECTION("per host") {
    FakeHttpServer server([](const FakeRequest&) {
      auto response = ok();
      response.delay = 100ms;
      return response;
    });
    auto config = fast_config();
    config.max_idle_per_host = 2;
    ClientRig rig(config);
    const auto u = server.base_url();
    auto results = rig.run(fetch_together(&rig.client(), {u + "/1", u + "/2", u + "/3", u + "/4"}));
    for (const auto& r : results) CHECK(r);
    CHECK(rig.stats().connections_opened == 4);
    CHECK(rig.stats().idle == 2);
    CHECK(eventually([&] { return server.connections_open() == 2; }));
  }
  SECTION("overall: the longest idle goes first") {
    FakeHttpServer one([](const FakeRequest&) { return ok(); });
    FakeHttpServer two([](const FakeRequest&) { return ok(); });
    FakeHttpServer three([](const FakeRequest&) { return ok(); });
    auto config = fast_config();
    config.max_idle_total = 2;
    ClientRig rig(config);
    REQUIRE(rig.get(one.base_url() + "/"));
    REQUIRE(rig.get(two.base_url() + "/"));
    REQUIRE(rig.get(three.base_url() + "/"));
    CHECK(rig.stats().idle == 2);
    CHECK(eventually([&] { return one.connections_open() == 0; }));
    REQUIRE(rig.get(three.base_url() + "/"));
    REQUIRE(rig.get(one.base_url() + "/"));
    CHECK(one.connections_accepted() == 2);
    CHECK(three.connections_accepted() == 1);
  }
}

namespace {

struct ExpirySeen {
  bool fetched = false;
  std::size_t idle_after_fetch = 0;
  std::size_t idle_later = 0;
};

/// One GET; looks at the pool right after it and 250 ms later.
asio::awaitable<ExpirySeen> fetch_and_wait(HttpClient* client, std::string url) {
  ExpirySeen seen;
  HttpRequest request;
  request.url = std::move(url);
  seen.fetched = (co_await client->fetch(std::move(request))).has_value();
  seen.idle_after_fetch = client->stats().idle;
  co_await pause(250ms);
  seen.idle_later = client->stats().idle;
  co_return seen;
}

/// fetch_and_wait() beside the client's expiry task, which is cancelled when it ends.
asio::awaitable<ExpirySeen> fetch_with_expiry(HttpClient* client, std::string url) {
  using namespace asio::experimental::awaitable_operators;
  auto ended = co_await (client->expire_idle_connections() || fetch_and_wait(client, std::move(url)));
  co_return ended.index() == 1 ? std::get<1>(ended) : ExpirySeen{};
}

}  // namespace

TEST_CASE("idle connections are closed after idle_timeout", "[net][http][keepalive]") {
  FakeHttpServer server([](const FakeRequest&) { return ok(); });
  auto config = fast_config();
  config.idle_timeout = 100ms;
  ClientRig rig(config);
  SECTION("at the next request without the expiry task") {
    REQUIRE(rig.get(server.base_url() + "/"));
    rig.run(pause(150ms));
    REQUIRE(rig.get(server.base_url() + "/"));
    CHECK(rig.stats().connections_opened == 2);
    CHECK(rig.stats().stale_discarded == 0);  // expired, not found closed
    CHECK(eventually([&] { return server.connections_open() == 1; }));
  }
  SECTION("on time with the expiry task, which stops when cancelled") {
    // run() returning at all shows that the task ended when cancelled.
    auto seen = rig.run(fetch_with_expiry(&rig.client(), server.base_url() + "/"));
    CHECK(seen.fetched);
    CHECK(seen.idle_after_fetch == 1);
    CHECK(seen.idle_later == 0);
    CHECK(eventually([&] { return server.connections_open() == 0; }));
  }
}

TEST_CASE("idle connections keep no event loop running and close with the client", "[net][http][keepalive]") {
  FakeHttpServer server([](const FakeRequest&) { return ok(); });
  auto config = fast_config();
  config.idle_timeout = 30s;
  {
    ClientRig rig(config);
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(rig.get(server.base_url() + "/"));  // io_context::run() returns once the GET is done
    CHECK(std::chrono::steady_clock::now() - start < 1s);
    CHECK(rig.stats().idle == 1);
    CHECK(server.connections_open() == 1);
  }
  CHECK(eventually([&] { return server.connections_open() == 0; }));
}

TEST_CASE("TLS connections are reused with their verified peer", "[net][http][keepalive][tls]") {
  FakeHttpServer server([](const FakeRequest&) { return ok("secure"); }, true);
  ClientRig rig(tls_config());
  for (int i = 0; i < 3; ++i) CHECK(rig.get(server.base_url() + "/").value().body == "secure");
  CHECK(server.connections_accepted() == 1);
  CHECK(rig.stats().requests_reused == 2);
  // The same port by IP literal is another origin (another certificate check): its own connection.
  CHECK(rig.get("https://127.0.0.1:" + std::to_string(server.port()) + "/").value().body == "secure");
  CHECK(server.connections_accepted() == 2);
  CHECK(rig.stats().idle == 2);

  SECTION("and replaced when the server closed them") {
    server.close_idle_after(30ms);
    REQUIRE(rig.get(server.base_url() + "/"));  // the timeout applies from this answer on
    REQUIRE(eventually([&] { return server.connections_open() == 1; }));  // the by-name one closed
    CHECK(rig.get(server.base_url() + "/").value().body == "secure");
    CHECK(rig.stats().stale_discarded == 1);
  }
}

TEST_CASE("redirects to the same host reuse the connection", "[net][http][keepalive][redirect]") {
  FakeHttpServer server([](const FakeRequest& r) {
    if (r.path == "/old") {
      FakeResponse response;
      response.status = 301;
      response.headers = {{"Location", "/new"}};
      response.body = "moved";
      return response;
    }
    return ok("here");
  });
  ClientRig rig;
  auto result = rig.get(server.base_url() + "/old");
  REQUIRE(result);
  CHECK(result->body == "here");
  CHECK(result->redirects == 1);
  CHECK(server.connections_accepted() == 1);
  CHECK(rig.stats().requests_reused == 1);
}

TEST_CASE("with max_idle_per_host = 0 requests say Connection: close and nothing is kept", "[net][http][keepalive]") {
  FakeHttpServer server([](const FakeRequest&) { return ok(); });
  auto config = fast_config();
  config.max_idle_per_host = 0;
  ClientRig rig(config);
  REQUIRE(rig.get(server.base_url() + "/"));
  REQUIRE(rig.get(server.base_url() + "/"));
  CHECK(server.connections_accepted() == 2);
  CHECK(server.requests().at(0).header("Connection") == "close");
  CHECK(rig.stats().idle == 0);
}
