#pragma once
/// A bound on the polls that run at once (fetch, parse and ingest of one source): with 10,000
/// sources, memory holds at most this many bodies and their items, whatever the schedule. An
/// asynchronous counting semaphore for the I/O thread; waiters are served in order.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <deque>
#include <memory>

namespace otklik {

class PollSlots {
 public:
  PollSlots(boost::asio::any_io_executor executor, std::size_t slots);
  PollSlots(const PollSlots&) = delete;
  PollSlots& operator=(const PollSlots&) = delete;

  /// A slot held until destroyed (moved-from: none).
  class Slot {
   public:
    Slot() = default;
    explicit Slot(PollSlots* owner) : owner_(owner) {}
    Slot(Slot&& o) noexcept : owner_(o.owner_) { o.owner_ = nullptr; }
    Slot& operator=(Slot&& o) noexcept {
      if (this != &o) {
        release();
        owner_ = o.owner_;
        o.owner_ = nullptr;
      }
      return *this;
    }
    ~Slot() { release(); }
    [[nodiscard]] explicit operator bool() const noexcept { return owner_ != nullptr; }
    void release();

   private:
    PollSlots* owner_ = nullptr;
  };

  /// Waits for a slot; an empty Slot when the wait was cancelled.
  boost::asio::awaitable<Slot> acquire();

  [[nodiscard]] std::size_t free() const noexcept { return free_; }
  [[nodiscard]] std::size_t waiting() const noexcept { return waiters_.size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

 private:
  struct Waiter {
    explicit Waiter(const boost::asio::any_io_executor& ex) : timer(ex) {}
    boost::asio::steady_timer timer;
    bool granted = false;
  };
  void give_back();

  boost::asio::any_io_executor executor_;
  std::size_t capacity_;
  std::size_t free_;
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

}  // namespace otklik
