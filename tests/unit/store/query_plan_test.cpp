// Every statement the daemon runs per poll, per alert, per timer tick and per report reads through
// an index: the SQL of each is traced while the roles are used, then EXPLAIN QUERY PLAN of each
// must show no full SCAN of the tables that grow with the history. A new query that rescans the
// history fails here.
#include "daemon/store/sqlite_inbox_query.hpp"
#include "daemon/store/sqlite_search.hpp"
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
    R"(^SCAN (mentions|m|outbox|o|cases|c|case_events|mention_topics|mt|negative_counts|leases|replies|r)\b)");
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

namespace {

/// The whole plan of `sql`, a line each.
std::string plan_text(sqlite::Database& db, const std::string& sql) {
  std::string whole;
  for (const auto& line : plan_of(db, sql)) whole += line + "\n";
  return whole;
}

void check_no_history_scan(sqlite::Database& db, const std::string& sql) {
  const auto plan = plan_of(db, sql);
  std::string whole;
  for (const auto& line : plan) whole += "\n  " + line;
  INFO(sql);
  INFO("plan:" << whole);
  for (const std::string& line : plan) {
    INFO(line);
    CHECK_FALSE((std::regex_search(line, kHistoryScan) && !std::regex_search(line, kBoundedIndex)));
  }
}

}  // namespace

TEST_CASE("the inbox reads every page and count through an index", "[store][plan][inbox]") {
  test::TempDir dir;
  ManualClock clock(test::test_start());
  auto db = SqliteStore::open(dir.file("otklik.db"), clock).value();
  SqliteStore* store = db.get();
  test::SeedOptions seed;
  seed.mentions = 3000;
  seed.brand = "Acme";
  REQUIRE(test::seed_history(*store, clock, clock.now(), seed));
  REQUIRE(store->database().exec("ANALYZE"));
  sqlite::Database& sql_db = store->database();

  const std::string match = store::fts_match(sql_db, "очеред").value();
  const std::optional<InboxCursor> cursor = InboxCursor{clock.now() - 24h, 1500};
  struct Case {
    const char* name;
    InboxFilter filter;
    store::InboxDrive drive;
    const char* index;  ///< the index the page must be read through
  };
  using D = store::InboxDrive;
  const std::vector<Case> cases{
      {"newest, unfiltered", {}, D::time, "mentions_event"},
      {"a time range", {.from = clock.now() - 48h, .to = clock.now() - 24h}, D::time, "mentions_event"},
      {"label", {.label = Label::negative}, D::label, "mentions_label_event"},
      {"one brand", {.brands = {"Acme"}}, D::brand, "mentions_brand_event"},
      {"two brands", {.brands = {"Acme", "Beta"}, .label = Label::negative}, D::brand, "mentions_brand_event"},
      {"sources", {.sources = {"seed-1", "seed-2"}}, D::source, "mentions_source_event"},
      {"a few in a case state", {.case_state = "new"}, D::case_state, "cases_state"},
      {"many in a case state", {.case_state = "resolved"}, D::time, "mentions_event"},
      {"no case", {.case_state = "none"}, D::time, "mentions_event"},
      {"severity", {.severity = "high", .min_rating = 1.0}, D::time, "mentions_event"},
      {"a topic with few", {.topic = "waiting"}, D::topic, "mention_topics_topic"},
      {"a topic with many", {.topic = "waiting"}, D::time, "mentions_event"},
      {"a search with few matches", {.text = "очеред"}, D::search, ""},
      {"a search with many", {.text = "очеред"}, D::time, "mentions_event"},
      {"a search in a brand", {.brands = {"Acme"}, .text = "очеред"}, D::brand, "mentions_brand_event"},
      {"everything", {.brands = {"Acme"}, .sources = {"seed-1"}, .label = Label::negative, .severity = "high",
                      .case_state = "taken", .topic = "money", .min_rating = 0.0, .max_rating = 5.0,
                      .from = clock.now() - 240h, .to = clock.now(), .text = "очеред"},
       D::search, ""},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const std::string words = c.filter.text.empty() ? std::string() : match;
    for (const auto& after : {std::optional<InboxCursor>{}, cursor}) {
      const auto page = store::inbox_ids_sql(c.filter, words, c.drive, after, 51);
      check_no_history_scan(sql_db, page.sql);
      const std::string plan = plan_text(sql_db, page.sql);
      INFO(page.sql << "\n" << plan);
      if (*c.index != '\0') CHECK(plan.find(std::string("INDEX ") + c.index + " (") != std::string::npos);
      // An ordered index delivers the order itself: nothing is sorted but a merge of branches.
      if (c.drive == D::time || c.drive == D::label || (c.drive == D::brand && c.filter.brands.size() == 1))
        CHECK(plan.find("TEMP B-TREE") == std::string::npos);
    }
    check_no_history_scan(sql_db, store::inbox_count_sql(c.filter, words, c.drive, 1000).sql);
  }

  // And the statements the roles run, probes and row reads included.
  std::set<std::string> statements;
  sqlite3_trace_v2(sql_db.handle(), SQLITE_TRACE_STMT, &collect, &statements);
  for (const Case& c : cases) {
    REQUIRE(store->inbox(InboxQuery{c.filter, std::nullopt, 50}));
    REQUIRE(store->inbox(InboxQuery{c.filter, cursor, 50}));
    REQUIRE(store->inbox_counts(c.filter, 1000));
  }
  const auto some = store->inbox(InboxQuery{{}, std::nullopt, 5}).value();
  REQUIRE_FALSE(some.rows.empty());
  REQUIRE(store->inbox_row(some.rows[0].id));
  REQUIRE(store->case_events(some.rows[0].id));
  REQUIRE(store->opened_since(InboxCursor{clock.now() - 24h, 0}, 50));
  REQUIRE(store->negatives_by_hour(ReportRange{clock.now() - 48h, clock.now()}));
  REQUIRE(store->relabel(Relabel{some.rows[0].id, Label::positive, Actor{"web", "a", "A"}, clock.now()}));
  REQUIRE(store->relabels(some.rows[0].id));
  REQUIRE(store->feedback(clock.now() - 24h));
  sqlite3_trace_v2(sql_db.handle(), 0, nullptr, nullptr);
  CHECK(statements.size() > 20);
  for (const std::string& sql : statements) {
    if (sql.rfind("BEGIN", 0) == 0 || sql.rfind("COMMIT", 0) == 0 || sql.rfind("ROLLBACK", 0) == 0) continue;
    check_no_history_scan(sql_db, sql);
  }
}

TEST_CASE("the auto-reply pass reads a source's unanswered positives through their partial index",
          "[store][plan][replies]") {
  test::TempDir dir;
  ManualClock clock(test::test_start());
  auto db = SqliteStore::open(dir.file("otklik.db"), clock).value();
  SqliteStore* store = db.get();
  test::SeedOptions seed;
  seed.mentions = 3000;
  seed.brand = "Acme";
  REQUIRE(test::seed_history(*store, clock, clock.now(), seed));
  REQUIRE(store->database().exec("ANALYZE"));

  std::set<std::string> statements;
  sqlite3_trace_v2(store->database().handle(), SQLITE_TRACE_STMT, &collect, &statements);
  const auto found = store->auto_reply_candidates("seed-1", clock.now() - 24h * 30, clock.now(), 10).value();
  sqlite3_trace_v2(store->database().handle(), 0, nullptr, nullptr);
  CHECK(found.size() == 10);
  REQUIRE(statements.size() == 1);
  const std::string& sql = *statements.begin();
  check_no_history_scan(store->database(), sql);
  const std::string plan = plan_text(store->database(), sql);
  INFO(sql << "\n" << plan);
  CHECK(plan.find("INDEX mentions_unanswered_positive (source=? AND first_seen_at>? AND first_seen_at<?)") !=
        std::string::npos);
  CHECK(plan.find("TEMP B-TREE") == std::string::npos);  // the index's order is the answer's
}
