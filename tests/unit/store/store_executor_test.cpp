// The store executor's pool (store_executor.hpp): jobs go to the lane with the fewest waiting, so
// a slow job on one session does not hold up the next; ordered jobs keep their order on the
// first lane.

#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_executor.hpp"

#include "store_test_support.hpp"
#include "tests/support/catch_result.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <future>
#include <vector>

using namespace otklik;
namespace asio = boost::asio;

namespace {

struct TwoStores {
  ManualClock clock{test::test_start()};
  std::unique_ptr<SqliteStore> a = SqliteStore::open(":memory:", clock).value();
  std::unique_ptr<SqliteStore> b = SqliteStore::open(":memory:", clock).value();
};

}  // namespace

TEST_CASE("a pool sends a job to the lane with the fewest jobs waiting", "[store][executor]") {
  TwoStores s;
  auto exec = StoreExecutor::threaded_pool({s.a.get(), s.b.get()});
  CHECK(exec->lanes() == 2);
  asio::io_context ioc;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Store* slow_on = nullptr;
  Store* quick_on = nullptr;
  bool slow_done = false;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
    slow_on = co_await exec->run([&](Store& st) {
      released.wait();  // holds its lane until the quick job is done
      return &st;
    });
    slow_done = true;
  }, asio::detached);
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
    // Posted while the slow one waits: it must not queue behind it.
    quick_on = co_await exec->run([](Store& st) { return &st; });
    CHECK_FALSE(slow_done);
    release.set_value();
  }, asio::detached);
  ioc.run();
  CHECK(slow_done);
  REQUIRE(slow_on != nullptr);
  REQUIRE(quick_on != nullptr);
  CHECK(slow_on != quick_on);
  CHECK(exec->stats().jobs.load() == 2);
}

TEST_CASE("ordered jobs run on the first lane in the order posted", "[store][executor]") {
  TwoStores s;
  auto exec = StoreExecutor::threaded_pool({s.a.get(), s.b.get()});
  asio::io_context ioc;
  std::vector<int> order;
  std::vector<Store*> lanes;
  for (int i = 0; i < 20; ++i) {
    asio::co_spawn(ioc, [&, i]() -> asio::awaitable<void> {
      Store* on = co_await exec->run_ordered([&, i](Store& st) {
        order.push_back(i);  // one thread: the first lane's
        return &st;
      });
      lanes.push_back(on);
    }, asio::detached);
  }
  ioc.run();
  REQUIRE(order.size() == 20);
  for (int i = 0; i < 20; ++i) CHECK(order[static_cast<std::size_t>(i)] == i);
  for (Store* on : lanes) CHECK(on == s.a.get());
}

TEST_CASE("one store is one lane; an inline executor runs jobs at once", "[store][executor]") {
  TwoStores s;
  CHECK(StoreExecutor::threaded(*s.a)->lanes() == 1);
  auto inline_exec = StoreExecutor::inline_on(*s.b);
  CHECK(inline_exec->lanes() == 1);
  asio::io_context ioc;
  Store* on = nullptr;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
    on = co_await inline_exec->run([](Store& st) { return &st; });
  }, asio::detached);
  ioc.run();
  CHECK(on == s.b.get());
}
