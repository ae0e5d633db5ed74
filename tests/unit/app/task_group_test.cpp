// The task group: cancel_all() ends every task, also one spawned a moment before that has not
// run yet (the leader's tasks when a shutdown follows the election at once).
#include "daemon/app/task_group.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

using namespace otklik;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

/// A loop like the SLA timer's: waits an hour, again and again, until a wait is cancelled.
asio::awaitable<void> hourly(int& started) {
  ++started;
  co_await asio::this_coro::throw_if_cancelled(false);
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(1h);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
  }
}

}  // namespace

TEST_CASE("task group: a task cancelled before it first ran never starts", "[app][task_group]") {
  asio::io_context ioc;
  auto log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  TaskGroup group(ioc.get_executor(), log);
  int started = 0;
  group.spawn("late", hourly(started));
  group.cancel_all();  // before the io_context ran the task at all
  bool done = false;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> { done = co_await group.wait_all(5s); }, asio::detached);
  ioc.run_for(6s);
  CHECK(done);
  CHECK(started == 0);
  CHECK(group.running() == 0);
}

TEST_CASE("task group: a running task is ended by cancel_all", "[app][task_group]") {
  asio::io_context ioc;
  auto log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  TaskGroup group(ioc.get_executor(), log);
  int started = 0;
  group.spawn("hourly", hourly(started));
  ioc.run_for(20ms);
  CHECK(started == 1);
  CHECK(group.running() == 1);
  group.cancel_all();
  bool done = false;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> { done = co_await group.wait_all(5s); }, asio::detached);
  const auto t0 = std::chrono::steady_clock::now();
  ioc.run_for(6s);
  CHECK(done);
  CHECK(std::chrono::steady_clock::now() - t0 < 1s);
}
