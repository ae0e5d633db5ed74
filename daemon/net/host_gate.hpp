#pragma once
/// Politeness: a minimum gap between the starts of requests to one host. The scheduling is pure
/// (time is an argument); wait_turn() turns a reserved slot into a timer wait.

#include "daemon/core/duration.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace otklik {

class HostGate {
 public:
  using Clock = std::chrono::steady_clock;

  /// `min_gap` between request starts per key; zero or negative disables the gate.
  explicit HostGate(Duration min_gap);

  /// Reserves the next slot for `key` ("host:port") and returns when the request may start:
  /// `now` if the host is free, else the previous slot plus the gap. Thread-safe.
  Clock::time_point reserve(const std::string& key, Clock::time_point now);

  /// Number of hosts remembered (old entries are dropped once they no longer delay anyone).
  [[nodiscard]] std::size_t size() const;

 private:
  Duration min_gap_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Clock::time_point> next_free_;
};

/// Reserves a slot in `gate` and waits for it on a steady_timer. The gate must outlive the wait.
boost::asio::awaitable<void> wait_turn(HostGate& gate, std::string key);

}  // namespace otklik
