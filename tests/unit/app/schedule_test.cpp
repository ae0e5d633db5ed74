#include "daemon/app/dispatcher.hpp"
#include "daemon/app/source_runner.hpp"

#include <catch2/catch.hpp>

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
