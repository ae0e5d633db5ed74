#pragma once
/// Rate limits on sign-in: failed attempts counted per user name and per client address in a
/// sliding window ([web] login_attempts, login_attempts_per_address, login_window). Past either
/// limit the password is not even checked (argon2id costs 64 MiB and a fraction of a second)
/// until the oldest failure in the window is older than the window. Memory is bounded: each
/// table holds at most `max_entries` names or addresses, and a full table forgets the one whose
/// last failure is the oldest, so a flood of random names cannot grow it (it can only make
/// the per-name count forget — the per-address limit still holds the flooding address).
/// Pure: time is an argument. Not thread-safe: use it from the I/O thread.

#include "daemon/core/duration.hpp"
#include "daemon/core/mention.hpp"

#include <cstddef>
#include <deque>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace otklik::web {

using namespace std::chrono_literals;

struct LoginLimits {
  int per_user = 5;                  ///< failures per user name within `window`
  int per_address = 20;              ///< failures per client address within `window`
  Duration window = 15min;
  std::size_t max_entries = 10000;   ///< names (and, apart, addresses) remembered at most
};

struct LoginVerdict {
  bool allowed = true;
  Duration retry_after{0};           ///< when not allowed: how long until the next try counts
};

class LoginLimiter {
 public:
  explicit LoginLimiter(LoginLimits limits);

  /// Whether to check a password for `user` from `address` now.
  [[nodiscard]] LoginVerdict allowed(std::string_view user, std::string_view address, TimePoint now) const;
  /// Records a failed sign-in (wrong password, unknown user).
  void failed(std::string_view user, std::string_view address, TimePoint now);
  /// A successful sign-in clears the user's failures (not the address's: one right password must
  /// not reset a guesser's count for other names).
  void succeeded(std::string_view user);

  /// Names and addresses remembered now.
  [[nodiscard]] std::size_t user_entries() const noexcept { return users_.size(); }
  [[nodiscard]] std::size_t address_entries() const noexcept { return addresses_.size(); }

 private:
  /// Failure times of one key, oldest first, at most `limit` of them (older ones cannot matter),
  /// and the key's place in the table's recency list.
  struct Entry {
    std::deque<TimePoint> failures;
    std::list<std::string>::iterator order;
  };
  class Table {
   public:
    Table(int limit, std::size_t max_entries) : limit_(limit), max_entries_(max_entries) {}
    [[nodiscard]] LoginVerdict check(std::string_view key, TimePoint now, Duration window) const;
    void add(std::string_view key, TimePoint now);
    void erase(std::string_view key);
    [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

   private:
    int limit_;
    std::size_t max_entries_;
    std::unordered_map<std::string, Entry> entries_;
    std::list<std::string> order_;  ///< least recently failed first
  };

  LoginLimits limits_;
  Table users_;
  Table addresses_;
};

}  // namespace otklik::web
