#include "daemon/net/http_client.hpp"
#include "sources/source.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/http/fake_http_server.hpp"
#include "tests/support/fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>
#include <deque>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

Result<PollResult> run_poll(boost::asio::io_context& io, Source& source, PollContext ctx) {
  auto future = boost::asio::co_spawn(io, source.poll(std::move(ctx)), boost::asio::use_future);
  io.restart();
  io.run();
  return future.get();
}

/// An HttpClient that answers from a queue, for the status and failure paths.
class ScriptedHttpClient final : public HttpClient {
 public:
  std::deque<Result<HttpResponse>> answers;
  std::vector<HttpRequest> requests;

  boost::asio::awaitable<Result<HttpResponse>> fetch(HttpRequest request) override {
    requests.push_back(std::move(request));
    Result<HttpResponse> answer = answers.front();
    answers.pop_front();
    co_return answer;
  }
};

SourceConfig rss_config(std::string url) {
  SourceConfig config;
  config.name = "acme-feed";
  config.type = "rss";
  config.url = std::move(url);
  config.brand = "acme";
  return config;
}

}  // namespace

TEST_CASE("rss source polls a real HTTP server: 200 with ETag, then 304", "[sources][rss][http]") {
  const std::string feed = test::read_fixture("rss/rss20_cdata.xml");
  test::FakeHttpServer server([&](const test::FakeRequest& request) {
    if (request.header("If-None-Match") == "\"v1\"") {
      test::FakeResponse not_modified;
      not_modified.status = 304;
      not_modified.headers = {{"ETag", "\"v1\""}};
      return not_modified;
    }
    auto response = test::FakeResponse::text(200, feed, "application/rss+xml; charset=utf-8");
    response.headers.emplace_back("ETag", "\"v1\"");
    response.headers.emplace_back("Last-Modified", "Tue, 05 Mar 2024 15:00:00 GMT");
    return response;
  });

  boost::asio::io_context io;
  HttpConfig http_config;
  http_config.per_host_delay = 0ms;
  auto client = make_http_client(io.get_executor(), http_config, "otklik-test");
  const auto registry = SourceRegistry::with_builtin_types();
  auto source = registry.create(rss_config(server.base_url() + "/acme/feed"));
  const TimePoint now = SystemClock::from_time_t(1'710'000'000);

  SourceState state;
  auto first = run_poll(io, *source, PollContext{*client, state, now, "otklik-test/1"});
  REQUIRE(first);
  CHECK_FALSE(first->not_modified);
  CHECK(first->etag == "\"v1\"");
  CHECK(first->last_modified == "Tue, 05 Mar 2024 15:00:00 GMT");
  REQUIRE(first->mentions.size() == 4);
  CHECK(first->mentions[0].source == "acme-feed");
  CHECK(first->mentions[0].brand == "acme");
  CHECK(first->mentions[0].fetched == now);
  CHECK(first->mentions[1].url == server.base_url() + "/acme/r/1002");  // resolved against the feed URL
  CHECK(first->warnings.size() == 2);

  state.etag = first->etag;
  state.last_modified = first->last_modified;
  auto second = run_poll(io, *source, PollContext{*client, state, now + 15min, "otklik-test/1"});
  REQUIRE(second);
  CHECK(second->not_modified);
  CHECK(second->mentions.empty());
  CHECK(second->etag == "\"v1\"");
  CHECK(second->last_modified == "Tue, 05 Mar 2024 15:00:00 GMT");

  const auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK_FALSE(requests[0].header("If-None-Match").has_value());
  CHECK(requests[1].header("If-None-Match") == "\"v1\"");
  CHECK(requests[1].header("If-Modified-Since") == "Tue, 05 Mar 2024 15:00:00 GMT");
  CHECK(requests[0].header("User-Agent") == "otklik-test/1");
}

TEST_CASE("source poll failures are values", "[sources][http]") {
  boost::asio::io_context io;
  ScriptedHttpClient client;
  const auto registry = SourceRegistry::with_builtin_types();
  auto source = registry.create(rss_config("https://feeds.example/acme"));
  SourceState state;
  state.etag = "\"old\"";
  const TimePoint now = SystemClock::from_time_t(1'710'000'000);

  SECTION("a 500 becomes an http_status failure") {
    HttpResponse response;
    response.status = 500;
    client.answers.emplace_back(response);
    auto r = run_poll(io, *source, PollContext{client, state, now, ""});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::http_status);
    CHECK(r.error().http_status == 500);
    CHECK(client.requests.at(0).etag == "\"old\"");
  }
  SECTION("a transport failure is passed through") {
    client.answers.emplace_back(Failure(errc::timeout, "read"));
    auto r = run_poll(io, *source, PollContext{client, state, now, ""});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::timeout);
  }
  SECTION("garbage is parse_failed naming the URL") {
    HttpResponse response;
    response.status = 200;
    response.body = "<html>not a feed";
    response.final_url = "https://feeds.example/acme?redirected=1";
    client.answers.emplace_back(response);
    auto r = run_poll(io, *source, PollContext{client, state, now, ""});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::parse_failed);
    CHECK(r.error().detail.starts_with("https://feeds.example/acme?redirected=1: "));
  }
  SECTION("304 without validators keeps the previous ones") {
    HttpResponse response;
    response.status = 304;
    client.answers.emplace_back(response);
    auto r = run_poll(io, *source, PollContext{client, state, now, ""});
    REQUIRE(r);
    CHECK(r->not_modified);
    CHECK(r->etag == "\"old\"");
  }
}

TEST_CASE("a feed's repaired bytes are reported once per source, not on every poll", "[sources][rss][encoding]") {
  boost::asio::io_context io;
  ScriptedHttpClient client;
  const auto registry = SourceRegistry::with_builtin_types();
  const SourceConfig config = rss_config("https://reviews.example.org/zvezda/feed");
  auto source = registry.create(config);
  SourceState state;
  const TimePoint now = SystemClock::from_time_t(1'717'400'000);
  HttpResponse response;
  response.status = 200;
  response.headers = {{"Content-Type", "application/rss+xml; charset=utf-8"}};
  response.body = test::read_fixture("rss/rss20_invalid_utf8.xml");
  for (int i = 0; i < 3; ++i) client.answers.emplace_back(response);
  auto repair_warnings = [](const PollResult& r) {
    return std::count_if(r.warnings.begin(), r.warnings.end(),
                         [](const std::string& w) { return w.find("U+FFFD") != std::string::npos; });
  };

  auto first = run_poll(io, *source, PollContext{client, state, now, ""});
  REQUIRE(first);
  CHECK(first->mentions.size() == 3);  // the item with bad bytes included
  CHECK(repair_warnings(*first) == 1);

  auto second = run_poll(io, *source, PollContext{client, state, now + 15min, ""});
  REQUIRE(second);
  CHECK(second->mentions.size() == 3);
  CHECK(repair_warnings(*second) == 0);

  // A new source object (a config reload, a restart) tells the operator again.
  auto reloaded = registry.create(config);
  auto third = run_poll(io, *reloaded, PollContext{client, state, now + 30min, ""});
  REQUIRE(third);
  CHECK(repair_warnings(*third) == 1);
}
