// PgStore's counterpart of query_plan_test.cpp: every statement the running daemon sends reads
// through an index. The roles are used as the daemon uses them over a seeded history, every
// query() is traced (pg::Connection::set_trace), then EXPLAIN (FORMAT JSON) of each, with its own
// parameters, must show no whole walk of a table that grows with the history: no Seq Scan of one,
// and no index scan of one without an Index Cond, except over the partial indexes that hold only
// what is waiting or open.
//
// PostgreSQL plans by cost, and on a test-sized history a whole walk is often the cheaper plan
// (a hash join over 3,000 rows); SQLite's planner is not so tempted. So sequential scans, hash
// and merge joins are priced out (enable_* = off): what is left in a plan says whether an index
// path exists for every table a statement touches. A Seq Scan that stays means none does.
#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/store_detail.hpp"
#include "pg_test_support.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/store/seed_history.hpp"
#include "tests/unit/store/role_workout.hpp"
#include "tests/unit/store/store_test_support.hpp"

#include <boost/json.hpp>

#include <set>
#include <utility>
#include <vector>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

/// Tables that grow with the history.
/// (leases grows with the sources, not the history, but a claim round must not walk 10,000 of them.)
const std::set<std::string> kHistoryTables{"mentions", "outbox", "cases", "case_events", "mention_topics",
                                           "negative_counts", "leases"};
/// Partial indexes bounded by what is waiting or open (pending rows, open cases, cases due,
/// active spikes): walking one whole does not read the history.
const std::set<std::string> kBoundedIndexes{"outbox_pending", "cases_open", "cases_check", "spikes_active"};

/// The scans of a plan (boost::json of EXPLAIN FORMAT JSON) that walk a history table whole.
void whole_walks(const boost::json::value& node, std::vector<std::string>& out) {
  if (node.is_array()) {
    for (const auto& v : node.as_array()) whole_walks(v, out);
    return;
  }
  if (!node.is_object()) return;
  const auto& o = node.as_object();
  if (const auto* plan = o.if_contains("Plan")) whole_walks(*plan, out);
  if (const auto* type = o.if_contains("Node Type"); type != nullptr && o.contains("Relation Name")) {
    const std::string t(type->as_string());
    const std::string relation(o.at("Relation Name").as_string());
    const std::string index = o.contains("Index Name") ? std::string(o.at("Index Name").as_string()) : "";
    if (kHistoryTables.count(relation) != 0) {
      if (t == "Seq Scan") out.push_back("Seq Scan on " + relation);
      if ((t == "Index Scan" || t == "Index Only Scan") && !o.contains("Index Cond") &&
          kBoundedIndexes.count(index) == 0)
        out.push_back(t + " of all of " + index + " on " + relation);
    }
  }
  if (const auto* children = o.if_contains("Plans")) whole_walks(*children, out);
}

struct Traced {
  std::string sql;
  std::vector<store::pg::Param> params;
  bool operator<(const Traced& other) const { return sql < other.sql; }
};

}  // namespace

TEST_CASE("PostgreSQL: no statement of the running daemon walks the history", "[store][pg][plan]") {
  const test::StoreSite site;
  ManualClock clock(test::test_start());
  auto store = site.open(clock);
  test::SeedOptions seed;
  seed.mentions = 3000;
  seed.brand = "Acme";
  const test::RunSql run_sql = [&](const std::string& sql) { return store->connection().exec(sql); };
  REQUIRE(test::seed_history(*store, run_sql, clock, clock.now(), seed));
  REQUIRE(store->connection().exec("ANALYZE"));

  std::set<Traced> statements;  // the first parameters of each statement are kept
  store->connection().set_trace([&](std::string_view sql, std::span<const store::pg::Param> params) {
    statements.insert(Traced{std::string(sql), {params.begin(), params.end()}});
  });

  test::use_every_role(*store, clock.now());

  store->connection().set_trace({});
  CHECK(statements.size() > 40);
  REQUIRE(store->connection().exec("SET enable_seqscan = off; SET enable_hashjoin = off; SET enable_mergejoin = off"));
  int checked = 0;
  for (const Traced& st : statements) {
    if (st.sql == "COMMIT" || st.sql.rfind("SELECT set_config", 0) == 0) continue;
    ++checked;
    INFO(st.sql);
    auto plan = store->connection().query("EXPLAIN (FORMAT JSON) " + st.sql, st.params);
    REQUIRE(plan);
    const std::string json = plan->text(0, 0).value();
    INFO("plan: " << json);
    std::vector<std::string> walks;
    whole_walks(boost::json::parse(json), walks);
    for (const std::string& w : walks) {
      INFO(w);
      CHECK(false);
    }
  }
  CHECK(checked > 40);
}
