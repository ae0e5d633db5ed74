// The source schedule: what "poll now" finds a source doing, and a wake that cuts a wait short.
#include "daemon/app/source_schedule.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>

using namespace otklik;
using namespace std::chrono_literals;

TEST_CASE("source schedule: poll now by what the source is doing", "[app][schedule]") {
  boost::asio::io_context ioc;
  SourceSchedule schedule;
  boost::asio::steady_timer timer(ioc);
  const TimePoint at = SystemClock::now() + 1h;

  // Unknown here (another instance's lease, or not a source of this config).
  CHECK(schedule.wake("a") == SourceSchedule::Wake::not_here);
  CHECK_FALSE(schedule.next_poll("a"));

  schedule.waiting("a", timer, at);
  CHECK(schedule.next_poll("a") == at);
  CHECK_FALSE(schedule.is_polling("a"));
  CHECK(schedule.wake("a") == SourceSchedule::Wake::woken);
  // The runner sees that its wait was cut short, once.
  CHECK(schedule.stopped_waiting("a"));
  CHECK_FALSE(schedule.next_poll("a"));

  // While it polls (or waits for a poll slot): "busy", and nothing is woken.
  schedule.polling("a", true);
  CHECK(schedule.is_polling("a"));
  CHECK(schedule.wake("a") == SourceSchedule::Wake::polling);
  schedule.polling("a", false);
  // Between a poll and its next wait (waiting for its lease): nothing to wake.
  CHECK(schedule.wake("a") == SourceSchedule::Wake::not_here);

  // A wait that ends on its own is not a "poll now".
  schedule.waiting("a", timer, at);
  CHECK_FALSE(schedule.stopped_waiting("a"));
  schedule.gone("a");
  CHECK(schedule.wake("a") == SourceSchedule::Wake::not_here);
}

TEST_CASE("source schedule: a wake ends the runner's wait at once", "[app][schedule]") {
  boost::asio::io_context ioc;
  SourceSchedule schedule;
  boost::asio::steady_timer timer(ioc);
  bool woken = false;
  auto runner = [&]() -> boost::asio::awaitable<void> {
    timer.expires_after(1h);
    schedule.waiting("a", timer, SystemClock::now() + 1h);
    (void)co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    woken = schedule.stopped_waiting("a");
  };
  boost::asio::co_spawn(ioc, runner(), boost::asio::detached);
  ioc.run_for(20ms);
  CHECK_FALSE(woken);
  CHECK(schedule.wake("a") == SourceSchedule::Wake::woken);
  const auto t0 = std::chrono::steady_clock::now();
  ioc.run_for(1s);
  CHECK(woken);
  CHECK(std::chrono::steady_clock::now() - t0 < 1s);
}
