// Work that must not grow with the history, counted rather than timed: the daemon polls 300 feeds
// against a store pre-seeded with 1,000 and then 100,000 mentions (the same sources, brand and
// authors), and SQLite's own count of the steps its statements ran (sqlite3_stmt_status, read from
// /metrics) per poll must stay under one bound, the same for both histories.
#include "harness.hpp"
#include "tests/support/store/seed_history.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <regex>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

constexpr int kFeeds = 300;

std::string feed_path(int i) { return fmt::format("/f{}.rss", i); }

std::vector<FeedItem> feed_items(int feed, int extra) {
  std::vector<FeedItem> items;
  const auto now = std::chrono::system_clock::now();
  for (int j = 0; j < extra; ++j) {
    items.push_back({fmt::format("f{}-new{}", feed, j), "Review",
                     "Waited two hours on hold, then they hung up on me. Terrible support, never again.", now - 1min,
                     seed_author(feed * 3 + j)});
  }
  for (int j = 0; j < 20 - extra; ++j) {
    const bool negative = j % 3 == 0;
    items.push_back({fmt::format("f{}-{}", feed, j), "Review",
                     negative ? "Charged twice and nobody answers the phone. Awful." : "Quick and friendly service, thanks.",
                     now - 240h - std::chrono::minutes(j), seed_author(feed + j)});
  }
  return items;
}

std::string config(const FakeSite& site) {
  std::string sources;
  for (int i = 0; i < kFeeds; ++i)
    sources += fmt::format("[[source]]\nname = \"seed-{}\"\ntype = \"rss\"\nurl = \"{}\"\ninterval = \"1s\"\n"
                           "brand = \"Bank\"\n\n",
                           i, site.url(feed_path(i)));
  return fmt::format(R"(
[daemon]
state = "otklik.db"
listen = "127.0.0.1:0"
log_level = "warn"

[http]
per_host_delay = "0s"

[[brand]]
name = "Bank"

[[channel]]
name = "chat"
type = "console"

[[route]]
channel = "chat"

{}
)",
                     sources);
}

double metric(const std::string& text, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex("\n" + name + " ([0-9.e+]+)"))) return -1;
  return std::stod(m[1]);
}

std::size_t total_hits(const FakeSite& site) {
  std::size_t n = 0;
  for (int i = 0; i < kFeeds; ++i) n += site.hits(feed_path(i));
  return n;
}

bool every_feed_polled(const FakeSite& site, std::size_t times) {
  for (int i = 0; i < kFeeds; ++i)
    if (site.hits(feed_path(i)) < times) return false;
  return true;
}

struct Measured {
  double steps_per_poll = 0;
  double fullscan_steps = 0;
  std::size_t polls = 0;
};

/// Seeds the history, starts the daemon, lets every feed be polled (the baseline) and news arrive
/// (spike baselines and author histories warm), then counts the store's steps over later rounds
/// in which some feeds gain a negative review by a returning author.
Measured measure(std::int64_t history) {
  FakeSite site;
  for (int i = 0; i < kFeeds; ++i) site.put(feed_path(i), "application/rss+xml", rss_feed(feed_items(i, 0)));
  DaemonHarness h;
  h.write_config(config(site));
  {
    ManualClock clock(std::chrono::system_clock::now());
    auto store = SqliteStore::open((h.dir() / "otklik.db").string(), clock);
    REQUIRE(store);
    SeedOptions o;
    o.mentions = history;
    o.sources = kFeeds;
    o.brand = "Bank";
    REQUIRE(seed_history(**store, clock, clock.now(), o));
  }
  h.start();
  REQUIRE(wait_until([&] { return every_feed_polled(site, 2); }, 60s));
  // Warm-up news: every tenth feed gains a negative review.
  for (int i = 0; i < kFeeds; i += 10) site.put(feed_path(i), "application/rss+xml", rss_feed(feed_items(i, 1)));
  const std::size_t warm = total_hits(site);
  REQUIRE(wait_until([&] { return total_hits(site) >= warm + 2 * kFeeds; }, 60s));

  auto [s0, before] = h.health_get("/metrics");
  const std::size_t hits0 = total_hits(site);
  // Measured rounds: other feeds gain a negative review each.
  for (int i = 5; i < kFeeds; i += 10) site.put(feed_path(i), "application/rss+xml", rss_feed(feed_items(i, 1)));
  REQUIRE(wait_until([&] { return total_hits(site) >= hits0 + 3 * kFeeds; }, 60s));
  auto [s1, after] = h.health_get("/metrics");
  const std::size_t hits1 = total_hits(site);
  h.stop();
  REQUIRE(s0 == 200);
  REQUIRE(s1 == 200);
  Measured m;
  m.polls = hits1 - hits0;
  m.steps_per_poll = (metric(after, "otklik_store_vm_steps") - metric(before, "otklik_store_vm_steps")) /
                     static_cast<double>(m.polls);
  m.fullscan_steps = metric(after, "otklik_store_fullscan_steps") - metric(before, "otklik_store_fullscan_steps");
  return m;
}

}  // namespace

TEST_CASE("a poll's store work does not grow with the history", "[integration][scale]") {
  const Measured small = measure(1'000);
  const Measured large = measure(100'000);
  INFO("steps per poll: " << small.steps_per_poll << " with 1,000 mentions, " << large.steps_per_poll
                          << " with 100,000; polls " << small.polls << ", " << large.polls);
  // Twenty unchanged items and the source's state are a few hundred steps; a new negative adds its
  // insert, case, outbox rows, counts and the author's history. A rescan of the history would be
  // tens of thousands a poll.
  WARN("steps per poll: " << small.steps_per_poll << " (1k), " << large.steps_per_poll << " (100k)");
  CHECK(small.steps_per_poll < 1500);
  CHECK(large.steps_per_poll < 1500);
  CHECK(large.steps_per_poll < small.steps_per_poll * 1.25 + 50);
  CHECK(large.fullscan_steps < 1000);
}
