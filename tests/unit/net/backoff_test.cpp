#include "daemon/net/backoff.hpp"

#include "tests/support/catch_result.hpp"

#include <limits>

using namespace otklik;
using namespace std::chrono_literals;

TEST_CASE("full jitter stays within min(cap, base * 2^attempt)", "[net][backoff]") {
  struct Case {
    int attempt;
    Duration base;
    Duration cap;
    std::uint64_t random;
    Duration expected;
  };
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  const Case cases[] = {
      {0, 1000ms, 60000ms, 0, 0ms},                 // lowest
      {0, 1000ms, 60000ms, 1000, 1000ms},           // ceiling is inclusive: 1001 values
      {0, 1000ms, 60000ms, 1001, 0ms},              // wraps
      {1, 1000ms, 60000ms, 2000, 2000ms},           // 2^1
      {3, 1000ms, 60000ms, 8000, 8000ms},           // 2^3
      {3, 1000ms, 60000ms, 8001, 0ms},
      {6, 1000ms, 60000ms, 60000, 60000ms},         // 64 s capped at 60 s
      {6, 1000ms, 60000ms, 60001, 0ms},
      {200, 1000ms, 60000ms, 59999, 59999ms},       // huge attempt: no overflow
      {200, 1000ms, 60000ms, kMax, Duration(kMax % 60001)},
      {-3, 1000ms, 60000ms, 1000, 1000ms},          // negative attempt counts as 0
      {2, 0ms, 60000ms, 12345, 0ms},                // no base: no wait
      {2, 1000ms, 0ms, 12345, 0ms},                 // no cap: no wait
  };
  for (const auto& c : cases) {
    INFO("attempt " << c.attempt << " random " << c.random);
    CHECK(full_jitter_backoff(c.attempt, c.base, c.cap, c.random) == c.expected);
  }
}

TEST_CASE("retry_delay never comes before Retry-After", "[net][backoff]") {
  struct Case {
    int attempt;
    std::optional<std::chrono::seconds> retry_after;
    std::uint64_t random;
    Duration expected;
  };
  const Case cases[] = {
      {0, std::nullopt, 700, 700ms},
      {0, 5s, 700, 5000ms},      // Retry-After wins over a shorter jitter
      {4, 5s, 9000, 9000ms},     // a longer jitter stays
      {4, 0s, 9000, 9000ms},
      {10, 3600s, 1, 3600000ms}, // beyond the cap: the peer's wait is honoured anyway
  };
  for (const auto& c : cases) {
    INFO("attempt " << c.attempt);
    CHECK(retry_delay(c.attempt, c.retry_after, 1000ms, 60000ms, c.random) == c.expected);
  }
}

TEST_CASE("BackoffPolicy draws delays within bounds and repeats with a seed", "[net][backoff]") {
  BackoffPolicy a(500ms, 10s, 42);
  BackoffPolicy b(500ms, 10s, 42);
  for (int attempt = 0; attempt < 8; ++attempt) {
    const auto d = a.delay(attempt);
    CHECK(d >= 0ms);
    CHECK(d <= std::min<Duration>(10s, 500ms * (1 << attempt)));
    CHECK(b.delay(attempt) == d);
  }
  BackoffPolicy seeded_from_device(500ms, 10s);
  CHECK(seeded_from_device.delay(3, 20s) == 20000ms);
}
