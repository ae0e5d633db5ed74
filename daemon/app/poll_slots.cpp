#include "daemon/app/poll_slots.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace otklik {

namespace asio = boost::asio;

PollSlots::PollSlots(asio::any_io_executor executor, std::size_t slots)
    : executor_(std::move(executor)), capacity_(std::max<std::size_t>(slots, 1)), free_(capacity_) {}

void PollSlots::Slot::release() {
  if (owner_ != nullptr) {
    owner_->give_back();
    owner_ = nullptr;
  }
}

void PollSlots::give_back() {
  // Handed straight to the first waiter: the count does not change.
  while (!waiters_.empty()) {
    auto w = std::move(waiters_.front());
    waiters_.pop_front();
    w->granted = true;
    w->timer.cancel();
    return;
  }
  ++free_;
}

asio::awaitable<PollSlots::Slot> PollSlots::acquire() {
  if (free_ > 0 && waiters_.empty()) {
    --free_;
    co_return Slot(this);
  }
  auto w = std::make_shared<Waiter>(executor_);
  w->timer.expires_at(asio::steady_timer::time_point::max());
  waiters_.push_back(w);
  auto [ec] = co_await w->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  (void)ec;
  if (w->granted) co_return Slot(this);
  // Cancelled while waiting: leave the queue.
  std::erase(waiters_, w);
  co_return Slot();
}

}  // namespace otklik
