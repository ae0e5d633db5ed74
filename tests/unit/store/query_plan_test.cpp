// Every statement the daemon runs per poll, per alert, per timer tick and per report reads through
// an index: the SQL of each is traced while the roles are used, then EXPLAIN QUERY PLAN of each
// must show no full SCAN of the tables that grow with the history. A new query that rescans the
// history fails here.
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_detail.hpp"
#include "daemon/understanding/author.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/store/seed_history.hpp"
#include "tests/unit/store/role_workout.hpp"
#include "tests/unit/store/store_test_support.hpp"

#include <sqlite3.h>

#include <regex>
#include <set>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

int collect(unsigned type, void* ctx, void* p, void*) {
  if (type == SQLITE_TRACE_STMT) {
    if (const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(p))) static_cast<std::set<std::string>*>(ctx)->insert(sql);
  }
  return 0;
}

/// The query plan of `sql`, one detail line each.
std::vector<std::string> plan_of(sqlite::Database& db, const std::string& sql) {
  auto st = db.prepare("EXPLAIN QUERY PLAN " + sql);
  REQUIRE(st);
  std::vector<std::string> out;
  for (;;) {
    auto row = st->step();
    REQUIRE(row);
    if (!*row) break;
    out.push_back(st->text(3));
  }
  return out;
}

/// Tables (and the aliases the store's SQL gives them) that grow with the history.
// leases grows with the sources, not the history, but a claim round must not walk 10,000 of them.
const std::regex kHistoryScan(
    R"(^SCAN (mentions|m|outbox|o|cases|c|case_events|mention_topics|mt|negative_counts|leases)\b)");
/// Partial indexes hold only what is waiting or open (pending rows, open cases, cases due, active
/// spikes, keyed authors): walking one whole is bounded by that, not by the history.
const std::regex kBoundedIndex(R"(USING (COVERING )?INDEX (outbox_pending|cases_open|cases_check|spikes_active)\b)");

}  // namespace

TEST_CASE("no statement of the running daemon scans the history", "[store][plan]") {
  test::TempDir dir;
  ManualClock clock(test::test_start());
  auto db = SqliteStore::open(dir.file("otklik.db"), clock).value();
  SqliteStore* store = db.get();
  // Some history, so that the planner sees real tables.
  test::SeedOptions seed;
  seed.mentions = 3000;
  seed.brand = "Acme";
  REQUIRE(test::seed_history(*store, clock, clock.now(), seed));
  REQUIRE(store->database().exec("ANALYZE"));

  std::set<std::string> statements;
  sqlite3_trace_v2(store->database().handle(), SQLITE_TRACE_STMT, &collect, &statements);
  test::use_every_role(*store, clock.now());

  sqlite3_trace_v2(store->database().handle(), 0, nullptr, nullptr);
  CHECK(statements.size() > 40);
  int checked = 0;
  for (const std::string& sql : statements) {
    if (sql.rfind("BEGIN", 0) == 0 || sql.rfind("COMMIT", 0) == 0 || sql.rfind("ROLLBACK", 0) == 0 ||
        sql.rfind("SAVEPOINT", 0) == 0 || sql.rfind("RELEASE", 0) == 0 || sql.rfind("PRAGMA", 0) == 0)
      continue;
    ++checked;
    const auto plan = plan_of(store->database(), sql);
    std::string whole;
    for (const auto& line : plan) whole += "\n  " + line;
    for (const std::string& line : plan) {
      INFO(sql);
      INFO("plan:" << whole);
      INFO(line);
      CHECK_FALSE((std::regex_search(line, kHistoryScan) && !std::regex_search(line, kBoundedIndex)));
    }
  }
  CHECK(checked > 40);
}
