// Cancellation as the daemon's loops see it: a signal that found no pending wait still ends them.
#include "daemon/core/cancelled.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <optional>

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

/// Runs `wait(timer)` in a task whose cancellation signal is sent from the handler of another
/// timer due at the same instant and queued before the task's own: the task's timer has fired,
/// its resumption is queued, and the signal finds no wait to end (as when SIGTERM comes while a
/// loop's timer has just fired).
template <class Wait>
void signal_after_the_timer_fired(Wait wait) {
  asio::io_context io;
  asio::cancellation_signal signal;
  const auto due = std::chrono::steady_clock::now() - 1s;
  asio::steady_timer other(io), timer(io);
  bool done = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await asio::this_coro::throw_if_cancelled(false);
        // Both due at once, `other` first in the timer queue: its handler runs after the task's
        // timer has left the queue and before the task resumes.
        other.expires_at(due);
        other.async_wait([&](boost::system::error_code) { signal.emit(asio::cancellation_type::terminal); });
        timer.expires_at(due);
        co_await wait(timer);
        done = true;
      },
      asio::bind_cancellation_slot(signal.slot(), asio::detached));
  io.run();
  CHECK(done);
}

}  // namespace

TEST_CASE("a signal sent after the timer fired ends no wait; wait_cancelled sees it", "[core][cancelled]") {
  SECTION("the wait's own error says nothing: the race is there") {
    std::optional<boost::system::error_code> ec;
    bool state = false;
    signal_after_the_timer_fired([&](asio::steady_timer& t) -> asio::awaitable<void> {
      auto [e] = co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
      ec = e;
      state = co_await otklik::cancelled();
    });
    REQUIRE(ec.has_value());
    CHECK_FALSE(*ec);  // the timer fired: a loop that looks at this alone waits again
    CHECK(state);
  }
  SECTION("wait_cancelled reports the cancellation") {
    std::optional<bool> result;
    signal_after_the_timer_fired([&](asio::steady_timer& t) -> asio::awaitable<void> {
      result = co_await otklik::wait_cancelled(t);
    });
    REQUIRE(result.has_value());
    CHECK(*result);
  }
}

TEST_CASE("wait_cancelled: a cancelled task, a timer that fires, a wake-up", "[core][cancelled]") {
  enum class Then { signal, fire, wake };
  struct Case {
    Then then;
    bool cancelled;
  };
  const Case cases[] = {{Then::signal, true}, {Then::fire, false}, {Then::wake, false}};
  for (const auto& c : cases) {
    CAPTURE(static_cast<int>(c.then));
    asio::io_context io;
    asio::cancellation_signal signal;
    asio::steady_timer timer(io), kick(io);
    timer.expires_after(c.then == Then::fire ? 1ms : 1h);
    std::optional<bool> result;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          co_await asio::this_coro::throw_if_cancelled(false);
          result = co_await otklik::wait_cancelled(timer);
        },
        asio::bind_cancellation_slot(signal.slot(), asio::detached));
    kick.expires_after(1ms);
    kick.async_wait([&](boost::system::error_code) {
      if (c.then == Then::signal) signal.emit(asio::cancellation_type::terminal);
      if (c.then == Then::wake) timer.cancel();
    });
    io.run();
    REQUIRE(result.has_value());
    CHECK(*result == c.cancelled);
  }
}
