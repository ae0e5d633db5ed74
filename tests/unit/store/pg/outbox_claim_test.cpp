// The outbox claim on PostgreSQL with several dispatchers on one database (instances of the
// daemon): FOR UPDATE SKIP LOCKED hands each row to one of them, and nobody waits for the others.
#include "daemon/store/pg/pg_store.hpp"
#include "pg_test_support.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/store/store_test_support.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

using namespace otklik;
using namespace std::chrono_literals;

TEST_CASE("PostgreSQL outbox: rows another dispatcher holds are skipped, not waited for", "[store][pg][outbox]") {
  const test::StoreSite site;
  ManualClock clock(test::test_start());
  const TimePoint t0 = test::test_start();
  auto a = site.open(clock);
  auto b = site.open(clock);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(a->enqueue({"tg", "alert", "{}"}, 0, t0).value());

  // Dispatcher B is in the middle of its lease of the first two rows (locked, not committed yet).
  REQUIRE(b->connection().exec("BEGIN"));
  REQUIRE(b->connection().query("SELECT id FROM outbox WHERE id IN ($1, $2) FOR UPDATE", {ids[0], ids[1]}));

  // A does not wait (a lock wait would fail at once) and gets the rows nobody holds.
  REQUIRE(a->connection().exec("SET lock_timeout = '1ms'"));
  auto leased = a->lease("tg", t0, 60s, 10);
  REQUIRE(leased);
  std::vector<std::int64_t> got;
  for (const auto& item : *leased) got.push_back(item.id);
  CHECK(got == std::vector<std::int64_t>{ids[2], ids[3]});

  // B lets go without leasing: its rows are free for the next lease.
  REQUIRE(b->connection().exec("ROLLBACK"));
  auto rest = a->lease("tg", t0, 60s, 10);
  REQUIRE(rest);
  REQUIRE(rest->size() == 2);
  CHECK((*rest)[0].id == ids[0]);
  CHECK((*rest)[1].id == ids[1]);
}

TEST_CASE("PostgreSQL outbox: dispatchers leasing at once never get the same row", "[store][pg][outbox]") {
  const test::StoreSite site;
  ManualClock clock(test::test_start());
  const TimePoint t0 = test::test_start();
  constexpr int kRows = 300;
  constexpr int kDispatchers = 3;
  {
    auto setup = site.open(clock);
    for (int i = 0; i < kRows; ++i) REQUIRE(setup->enqueue({"tg", "alert", "{}"}, 0, t0));
  }
  std::vector<std::unique_ptr<test::TestStore>> stores;
  for (int i = 0; i < kDispatchers; ++i) stores.push_back(site.open(clock));

  std::mutex mutex;
  std::map<std::int64_t, int> leased_by_count;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int d = 0; d < kDispatchers; ++d) {
    threads.emplace_back([&, d] {
      test::TestStore& store = *stores[static_cast<std::size_t>(d)];
      for (;;) {
        auto items = store.lease("tg", t0, 600s, 7);
        if (!items) {
          std::lock_guard lock(mutex);
          failures.push_back(items.error().message());
          return;
        }
        if (items->empty()) return;
        for (const auto& item : *items) {
          {
            std::lock_guard lock(mutex);
            ++leased_by_count[item.id];
          }
          if (auto r = store.mark_sent(item.id, std::to_string(d), t0); !r) {
            std::lock_guard lock(mutex);
            failures.push_back(r.error().message());
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures.empty());
  CHECK(leased_by_count.size() == static_cast<std::size_t>(kRows));
  CHECK(std::all_of(leased_by_count.begin(), leased_by_count.end(), [](const auto& kv) { return kv.second == 1; }));
  auto counts = stores[0]->outbox_counts();
  REQUIRE(counts);
  CHECK(counts->pending == 0);
  CHECK(counts->sent == kRows);
}
