#include "daemon/net/backoff.hpp"

#include <algorithm>

namespace otklik {

Duration full_jitter_backoff(int attempt, Duration base, Duration cap, std::uint64_t random) {
  if (cap <= Duration::zero() || base <= Duration::zero()) return Duration::zero();
  attempt = std::max(attempt, 0);
  // base * 2^attempt without overflow: stop doubling once past the cap.
  auto ceiling = base.count();
  for (int i = 0; i < attempt && ceiling < cap.count(); ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap.count());
  const auto span = static_cast<std::uint64_t>(ceiling) + 1;
  return Duration(static_cast<Duration::rep>(random % span));
}

Duration retry_delay(int attempt, std::optional<std::chrono::seconds> retry_after, Duration base, Duration cap,
                     std::uint64_t random) {
  Duration delay = full_jitter_backoff(attempt, base, cap, random);
  if (retry_after && *retry_after > delay) delay = std::chrono::duration_cast<Duration>(*retry_after);
  return delay;
}

BackoffPolicy::BackoffPolicy(Duration base, Duration cap) : base_(base), cap_(cap) {
  std::random_device device;
  std::seed_seq seed{device(), device(), device(), device()};
  random_.seed(seed);
}

BackoffPolicy::BackoffPolicy(Duration base, Duration cap, std::uint64_t seed)
    : base_(base), cap_(cap), random_(seed) {}

Duration BackoffPolicy::delay(int attempt, std::optional<std::chrono::seconds> retry_after) {
  return retry_delay(attempt, retry_after, base_, cap_, random_());
}

}  // namespace otklik
