#include "daemon/net/host_gate.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace otklik {

namespace {
constexpr std::size_t kPruneAbove = 1024;
}

HostGate::HostGate(Duration min_gap) : min_gap_(min_gap) {}

HostGate::Clock::time_point HostGate::reserve(const std::string& key, Clock::time_point now) {
  if (min_gap_ <= Duration::zero()) return now;
  std::lock_guard lock(mutex_);
  if (next_free_.size() > kPruneAbove) {
    std::erase_if(next_free_, [now](const auto& entry) { return entry.second <= now; });
  }
  auto [it, inserted] = next_free_.try_emplace(key, now);
  const auto start = std::max(now, it->second);
  it->second = start + min_gap_;
  return start;
}

std::size_t HostGate::size() const {
  std::lock_guard lock(mutex_);
  return next_free_.size();
}

boost::asio::awaitable<void> wait_turn(HostGate& gate, std::string key) {
  const auto now = HostGate::Clock::now();
  const auto start = gate.reserve(key, now);
  if (start <= now) co_return;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, start);
  co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

}  // namespace otklik
