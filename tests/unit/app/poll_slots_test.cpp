// PollSlots: at most N polls at once, waiters served in order, a cancelled wait leaves the queue.
#include "daemon/app/poll_slots.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <vector>

using namespace otklik;
namespace asio = boost::asio;

namespace {

/// Takes a slot, notes its turn, and holds the slot until `release` is set.
asio::awaitable<void> take(PollSlots& slots, int id, std::vector<int>& order, std::vector<PollSlots::Slot>& held) {
  PollSlots::Slot s = co_await slots.acquire();
  if (!s) {
    order.push_back(-id);
    co_return;
  }
  order.push_back(id);
  held.push_back(std::move(s));
}

}  // namespace

TEST_CASE("poll slots bound the polls at once and serve waiters in order", "[app][slots]") {
  asio::io_context io;
  PollSlots slots(io.get_executor(), 2);
  std::vector<int> order;
  std::vector<PollSlots::Slot> held;
  for (int id = 1; id <= 5; ++id) asio::co_spawn(io, take(slots, id, order, held), asio::detached);
  io.poll();
  io.restart();
  CHECK(order == std::vector<int>{1, 2});
  CHECK(slots.waiting() == 3);
  CHECK(slots.free() == 0);
  held.erase(held.begin());  // one poll ends: the first waiter goes
  io.poll();
  io.restart();
  CHECK(order == std::vector<int>{1, 2, 3});
  held.clear();  // the rest end: two more go, one slot stays free after the last
  io.poll();
  io.restart();
  CHECK(order == std::vector<int>{1, 2, 3, 4, 5});
  held.clear();
  CHECK(slots.free() == 2);
  CHECK(slots.waiting() == 0);
}

TEST_CASE("a cancelled wait for a slot leaves the queue and takes nothing", "[app][slots]") {
  asio::io_context io;
  PollSlots slots(io.get_executor(), 1);
  std::vector<int> order;
  std::vector<PollSlots::Slot> held;
  asio::co_spawn(io, take(slots, 1, order, held), asio::detached);
  asio::cancellation_signal cancel;
  asio::co_spawn(io, take(slots, 2, order, held), asio::bind_cancellation_slot(cancel.slot(), asio::detached));
  asio::co_spawn(io, take(slots, 3, order, held), asio::detached);
  io.poll();
  io.restart();
  CHECK(slots.waiting() == 2);
  cancel.emit(asio::cancellation_type::terminal);
  io.poll();
  io.restart();
  CHECK(order == std::vector<int>{1, -2});
  CHECK(slots.waiting() == 1);
  held.clear();
  io.poll();
  CHECK(order == std::vector<int>{1, -2, 3});
}
