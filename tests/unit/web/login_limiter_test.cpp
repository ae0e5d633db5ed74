// Sign-in rate limits per user name and per address, in a sliding window, with bounded memory.

#include "daemon/web/login_limiter.hpp"

#include <catch2/catch.hpp>

using namespace otklik;
using namespace otklik::web;
using namespace std::chrono_literals;

namespace {
const TimePoint t0 = TimePoint{} + std::chrono::hours(24 * 365 * 50);
}

TEST_CASE("failures per user name and per address, step by step", "[web][login_limit]") {
  // Each step: at `at` seconds after t0, a failure (or a success) of `user` from `address`, then
  // whether `probe_user` from `probe_address` may try and after how long.
  struct Step {
    int at;
    std::string_view user, address;
    bool success;
    std::string_view probe_user, probe_address;
    bool allowed;
    int retry_after;  ///< seconds, when not allowed
  };
  // limits: 3 per user, 5 per address, window 60 s
  const Step steps[] = {
      {0, "anna", "10.0.0.1", false, "anna", "10.0.0.1", true, 0},
      {10, "anna", "10.0.0.1", false, "anna", "10.0.0.1", true, 0},
      {20, "anna", "10.0.0.2", false, "anna", "10.0.0.3", false, 40},   // 3 for anna from anywhere
      {20, "", "", true, "boris", "10.0.0.1", true, 0},                 // (a no-op success of "")
      {61, "", "", true, "anna", "10.0.0.3", true, 0},                  // the first fell out of the window
      {62, "boris", "10.0.0.1", false, "boris", "10.0.0.1", true, 0},
      {63, "carl", "10.0.0.1", false, "dora", "10.0.0.1", true, 0},
      {64, "dora", "10.0.0.1", false, "erik", "10.0.0.1", true, 0},     // 10.0.0.1: 10 s, 62, 63, 64 in window
      {65, "erik", "10.0.0.1", false, "fred", "10.0.0.1", false, 5},    // 5 in window; the one at 10 s leaves at 70
      {65, "", "", true, "fred", "10.0.0.9", true, 0},                  // another address may
      {70, "", "", true, "fred", "10.0.0.1", true, 0},
  };
  LoginLimiter limiter({3, 5, 60s, 100});
  for (const auto& s : steps) {
    const TimePoint now = t0 + std::chrono::seconds(s.at);
    if (!s.user.empty()) {
      if (s.success) {
        limiter.succeeded(s.user);
      } else {
        limiter.failed(s.user, s.address, now);
      }
    }
    INFO("at " << s.at << " probe " << s.probe_user << " from " << s.probe_address);
    const auto v = limiter.allowed(s.probe_user, s.probe_address, now);
    CHECK(v.allowed == s.allowed);
    if (!s.allowed) CHECK(v.retry_after == std::chrono::seconds(s.retry_after));
  }
}

TEST_CASE("success clears the user's count, not the address's", "[web][login_limit]") {
  LoginLimiter limiter({2, 3, 60s, 100});
  limiter.failed("anna", "10.0.0.1", t0);
  limiter.failed("anna", "10.0.0.1", t0 + 1s);
  CHECK_FALSE(limiter.allowed("anna", "10.0.0.2", t0 + 2s).allowed);
  limiter.succeeded("anna");
  CHECK(limiter.allowed("anna", "10.0.0.2", t0 + 2s).allowed);
  limiter.failed("boris", "10.0.0.1", t0 + 3s);
  const auto v = limiter.allowed("carl", "10.0.0.1", t0 + 3s);
  CHECK_FALSE(v.allowed);
  CHECK(v.retry_after == 57s);
}

TEST_CASE("a flood of names cannot grow the limiter past its cap", "[web][login_limit]") {
  LoginLimiter limiter({5, 1000000, 60s, 50});
  limiter.failed("anna", "10.0.0.1", t0);
  for (int i = 0; i < 10000; ++i) {
    limiter.failed("random-" + std::to_string(i), "10.0.0." + std::to_string(i % 250), t0 + std::chrono::milliseconds(i));
  }
  CHECK(limiter.user_entries() == 50);
  CHECK(limiter.address_entries() == 50);
  // The oldest went first: the last 50 names are still counted.
  for (int k = 0; k < 4; ++k) limiter.failed("random-9999", "x", t0 + 10s);
  CHECK_FALSE(limiter.allowed("random-9999", "y", t0 + 10s).allowed);
  CHECK(limiter.user_entries() == 50);
}

TEST_CASE("a recently failing name survives eviction of older ones", "[web][login_limit]") {
  LoginLimiter limiter({2, 100, 60s, 3});
  limiter.failed("old", "a", t0);
  limiter.failed("anna", "a", t0 + 1s);
  limiter.failed("b", "a", t0 + 2s);
  limiter.failed("anna", "a", t0 + 3s);  // anna is now the most recent
  limiter.failed("c", "a", t0 + 4s);     // evicts "old"
  CHECK(limiter.user_entries() == 3);
  CHECK_FALSE(limiter.allowed("anna", "z", t0 + 5s).allowed);
}
