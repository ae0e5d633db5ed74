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
#include "daemon/store/pg/inbox_query.hpp"
#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/pg/transaction.hpp"
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

namespace {

/// 200,000 mentions, one a minute, written straight in SQL (the search words as ingest writes
/// them): the shapes the inbox's filters meet in a real history. What is rare is old, so that a
/// plan walking the event-time order to find it would read the whole history: the brand "Rare"
/// and the source "rare-source" (the oldest 100 rows each), the topic "rare-topic" and the 20
/// "answered" cases (among the oldest), the word «старинноеслово» (the oldest 50); the word
/// «редкоеслово» is rare and spread. A fifth are negative, each with a topic and a case (mostly
/// resolved; 200 new, 200 taken, 2,000 dismissed). Every text holds «отзыв» and one of three
/// phrases, which never meet.
constexpr const char* kInboxHistory = R"sql(
INSERT INTO mentions (id, source, external_id, title, text, fetched_at, text_hash, label, score, confidence, lang,
                      sentiment_json, first_seen_at, updated_at, event_at, brand, search)
SELECT i, CASE WHEN i BETWEEN 101 AND 200 THEN 'rare-source' ELSE 'seed-' || (i % 47) END, 'x' || i, 'Отзыв',
       '\x00'::bytea || convert_to(w.words, 'UTF8'), 1790000000000, '',
       CASE WHEN i % 5 = 0 THEN 'negative' WHEN i % 5 IN (1, 2) THEN 'positive' ELSE 'neutral' END,
       0, 0.5, 'ru', ''::bytea, 1790000000000, 1790000000000, 1780000000000 + i * 60000::bigint,
       CASE WHEN i <= 100 THEN 'Rare' WHEN i % 10 = 3 THEN 'Beta' ELSE 'Acme' END,
       array_to_tsvector(string_to_array('отзыв ' || w.words, ' '))
FROM generate_series(1, 200000) AS i,
LATERAL (SELECT CASE i % 3 WHEN 0 THEN 'очередь у кассы' WHEN 1 THEN 'курьер опоздал' ELSE 'спасибо за помощь' END
                || CASE WHEN i % 2000 = 7 THEN ' редкоеслово' ELSE '' END
                || CASE WHEN i <= 50 THEN ' старинноеслово' ELSE '' END AS words) AS w;
SELECT setval('mentions_id_seq', 200000);
INSERT INTO mention_topics (mention_id, topic)
SELECT i, CASE WHEN i <= 100 THEN 'rare-topic' WHEN i % 10 = 0 THEN 'waiting' ELSE 'money' END
FROM generate_series(5, 200000, 5) AS i;
INSERT INTO cases (mention_id, state, severity, created_at)
SELECT i, CASE WHEN i <= 100 THEN 'answered' WHEN i % 1000 = 0 THEN 'new' WHEN i % 1000 = 500 THEN 'taken'
               WHEN i % 100 = 50 THEN 'dismissed' ELSE 'resolved' END,
       CASE WHEN i % 2 = 0 THEN 'high' ELSE 'low' END, 1780000000000 + i * 60000::bigint
FROM generate_series(5, 200000, 5) AS i;
INSERT INTO relabels (mention_id, label, at) SELECT i, 'neutral', 1790000000000 FROM generate_series(10, 200000, 1000) AS i;
)sql";

/// Rows a plan read from the history's tables (EXPLAIN ANALYZE, FORMAT JSON): rows returned and
/// rows removed by filters and rechecks, times loops, of every node on one of them.
double rows_read(const boost::json::value& node) {
  double n = 0;
  if (node.is_array()) {
    for (const auto& v : node.as_array()) n += rows_read(v);
    return n;
  }
  if (!node.is_object()) return 0;
  const auto& o = node.as_object();
  if (const auto* plan = o.if_contains("Plan")) n += rows_read(*plan);
  if (const auto* relation = o.if_contains("Relation Name");
      relation != nullptr && kHistoryTables.count(std::string(relation->as_string())) != 0) {
    double rows = 0;
    for (const char* key : {"Actual Rows", "Rows Removed by Filter", "Rows Removed by Index Recheck"})
      if (const auto* v = o.if_contains(key)) rows += v->to_number<double>();
    const auto* loops = o.if_contains("Actual Loops");
    n += rows * (loops != nullptr ? loops->to_number<double>() : 1.0);
  }
  if (const auto* children = o.if_contains("Plans")) n += rows_read(*children);
  return n;
}

}  // namespace

// The inbox at a history size where the planner's choice matters: every page and count the
// inbox runs for its common filters (none; label; brand; source; case state; topic; search) reads
// a bounded number of rows — about a page where the filter's own index is ordered by event time,
// the filter's matches where they are few — never the history. Run with the planner's own costs
// (nothing priced out), EXPLAIN ANALYZE counting the rows each statement really read.
TEST_CASE("PostgreSQL: the inbox's pages and counts read a bounded number of rows at 200,000 mentions",
          "[store][pg][plan][inbox]") {
  const test::StoreSite site;
  ManualClock clock(test::test_start());
  auto store = site.open(clock);
  auto& conn = store->connection();
  REQUIRE(conn.exec(kInboxHistory));
  REQUIRE(conn.exec("ANALYZE"));
  // A page is 50 rows: 5% of the history covers a filter that one row in a hundred matches (the
  // event-time order meets a page of them in 5,000 rows) and the few matches sorted otherwise.
  constexpr double kMaxRowsRead = 10000;

  std::vector<Traced> statements;
  conn.set_trace([&](std::string_view sql, std::span<const store::pg::Param> params) {
    statements.push_back(Traced{std::string(sql), {params.begin(), params.end()}});
  });
  const auto page = [&](InboxFilter f) {
    auto first = store->inbox(InboxQuery{f, std::nullopt, 50});
    REQUIRE(first);
    if (first->next) REQUIRE(store->inbox(InboxQuery{f, first->next, 50}));
  };
  page({});
  page({.label = Label::negative});
  page({.brands = {"Rare"}});
  page({.brands = {"Rare", "Beta"}});
  page({.sources = {"rare-source"}});
  page({.sources = {"rare-source", "seed-7", "seed-8"}, .label = Label::negative});
  for (const char* state : {"new", "taken", "answered", "dismissed", "resolved", "none"}) page({.case_state = state});
  page({.severity = "high", .case_state = "taken"});
  page({.topic = "rare-topic"});
  page({.topic = "waiting"});
  page({.label = Label::negative, .topic = "money", .from = test::test_start() - 24h * 200});
  for (const char* text : {"редкоеслово", "старинноеслово", "очеред", "отзыв", "курьер опоздал"})
    page({.text = text});
  page({.brands = {"Acme"}, .text = "редкоеслово"});
  page({.topic = "rare-topic", .text = "отзыв"});          // many matches, a rare topic
  page({.case_state = "answered", .text = "курьер"});     // many matches, a rare state
  page({.label = Label::negative, .text = "очеред"});
  REQUIRE(store->inbox_counts({}, 100));
  REQUIRE(store->inbox_counts({.label = Label::negative}, 100));
  REQUIRE(store->inbox_counts({.topic = "rare-topic"}, 100));
  REQUIRE(store->inbox_counts({.text = "старинноеслово"}, 100));
  REQUIRE(store->inbox_counts({.text = "курьер опоздал"}, 100));
  REQUIRE(store->inbox_row(150000));
  REQUIRE(store->opened_since(InboxCursor{store::from_ms(1780000000000 + 199000 * 60000LL), 0}, 50));
  conn.set_trace({});

  CHECK(statements.size() > 60);
  // Replayed in order: a statement the store runs under planner settings (set_config(…, true)
  // earlier in its transaction, up to its COMMIT) is explained under them too.
  int checked = 0;
  std::vector<std::string> settings;
  for (const Traced& st : statements) {
    if (st.sql == "COMMIT") {
      settings.clear();
      continue;
    }
    if (st.sql.rfind("SELECT set_config", 0) == 0) {
      settings.push_back(st.sql);
      continue;
    }
    ++checked;
    std::string params;
    for (const auto& p : st.params) params += (params.empty() ? "" : ", ") + p.text.value_or("NULL");
    INFO(st.sql << "\nparams: " << params);
    // The counts of a search's matches and of a state's cases read up to kManyMatches rows by
    // design (and what a scan of cases skips on the way). A count of the mentions without a case
    // among a filter's rows reads those rows when few of them lack one (all negatives have a case
    // here): bounded by one pass over them, not by the cap.
    const bool probe = st.sql == store::pg::kSearchMatchesSql || st.sql == store::pg::kStateCasesSql;
    const bool without_case = st.sql.rfind("SELECT count", 0) == 0 && st.sql.find("NOT EXISTS") != std::string::npos;
    const double bound = probe ? 1.25 * static_cast<double>(store::pg::kManyMatches)
                         : without_case ? 1.5 * 200000
                                        : kMaxRowsRead;
    auto tx = store::pg::Transaction::begin(conn);
    REQUIRE(tx);
    for (const auto& set : settings) REQUIRE(conn.query(set));
    auto plan = conn.query("EXPLAIN (ANALYZE, FORMAT JSON) " + st.sql, st.params);
    REQUIRE(plan);
    // A walk of an index without a condition is fine here when a LIMIT stops it: the rows read say.
    const double read = rows_read(boost::json::parse(plan->text(0, 0).value()));
    if (read > bound) {
      auto text = conn.query("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + st.sql, st.params);
      REQUIRE(text);
      std::string lines;
      for (int i = 0; i < text->rows(); ++i) lines += text->text(i, 0).value() + "\n";
      INFO("rows read: " << read << "\n" << lines);
      CHECK(read <= bound);
    }
    REQUIRE(tx->commit());
  }
  CHECK(checked > 60);
}
