// Every statement the daemon runs per poll, per alert, per timer tick and per report reads through
// an index: the SQL of each is traced while the roles are used, then EXPLAIN QUERY PLAN of each
// must show no full SCAN of the tables that grow with the history. A new query that rescans the
// history fails here.
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_detail.hpp"
#include "daemon/understanding/author.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/store/seed_history.hpp"
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
const std::regex kHistoryScan(R"(^SCAN (mentions|m|outbox|o|cases|c|case_events|mention_topics|mt|negative_counts)\b)");
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
  const TimePoint t = clock.now();

  // A poll: state, the known lookup, new / edited / unchanged items, a reply, the author's history.
  SourceState state = store->source_state("seed-1").value();
  state.polls += 1;
  REQUIRE(store->save_source_state(state, {{"chat", "notice", "{}", std::nullopt}}));
  Mention m = test::sample_mention("new-1");
  m.source = "seed-1";
  m.author = test::seed_author(7);
  m.brand = "Acme";
  understanding::Understanding u;
  u.topics = {"waiting"};
  u.author_name_key = understanding::author_keys(m.source, m.author, m.author_id).name_key;
  AlertPolicy policy = test::two_channels();
  policy.severity = "high";
  REQUIRE(store->known("seed-1", {"seed-1", "seed-51", "new-1"}));
  AuthorQuery q;
  q.name_key = u.author_name_key;
  q.id_key = "seed-1#u1";
  q.since = t - 30 * 24h;
  REQUIRE(store->author_history(q));
  auto inserted = store->ingest(m, test::sentiment_of(Label::negative), u, policy).value();
  Mention edited = m;
  edited.text += " Still waiting.";
  REQUIRE(store->ingest_batch({IngestItem{edited, test::sentiment_of(Label::negative), u, policy},
                               IngestItem{m, test::sentiment_of(Label::positive), {}, {}}}));
  REQUIRE(store->update_reply(inserted.mention_id, "Разбираемся."));
  REQUIRE(store->mention_id("seed-1", "new-1"));
  REQUIRE(store->mentions_total());

  // An alert: lease, build, deliver, record; a case action and its status rows.
  auto rows = store->lease("telegram", t + 1h, 60s, 1).value();
  REQUIRE_FALSE(rows.empty());
  REQUIRE(store->mention(rows[0].mention_id));
  REQUIRE(store->case_of(rows[0].mention_id));
  REQUIRE(store->posted_alerts(rows[0].mention_id));
  REQUIRE(store->mark_sent(rows[0].id, "1", t));
  REQUIRE(store->next_due("telegram"));
  auto more = store->lease("slack", t + 1h, 60s, 1).value();
  REQUIRE_FALSE(more.empty());
  REQUIRE(store->mark_retry(more[0].id, t + 1min, "timeout"));
  auto again = store->lease("slack", t + 1h, 60s, 1).value();
  REQUIRE(store->mark_dead(again[0].id, "403", t));
  REQUIRE(store->apply_case_action(inserted.mention_id, CaseAction::take, Actor{"telegram", "1", "@a"}, "", t));
  REQUIRE(store->enqueue({"telegram", "status", "{}", std::nullopt}, inserted.mention_id, t));
  REQUIRE(store->outbox_counts());

  // The timers: due cases, escalations, follow-ups, spikes, cursors.
  REQUIRE(store->due_cases(t, 100));
  REQUIRE(store->plan_case_check(inserted.mention_id, t + 1h));
  REQUIRE(store->next_case_check());
  REQUIRE(store->record_escalation(inserted.mention_id, "take", 1, {"managers", "escalation", "{}", std::nullopt}, t));
  REQUIRE(store->record_follow_up(inserted.mention_id, {"telegram", "follow_up", "{}", std::nullopt}, t));
  const std::int64_t minute = store::to_ms(t) / 60000;
  REQUIRE(store->negative_counts("Acme", "", minute - 50000, minute));
  REQUIRE(store->negative_counts("Acme", "waiting", minute - 50000, minute));
  REQUIRE(store->active_spikes());
  SpikeRecord spike;
  spike.brand = "Acme";
  spike.started = t;
  REQUIRE(store->start_spike(spike, {{"chat", "notice", "{}", std::nullopt}}, t));
  const auto active = store->active_spikes().value();
  REQUIRE_FALSE(active.empty());
  REQUIRE(store->update_spike_peak(active[0].id, 9));
  REQUIRE(store->end_spike(active[0].id, {{"chat", "notice", "{}", std::nullopt}}, t));
  REQUIRE(store->save_cursor("telegram:bot1", "42", t));
  REQUIRE(store->cursor("telegram:bot1"));

  // The weekly digest: a week's reports and the ledger.
  const ReportRange week{t - 7 * 24h, t}, prev{t - 14 * 24h, t - 7 * 24h};
  REQUIRE(store->count_rows(false, week, prev, {}));
  REQUIRE(store->count_rows(true, week, prev, {"Acme"}));
  REQUIRE(store->topic_counts(week, prev, {}));
  REQUIRE(store->rating_averages(week, {}));
  REQUIRE(store->report_cases(week, {}));
  REQUIRE(store->top_negative(week, {}, 10));
  REQUIRE(store->authored_negatives(ReportRange{t - 30 * 24h, t}, {}));
  REQUIRE(store->claim_digest("2026-W47", "a@b.c", "<id>", t, 15min));
  REQUIRE(store->mark_digest_sent("2026-W47", "a@b.c", t));
  REQUIRE(store->find_digest("2026-W47", "a@b.c"));
  REQUIRE(store->latest_digest_sent("a@b.c"));

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
