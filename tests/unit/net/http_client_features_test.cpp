// The real client against the fake server on 127.0.0.1: body limits, decoding, redirects,
// conditional GET, pacing, file://, cancellation.
#include "tests/unit/net/client_test_helpers.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fstream>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;
TEST_CASE("client caps the body", "[net][http_client]") {
  FakeHttpServer server([](const FakeRequest& r) {
    FakeResponse response = FakeResponse::text(200, std::string(2000, 'b'));
    if (r.path == "/chunked") response.headers.emplace_back("Transfer-Encoding", "chunked");
    return response;
  });
  auto config = fast_config();
  config.max_body = 1000;
  CHECK(fails_with(get(server.base_url() + "/length", config), errc::too_large));
  CHECK(fails_with(get(server.base_url() + "/chunked", config), errc::too_large));
  HttpRequest bigger;
  bigger.url = server.base_url() + "/length";
  bigger.max_body = 2000;
  CHECK(fetch(bigger, config).value().body.size() == 2000);
}

TEST_CASE("client decodes gzip and deflate bodies", "[net][http_client]") {
  const std::string text = "<rss><channel><title>Отзывы</title></channel></rss>" + std::string(2000, ' ');
  FakeHttpServer server([&text](const FakeRequest& r) {
    FakeResponse response;
    if (r.path == "/gzip") response = FakeResponse::text(200, gzip(text));
    if (r.path == "/deflate") response = FakeResponse::text(200, zlib_deflate(text));
    if (r.path == "/raw-deflate") response = FakeResponse::text(200, raw_deflate(text));
    if (r.path == "/bomb") response = FakeResponse::text(200, gzip(std::string(8 << 20, 'z')));
    if (r.path == "/corrupt") response = FakeResponse::text(200, "definitely not gzip");
    response.headers.emplace_back("Content-Encoding", r.path == "/deflate" || r.path == "/raw-deflate" ? "deflate" : "gzip");
    return response;
  });
  for (std::string path : {"/gzip", "/deflate", "/raw-deflate"}) {
    INFO(path);
    auto result = get(server.base_url() + path);
    REQUIRE(result);
    CHECK(result->body == text);
    CHECK_FALSE(result->header("Content-Encoding"));
  }
  auto config = fast_config();
  config.max_decompressed = 1 << 20;
  CHECK(fails_with(get(server.base_url() + "/bomb", config), errc::too_large));
  CHECK(fails_with(get(server.base_url() + "/corrupt"), errc::decode_failed));
}

TEST_CASE("client follows redirects by hand", "[net][http_client][redirect]") {
  FakeHttpServer server([](const FakeRequest& r) {
    auto redirect = [](int status, std::string location) {
      FakeResponse response;
      response.status = status;
      response.headers.emplace_back("Location", std::move(location));
      return response;
    };
    if (r.path == "/r3") return redirect(301, "/r2");
    if (r.path == "/r2") return redirect(302, "sub/r1?x=1");
    if (r.path == "/sub/r1") return redirect(307, "../final#frag");
    if (r.path == "/loop") return redirect(302, "/loop");
    if (r.path == "/ftp") return redirect(301, "ftp://example.org/file");
    if (r.path == "/nowhere") return FakeResponse{.status = 302};
    if (r.path == "/see-other") return redirect(303, "/final");
    if (r.path == "/final") return FakeResponse::text(200, r.method + " final " + r.body);
    return FakeResponse::text(404, "no");
  });
  const auto base = server.base_url();

  auto chain = get(base + "/r3");
  REQUIRE(chain);
  CHECK(chain->body == "GET final ");
  CHECK(chain->redirects == 3);
  CHECK(chain->final_url == base + "/final");

  auto config = fast_config();
  config.max_redirects = 3;
  auto before = server.request_count();
  auto loop = get(base + "/loop", config);
  CHECK(fails_with(loop, errc::too_many_redirects));
  CHECK(server.request_count() - before == 4);  // the first answer plus 3 followed redirects

  CHECK(fails_with(get(base + "/ftp"), errc::bad_redirect));
  CHECK(fails_with(get(base + "/nowhere"), errc::bad_redirect));

  HttpRequest post;
  post.method = "POST";
  post.url = base + "/see-other";
  post.body = "form";
  post.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  auto see_other = fetch(post);
  REQUIRE(see_other);
  CHECK(see_other->body == "GET final ");  // 303: GET without the body
  CHECK_FALSE(server.requests().back().header("Content-Type"));

  post.url = base + "/r3";
  auto not_followed = fetch(post);  // 301 after POST is returned, not followed
  REQUIRE(not_followed);
  CHECK(not_followed->status == 301);

  HttpRequest manual;
  manual.url = base + "/r3";
  manual.follow_redirects = false;
  auto manual_result = fetch(manual);
  REQUIRE(manual_result);
  CHECK(manual_result->status == 301);
  CHECK(manual_result->header("Location") == "/r2");
}

TEST_CASE("client sends conditional headers and returns 304", "[net][http_client]") {
  FakeHttpServer server([](const FakeRequest& r) {
    if (r.header("If-None-Match") == "\"v1\"") {
      FakeResponse response;
      response.status = 304;
      response.headers.emplace_back("ETag", "\"v1\"");
      return response;
    }
    FakeResponse response = FakeResponse::text(200, "fresh");
    response.headers.emplace_back("ETag", "\"v1\"");
    response.headers.emplace_back("Last-Modified", "Mon, 23 Nov 2026 10:00:00 GMT");
    return response;
  });
  auto first = get(server.base_url() + "/feed");
  REQUIRE(first);
  CHECK(first->status == 200);
  HttpRequest again;
  again.url = server.base_url() + "/feed";
  again.etag = std::string(*first->header("etag"));
  again.last_modified = std::string(*first->header("last-modified"));
  auto second = fetch(again);
  REQUIRE(second);
  CHECK(second->not_modified());
  CHECK(second->body.empty());
  CHECK_FALSE(status_failure(*second, SystemClock::now()));
  CHECK(server.requests().back().header("If-Modified-Since") == "Mon, 23 Nov 2026 10:00:00 GMT");
}

TEST_CASE("client spaces requests to one host", "[net][http_client]") {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse::text(200, "ok"); });
  auto config = fast_config();
  config.per_host_delay = 150ms;
  std::vector<HttpRequest> requests(3);
  for (auto& r : requests) r.url = server.base_url() + "/";
  const auto start = std::chrono::steady_clock::now();
  auto results = fetch_many(config, requests);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  for (const auto& r : results) CHECK(r);
  CHECK(elapsed >= 300ms);  // the 2nd and 3rd waited their turn
  CHECK(elapsed < 2s);
}

TEST_CASE("client reads file:// URLs", "[net][http_client][file]") {
  TempDir dir;
  std::ofstream(dir.path() / "feed.rss") << "<rss/>";
  std::ofstream(dir.path() / "big.json") << std::string(5000, '1');
  const auto base = "file://" + dir.path().string();
  auto ok = get(base + "/feed.rss");
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(ok->body == "<rss/>");
  CHECK(ok->header("Content-Type") == "application/rss+xml");
  CHECK(fails_with(get(base + "/missing.rss"), errc::io_error));
  auto config = fast_config();
  config.max_body = 4096;
  CHECK(fails_with(get(base + "/big.json", config), errc::too_large));
}

TEST_CASE("client refuses other schemes", "[net][http_client]") {
  CHECK(fails_with(get("ftp://example.org/feed"), errc::unsupported_scheme));
  CHECK(fails_with(get("gopher://example.org/"), errc::unsupported_scheme));
  CHECK(fails_with(get("not a url"), errc::invalid_input));
}

namespace {

asio::awaitable<std::optional<Result<HttpResponse>>> fetch_or_give_up(asio::any_io_executor executor, std::string url,
                                                                     Duration give_up_after) {
  using namespace asio::experimental::awaitable_operators;
  auto config = fast_config();
  config.read_timeout = 30s;
  auto client = make_http_client(executor, config, "OtklikTest/1.0");
  HttpRequest request;
  request.url = std::move(url);
  asio::steady_timer timer(executor, give_up_after);
  auto winner = co_await (client->fetch(std::move(request)) || timer.async_wait(asio::use_awaitable));
  if (winner.index() == 0) co_return std::get<0>(std::move(winner));
  co_return std::nullopt;
}

}  // namespace

TEST_CASE("a fetch stops promptly when its caller cancels it", "[net][http_client]") {
  FakeHttpServer server([](const FakeRequest&) {
    FakeResponse response = FakeResponse::text(200, "late");
    response.delay = 10s;
    return response;
  });
  const auto start = std::chrono::steady_clock::now();
  auto result = run_coroutine([&](asio::any_io_executor ex) {
    return fetch_or_give_up(ex, server.base_url() + "/", 100ms);
  });
  CHECK_FALSE(result.has_value());  // the timer won
  CHECK(std::chrono::steady_clock::now() - start < 2s);
}
