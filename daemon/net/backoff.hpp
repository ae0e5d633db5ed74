#pragma once
/// Retry delays: exponential backoff with full jitter, never earlier than the peer's Retry-After.
/// The functions are pure (the random number is an argument); BackoffPolicy supplies randomness.

#include "daemon/core/duration.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace otklik {

/// Full jitter: uniform in [0, min(cap, base * 2^attempt)], picked by `random` (any 64-bit value).
/// attempt 0 is the first retry. Negative attempts count as 0; a non-positive cap gives 0.
Duration full_jitter_backoff(int attempt, Duration base, Duration cap, std::uint64_t random);

/// The delay before retry `attempt`: full jitter, but never less than `retry_after` when the peer
/// asked for a wait (429/503 Retry-After, an API's retry_after).
Duration retry_delay(int attempt, std::optional<std::chrono::seconds> retry_after, Duration base, Duration cap,
                     std::uint64_t random);

/// Backoff parameters plus a random source, for callers that retry.
class BackoffPolicy {
 public:
  /// Seeded from std::random_device.
  BackoffPolicy(Duration base, Duration cap);
  /// Seeded explicitly (reproducible tests).
  BackoffPolicy(Duration base, Duration cap, std::uint64_t seed);

  /// retry_delay() with the next random number.
  Duration delay(int attempt, std::optional<std::chrono::seconds> retry_after = std::nullopt);

 private:
  Duration base_;
  Duration cap_;
  std::mt19937_64 random_;
};

}  // namespace otklik
