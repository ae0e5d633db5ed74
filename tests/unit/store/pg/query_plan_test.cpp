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
#include "daemon/understanding/author.hpp"
#include "pg_test_support.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/store/seed_history.hpp"
#include "tests/unit/store/store_test_support.hpp"

#include <boost/json.hpp>

#include <set>
#include <utility>
#include <vector>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

/// Tables that grow with the history.
const std::set<std::string> kHistoryTables{"mentions", "outbox", "cases", "case_events", "mention_topics",
                                           "negative_counts"};
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
  const TimePoint t = clock.now();

  // A poll: state, the known lookup, new / edited / unchanged items, a reply, the author's history.
  SourceState state = store->source_state("seed-1").value();
  state.polls += 1;
  REQUIRE(store->save_source_state(state, {{"chat", "notice", "{}", std::nullopt}}));
  REQUIRE(store->save_source_states({state}));
  REQUIRE(store->source_states());
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
  REQUIRE(store->retry_now("slack", t + 1h));
  auto again = store->lease("slack", t + 1h, 60s, 1).value();
  REQUIRE_FALSE(again.empty());
  REQUIRE(store->mark_dead(again[0].id, "403", t));
  REQUIRE(store->set_channel_hold("telegram", t + 1min));
  REQUIRE(store->channel_hold("telegram"));
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
