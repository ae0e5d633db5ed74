#pragma once
/// An API's documented request budget ("at most 3 requests a second", "1 request a second with a
/// burst of 5"), kept by waiting before a call rather than by being refused. Several sources that
/// use one key share one budget (BudgetBook), since the API counts per key, not per source.

#include "daemon/core/duration.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace otklik {

/// At most `requests` calls in any window of `period`.
struct BudgetLimit {
  int requests = 1;
  Duration period = std::chrono::seconds(1);
};

class RequestBudget {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RequestBudget(BudgetLimit limit);

  /// When a call may be made at `now` and later, the slot taken: the earliest time that keeps the
  /// limit and any hold. Pure bookkeeping (no waiting), for tests and for acquire().
  Clock::time_point reserve(Clock::time_point now);
  /// Waits until a call may be made (reserve() at the steady clock's now, then a timer). Cancelled
  /// with its coroutine.
  boost::asio::awaitable<void> acquire();
  /// The API asked for a pause (429 with a retry header): no call before `until`.
  void hold_until(Clock::time_point until);

  [[nodiscard]] BudgetLimit limit() const { return limit_; }

 private:
  BudgetLimit limit_;
  std::mutex mutex_;
  std::deque<Clock::time_point> slots_;  ///< the last `requests` reserved call times
  Clock::time_point hold_{};
};

/// The budgets of one registry, one per API and key ("wildberries-feedbacks" + a hash of the key).
class BudgetBook {
 public:
  /// The budget for `api` used with `credential` (hashed here, never stored), made with `limit`
  /// the first time.
  std::shared_ptr<RequestBudget> budget(const std::string& api, const std::string& credential, BudgetLimit limit);

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<RequestBudget>> budgets_;
};

}  // namespace otklik
