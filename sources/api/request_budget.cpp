#include "sources/api/request_budget.hpp"

#include "daemon/core/mention.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace otklik {

RequestBudget::RequestBudget(BudgetLimit limit) : limit_(limit) {
  if (limit_.requests < 1) limit_.requests = 1;
  if (limit_.period <= Duration::zero()) limit_.period = std::chrono::seconds(1);
}

RequestBudget::Clock::time_point RequestBudget::reserve(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto at = std::max(now, hold_);
  // The slot `requests` calls back must lie a whole period before this one.
  if (slots_.size() >= static_cast<std::size_t>(limit_.requests))
    at = std::max(at, slots_[slots_.size() - static_cast<std::size_t>(limit_.requests)] +
                          std::chrono::duration_cast<Clock::duration>(limit_.period));
  slots_.push_back(at);
  while (slots_.size() > static_cast<std::size_t>(limit_.requests)) slots_.pop_front();
  return at;
}

boost::asio::awaitable<void> RequestBudget::acquire() {
  const auto at = reserve(Clock::now());
  if (at <= Clock::now()) co_return;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  timer.expires_at(at);
  co_await timer.async_wait(boost::asio::use_awaitable);
}

void RequestBudget::hold_until(Clock::time_point until) {
  std::lock_guard lock(mutex_);
  hold_ = std::max(hold_, until);
}

std::shared_ptr<RequestBudget> BudgetBook::budget(const std::string& api, const std::string& credential,
                                                  BudgetLimit limit) {
  const std::string key = api + ":" + sha256_hex(credential).substr(0, 16);
  std::lock_guard lock(mutex_);
  auto& slot = budgets_[key];
  if (!slot) slot = std::make_shared<RequestBudget>(limit);
  return slot;
}

}  // namespace otklik
