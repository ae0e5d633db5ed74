#include "daemon/app/dispatcher.hpp"
#include "daemon/app/source_runner.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace otklik;
using namespace std::chrono_literals;

TEST_CASE("a healthy source polls at its interval", "[schedule]") {
  CHECK(next_poll_delay(5min, 0, std::nullopt, 12345) == 5min);
  CHECK(next_poll_delay(5min, 0, 600s, 12345) == 10min);  // Retry-After wins when longer
}

TEST_CASE("failures back off with full jitter within a growing ceiling", "[schedule]") {
  // base = min(interval, 30s) = 30s; cap = max(interval, 15m) = 15m.
  struct Case {
    std::int64_t failures;
    Duration ceiling;
  };
  for (auto c : {Case{1, 30s}, Case{2, 60s}, Case{3, 120s}, Case{6, 900s}, Case{40, 900s}}) {
    INFO(c.failures);
    for (std::uint64_t r : {0ull, 1ull, 7777ull, 123456789ull, ~0ull}) {
      Duration d = next_poll_delay(5min, c.failures, std::nullopt, r);
      CHECK(d >= 1s);
      CHECK(d <= std::max<Duration>(c.ceiling, 1s));
    }
  }
  // The maximal random value reaches the ceiling exactly: the jitter covers [0, ceiling].
  CHECK(next_poll_delay(5min, 2, std::nullopt, 60'000) == 60s);
  // Never before the server's Retry-After.
  CHECK(next_poll_delay(5min, 1, 3600s, 0) == 3600s);
}

TEST_CASE("delivery retries back off at most a channel's max_backoff", "[schedule][dispatcher]") {
  for (int attempts = 1; attempts < 30; ++attempts)
    for (std::uint64_t r : {0ull, 99ull, ~0ull}) {
      CHECK(delivery_retry_delay(attempts, std::nullopt, r) <= 60s);  // the default
      CHECK(delivery_retry_delay(attempts, std::nullopt, r, 10s) <= 10s);
    }
  // The API's own Retry-After is longer than the cap: it wins.
  CHECK(delivery_retry_delay(3, 300s, 0, 60s) == 300s);
  // The ceiling reaches the cap: the maximal random value waits it out.
  CHECK(delivery_retry_delay(20, std::nullopt, ~0ull % 60'001, 60s) <= 60s);
}

TEST_CASE("delivery retries back off but honour Retry-After", "[schedule][dispatcher]") {
  for (int attempts = 1; attempts < 30; ++attempts)
    for (std::uint64_t r : {0ull, 99ull, ~0ull}) {
      Duration d = delivery_retry_delay(attempts, std::nullopt, r);
      CHECK(d >= 0s);
      CHECK(d <= 5min);
    }
  CHECK(delivery_retry_delay(1, 30s, 0) == 30s);
  CHECK(delivery_retry_delay(20, 1s, ~0ull) <= 5min);
}

TEST_CASE("first polls are spread over the interval by a stable offset per source", "[schedule]") {
  CHECK(first_poll_spread(3, 10min) == 30ms);
  CHECK(first_poll_spread(10'000, 60s) == 60s);   // 100 s of 10 ms would pass the interval
  CHECK(first_poll_spread(1'000, 60s) == 10s);
  CHECK(first_poll_spread(0, 60s) == Duration{0});
  // Stable: the same name, the same offset; inside the spread; different names spread out.
  CHECK(stable_offset("bank-reviews", 60s) == stable_offset("bank-reviews", 60s));
  std::set<Duration::rep> seconds;
  for (int i = 0; i < 1000; ++i) {
    const Duration d = stable_offset("feed-" + std::to_string(i), 60s);
    CHECK(d >= Duration{0});
    CHECK(d < 60s);
    seconds.insert(std::chrono::duration_cast<std::chrono::seconds>(d).count());
  }
  CHECK(seconds.size() == 60);  // every second of the minute gets some of the thousand
  CHECK(stable_offset("x", Duration{0}) == Duration{0});
}

TEST_CASE("a source polled recently waits out its interval after a restart", "[schedule]") {
  const TimePoint now = TimePoint{} + 24h * 20000;
  SourceState fresh;
  CHECK(first_poll_delay("a", 5min, 10s, fresh, now) == stable_offset("a", 10s));
  SourceState recent;
  recent.last_attempt = now - 2min;
  const Duration d = first_poll_delay("a", 5min, 10s, recent, now);
  CHECK(d >= 3min);
  CHECK(d < 3min + 1s);
  SourceState failing = recent;
  failing.consecutive_failures = 2;  // a failing source is retried at its offset, not later
  CHECK(first_poll_delay("a", 5min, 10s, failing, now) == stable_offset("a", 10s));
  SourceState old;
  old.last_attempt = now - 1h;
  CHECK(first_poll_delay("a", 5min, 10s, old, now) == stable_offset("a", 10s));
}

TEST_CASE("the schedule is fixed-rate and never bursts to catch up", "[schedule]") {
  using Steady = std::chrono::steady_clock;
  const Steady::time_point t0{std::chrono::hours(1)};
  // On time: one interval after the previous start, however long the poll took.
  CHECK(next_slot(t0, 10s, t0 + 3s) == t0 + 10s);
  // Overran by 25 s: the next slot of the same grid, not three polls at once.
  CHECK(next_slot(t0, 10s, t0 + 25s) == t0 + 30s);
  CHECK(next_slot(t0, 10s, t0 + 30s) == t0 + 40s);
  // The jitter is small and never negative.
  for (std::uint64_t r : {0ull, 1ull, 12345ull, ~0ull}) {
    CHECK(start_jitter(60s, r) >= Duration{0});
    CHECK(start_jitter(60s, r) < 500ms);
    CHECK(start_jitter(10s, r) < 200ms);
  }
  CHECK(start_jitter(Duration{0}, 7) == Duration{0});
}
