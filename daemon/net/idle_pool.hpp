#pragma once
/// Idle keep-alive connections waiting for their next request, keyed by origin
/// ("https://host:port"). Bookkeeping only: time is an argument and closing a connection is
/// destroying it, so the bounds and the expiry are tested without sockets (any `Connection`
/// whose destructor closes it will do).
///
/// Not thread-safe: the HTTP client uses it from the I/O thread only. Operations scan the idle
/// list, which the `total` bound keeps short.

#include "daemon/core/duration.hpp"

#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace otklik {

struct IdlePoolLimits {
  std::size_t per_host = 4;   ///< idle connections kept per origin; 0 = keep none
  std::size_t total = 64;     ///< idle connections kept over all origins; 0 = keep none
  Duration idle_timeout = std::chrono::seconds(15);  ///< an idle connection older than this is closed
};

template <class Connection>
class IdlePool {
 public:
  using Clock = std::chrono::steady_clock;

  explicit IdlePool(IdlePoolLimits limits) : limits_(limits) {}

  /// False when the limits keep nothing (keep-alive off).
  [[nodiscard]] bool enabled() const noexcept { return limits_.per_host > 0 && limits_.total > 0; }
  [[nodiscard]] const IdlePoolLimits& limits() const noexcept { return limits_; }

  /// The most recently parked connection for `key` that `usable(Connection&)` accepts, or null.
  /// Expired connections (of any key) are closed first; those `usable` rejects are closed and
  /// counted in `*rejected`.
  template <class Usable>
  std::unique_ptr<Connection> take(const std::string& key, Clock::time_point now, Usable&& usable,
                                   std::size_t* rejected = nullptr) {
    close_expired(now);
    for (auto it = idle_.end(); it != idle_.begin();) {
      --it;
      if (it->key != key) continue;
      std::unique_ptr<Connection> connection = std::move(it->connection);
      it = idle_.erase(it);
      if (usable(*connection)) return connection;
      if (rejected != nullptr) ++*rejected;
    }
    return nullptr;
  }

  /// Parks `connection` for `key`. To stay within the bounds the oldest idle connection of the
  /// same origin, else the oldest of all, is closed; with keep-alive off `connection` is closed.
  void put(std::string key, std::unique_ptr<Connection> connection, Clock::time_point now) {
    close_expired(now);
    if (!enabled() || !connection) return;
    std::size_t same = 0;
    auto oldest_same = idle_.end();
    for (auto it = idle_.begin(); it != idle_.end(); ++it) {
      if (it->key != key) continue;
      if (same++ == 0) oldest_same = it;
    }
    if (same >= limits_.per_host) {
      idle_.erase(oldest_same);
    } else if (idle_.size() >= limits_.total) {
      idle_.pop_front();
    }
    idle_.push_back(Idle{std::move(key), std::move(connection), now});
  }

  /// Closes the connections idle for `idle_timeout` or longer; returns how many.
  std::size_t close_expired(Clock::time_point now) {
    std::size_t closed = 0;
    while (!idle_.empty() && now - idle_.front().since >= limits_.idle_timeout) {
      idle_.pop_front();
      ++closed;
    }
    return closed;
  }

  /// When the oldest idle connection expires; nullopt when none is idle.
  [[nodiscard]] std::optional<Clock::time_point> next_expiry() const {
    if (idle_.empty()) return std::nullopt;
    return idle_.front().since + std::chrono::duration_cast<Clock::duration>(limits_.idle_timeout);
  }

  /// Closes every idle connection.
  void clear() noexcept { idle_.clear(); }

  [[nodiscard]] std::size_t size() const noexcept { return idle_.size(); }
  [[nodiscard]] std::size_t size(const std::string& key) const {
    std::size_t n = 0;
    for (const auto& i : idle_) n += i.key == key ? 1 : 0;
    return n;
  }

 private:
  struct Idle {
    std::string key;
    std::unique_ptr<Connection> connection;
    Clock::time_point since;
  };
  IdlePoolLimits limits_;
  std::list<Idle> idle_;  ///< oldest first (parked in time order)
};

}  // namespace otklik
