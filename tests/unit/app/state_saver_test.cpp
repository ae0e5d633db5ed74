// StateSaver: the routine saves of many polls go to the store together, the newest state of each
// source wins, and a state written at once drops the older pending one.
#include "daemon/app/state_saver.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "tests/support/run_sync.hpp"

#include <catch2/catch.hpp>

using namespace otklik;
using namespace std::chrono_literals;

TEST_CASE("routine source-state saves are written in one batch, newest first", "[app][state]") {
  ManualClock clock(TimePoint{} + 24h * 20000);
  auto store = SqliteStore::open(":memory:", clock).value();
  auto exec = StoreExecutor::inline_on(*store);
  boost::asio::io_context io;
  StateSaver saver(io.get_executor(), *exec, nullptr);

  SourceState a{"a"}, b{"b"};
  a.polls = 1;
  b.polls = 4;
  saver.save(a);
  saver.save(b);
  a.polls = 2;
  a.etag = "\"v2\"";
  saver.save(a);  // replaces the older save of "a"
  CHECK(saver.pending() == 2);
  CHECK(store->source_state("a").value().polls == 0);  // nothing written yet

  const auto before = store->database().work().runs.load();
  test::run_sync(saver.flush());
  const auto statements = store->database().work().runs.load() - before;
  CHECK(saver.pending() == 0);
  CHECK(store->source_state("a").value().polls == 2);
  CHECK(store->source_state("a").value().etag == "\"v2\"");
  CHECK(store->source_state("b").value().polls == 4);
  // One transaction: BEGIN, two upserts, COMMIT.
  CHECK(statements == 4);

  saver.save(b);
  saver.forget("b");  // a newer state of "b" was written at once
  CHECK(saver.pending() == 0);
}
