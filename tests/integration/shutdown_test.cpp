// SIGTERM ends within shutdown_timeout whatever the daemon is doing: the first poll of a feed of
// 30,000 items half stored (the next run stores the rest, nothing is lost), or a chat API that
// never answers an alert.
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <regex>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

double metric(const std::string& text, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex("\n" + name + " ([0-9.e+]+)"))) return -1;
  return std::stod(m[1]);
}

/// Stops the daemon (as SIGTERM) and returns how long it took to end.
std::chrono::milliseconds timed_stop(DaemonHarness& h) {
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(h.stop() == 0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
}

}  // namespace

TEST_CASE("SIGTERM during a huge first poll ends in time, and the next run stores the rest", "[integration][shutdown]") {
  constexpr int kItems = 30'000;
  FakeSite site;
  std::vector<FeedItem> items;
  const auto now = std::chrono::system_clock::now();
  for (int i = 0; i < kItems; ++i)
    items.push_back({"i" + std::to_string(i), "Review " + std::to_string(i),
                     i % 4 == 0 ? "Waited an hour, rude staff, terrible." : "Fine service, thank you.", now - 240h});
  serve_feed(site, items);
  const std::string config = fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"
shutdown_timeout = "2s"

[http]
per_host_delay = "0s"

[[source]]
name = "huge"
type = "rss"
url = "{}"
interval = "1s"

[[channel]]
name = "console"
type = "console"

[[route]]
channel = "console"
)",
                                         site.url("/feed.rss"));
  DaemonHarness h;
  h.write_config(config);
  h.start();
  REQUIRE(wait_until([&] { return site.hits("/feed.rss") >= 1; }, 10s));
  // Let it store some slices, then stop in the middle.
  REQUIRE(wait_until([&] { return metric(h.health_get("/metrics").second, "otklik_mentions_stored") > 0; }, 30s));
  const double stored_before = metric(h.health_get("/metrics").second, "otklik_mentions_stored");
  const auto took = timed_stop(h);
  WARN("stop took " << took.count() << " ms with " << stored_before << " of " << kItems << " stored");
  CHECK(took < 2s + 1500ms);

  // The next run reads the page again and stores what the first did not: nothing lost, nothing twice.
  h.start();
  REQUIRE(wait_until([&] { return metric(h.health_get("/metrics").second, "otklik_mentions_stored") >= kItems; }, 60s));
  CHECK(metric(h.health_get("/metrics").second, "otklik_mentions_stored") == kItems);
  CHECK(timed_stop(h) < 3500ms);
}

TEST_CASE("SIGTERM while a chat API never answers ends in time", "[integration][shutdown]") {
  FakeSite site;
  serve_feed(site, {{"n1", "Review", "Terrible service, rude staff, waited an hour. Never again.",
                     std::chrono::system_clock::now() - 1min}});
  FakeResponse hang = FakeResponse::json(200, "{}");
  hang.delay = 60s;
  site.put_response("/hook", hang);
  const std::string config = fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"
shutdown_timeout = "2s"

[http]
per_host_delay = "0s"
read_timeout = "50s"

[[source]]
name = "reviews"
type = "rss"
url = "{}"
interval = "1s"

[[channel]]
name = "hook"
type = "webhook"
url = "{}"

[[route]]
channel = "hook"
)",
                                         site.url("/feed.rss"), site.url("/hook"));
  DaemonHarness h;
  h.write_config(config);
  h.start();
  REQUIRE(wait_until([&] { return site.hits("/hook") >= 1; }, 20s));  // the alert's send hangs
  const auto took = timed_stop(h);
  INFO("stop took " << took.count() << " ms");
  CHECK(took < 2s + 1500ms);
}
