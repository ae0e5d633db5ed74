// PgStore: the cases role — the alert lifecycle (lifecycle/transition.hpp applied inside a
// transaction, the case row locked meanwhile), its history, and the exactly-once escalation and
// follow-up records. The same rules as sqlite_store_cases.cpp.
#include "daemon/lifecycle/transition.hpp"
#include "daemon/store/packed_text.hpp"
#include "daemon/store/pg/case_row.hpp"
#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/pg/row.hpp"
#include "daemon/store/pg/transaction.hpp"
#include "daemon/store/sqlite_case_row.hpp"
#include "daemon/store/store_detail.hpp"

#include <algorithm>
#include <map>
#include <vector>

namespace otklik::store {
namespace {

using pg::Param;
using pg::Row;
using pg::Transaction;

/// Cases the SLA timer still needs: not resolved or dismissed.
bool open_for_sla(CaseState s) { return s == CaseState::fresh || s == CaseState::taken || s == CaseState::answered; }

/// A mark as four parameters (platform, id, name, at), NULL when absent.
void add_mark(std::vector<Param>& params, const std::optional<CaseMark>& mark) {
  if (!mark) {
    params.insert(params.end(), 4, Param());
    return;
  }
  params.emplace_back(mark->by.platform);
  params.emplace_back(mark->by.id);
  params.emplace_back(mark->by.name);
  params.emplace_back(to_ms(mark->at));
}

Result<std::vector<CaseRecord>> read_cases(const pg::QueryResult& r) {
  std::vector<CaseRecord> out;
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    OTKLIK_STORE_TRY(c, pg::read_case_row(row));
    out.push_back(std::move(c));
  }
  return out;
}

/// Who the SLA timer's steps are recorded as (the same as on SQLite).
const Actor kTimer{"otklik", "sla", "SLA"};

}  // namespace

Result<void> PgStore::record_event(std::int64_t mention_id, std::string_view action, const Actor& actor,
                                   const std::string& note, bool changed, TimePoint now) {
  OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO case_events (mention_id, action, actor_platform, actor_id, "
                                  "actor_name, note, changed, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                                  {mention_id, std::string(action), actor.platform, actor.id, actor.name,
                                   note, changed ? 1 : 0, to_ms(now)}));
  (void)r;
  return {};
}

Result<void> PgStore::open_case(const AlertPolicy& policy, std::int64_t mention_id, TimePoint now) {
  // Answered on the site before anybody here saw it: the case starts answered, and its history
  // says by whom. Due for the SLA timer at once (check_at).
  std::optional<CaseMark> answered;
  if (policy.answered_by) answered = CaseMark{*policy.answered_by, now};
  std::vector<Param> params{mention_id, std::string(to_string(answered ? CaseState::answered : CaseState::fresh)),
                            policy.severity,
                            policy.alerts.empty() ? std::string() : policy.alerts.front().channel, to_ms(now)};
  add_mark(params, answered);
  OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO cases (mention_id, state, severity, route, created_at, "
                                  "answered_by_platform, answered_by_id, answered_by_name, answered_at, check_at) "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $5) ON CONFLICT DO NOTHING",
                                  params));
  if (!answered || r.affected() == 0) return {};
  return record_event(mention_id, to_string(CaseAction::answer), answered->by, "the company's reply on the site", true, now);
}

Result<std::optional<CaseRecord>> PgStore::read_case(std::int64_t mention_id, bool for_update) {
  static const std::string kSelect = "SELECT " + case_columns("") + " FROM cases WHERE mention_id = $1";
  static const std::string kLock = kSelect + " FOR UPDATE";
  OTKLIK_STORE_TRY(r, conn_.query(for_update ? kLock : kSelect, {mention_id}));
  if (r.rows() == 0) return std::optional<CaseRecord>{};
  Row row(r, 0);
  OTKLIK_STORE_TRY(c, pg::read_case_row(row));
  return std::optional<CaseRecord>(std::move(c));
}

Result<void> PgStore::write_case(const CaseRecord& rec, TimePoint now) {
  std::vector<Param> params{rec.mention_id, std::string(to_string(rec.state))};
  add_mark(params, rec.taken);
  add_mark(params, rec.answered);
  add_mark(params, rec.resolved);
  add_mark(params, rec.dismissed);
  params.emplace_back(rec.note);
  // A change of state is looked at by the SLA timer at once (its deadlines may be met or reopened).
  params.push_back(open_for_sla(rec.state) ? Param(to_ms(now)) : Param());
  OTKLIK_STORE_TRY(r, conn_.query(
                          "UPDATE cases SET state = $2, "
                          "taken_by_platform = $3, taken_by_id = $4, taken_by_name = $5, taken_at = $6, "
                          "answered_by_platform = $7, answered_by_id = $8, answered_by_name = $9, answered_at = $10, "
                          "resolved_by_platform = $11, resolved_by_id = $12, resolved_by_name = $13, "
                          "resolved_at = $14, dismissed_by_platform = $15, dismissed_by_id = $16, "
                          "dismissed_by_name = $17, dismissed_at = $18, note = $19, check_at = $20 "
                          "WHERE mention_id = $1",
                          params));
  (void)r;
  return {};
}

Result<void> PgStore::require_case(std::int64_t mention_id) {
  OTKLIK_STORE_TRY(r, conn_.query("SELECT 1 FROM cases WHERE mention_id = $1", {mention_id}));
  if (r.rows() == 0) return Failure(errc::not_found, "mention " + std::to_string(mention_id) + " has no case");
  return {};
}

Result<std::optional<CaseRecord>> PgStore::case_of(std::int64_t mention_id) { return read_case(mention_id, false); }

Result<CaseUpdate> PgStore::apply_case_action(std::int64_t mention_id, CaseAction action, const Actor& actor,
                                              const std::string& note, TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  OTKLIK_STORE_TRY(current, read_case(mention_id, true));
  if (!current) return Failure(errc::not_found, "mention " + std::to_string(mention_id) + " has no case");
  CaseUpdate update = apply_action(*current, action, actor, note, now);
  if (update.changed) OTKLIK_STORE_CHECK(write_case(update.record, now));
  OTKLIK_STORE_CHECK(record_event(mention_id, to_string(action), actor, note, update.changed, now));
  OTKLIK_STORE_CHECK(tx.commit());
  return update;
}

Result<std::vector<CaseRecord>> PgStore::active_cases() {
  static const std::string kSelect = "SELECT " + case_columns("") +
                                     " FROM cases WHERE state IN ('new', 'taken', 'answered') "
                                     "ORDER BY created_at, mention_id";
  OTKLIK_STORE_TRY(r, conn_.query(kSelect));
  return read_cases(r);
}

Result<std::vector<CaseRecord>> PgStore::due_cases(TimePoint now, int limit) {
  static const std::string kSelect = "SELECT " + case_columns("") +
                                     " FROM cases WHERE check_at <= $1 ORDER BY check_at, mention_id LIMIT $2";
  OTKLIK_STORE_TRY(r, conn_.query(kSelect, {to_ms(now), std::max(limit, 1)}));
  return read_cases(r);
}

Result<void> PgStore::plan_case_check(std::int64_t mention_id, std::optional<TimePoint> at) {
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE cases SET check_at = $2 WHERE mention_id = $1", {mention_id, to_ms(at)}));
  (void)r;
  return {};
}

Result<std::optional<TimePoint>> PgStore::next_case_check() {
  OTKLIK_STORE_TRY(r, conn_.query("SELECT MIN(check_at) FROM cases WHERE check_at IS NOT NULL"));
  if (r.rows() == 0) return std::optional<TimePoint>{};
  OTKLIK_STORE_TRY(ms, r.optional_int64(0, 0));
  return from_ms(ms);
}

Result<bool> PgStore::record_escalation(std::int64_t mention_id, std::string_view deadline, int step,
                                        const AlertRequest& request, TimePoint now) {
  const char* sql = nullptr;
  if (deadline == "take") {
    sql = "UPDATE cases SET take_escalations = $2 WHERE mention_id = $1 AND take_escalations = $2 - 1";
  } else if (deadline == "resolve") {
    sql = "UPDATE cases SET resolve_escalations = $2 WHERE mention_id = $1 AND resolve_escalations = $2 - 1";
  } else {
    return Failure(errc::invalid_input, "unknown SLA deadline '" + std::string(deadline) + "'");
  }
  if (step < 1) return Failure(errc::invalid_input, "escalation steps count from 1");
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  OTKLIK_STORE_TRY(r, conn_.query(sql, {mention_id, step}));
  if (r.affected() == 0) {
    OTKLIK_STORE_CHECK(require_case(mention_id));
    return false;  // already recorded (or an earlier step is missing): the transaction rolls back
  }
  OTKLIK_STORE_CHECK(insert_outbox(request, mention_id, now));
  OTKLIK_STORE_CHECK(record_event(mention_id, "escalate:" + std::string(deadline) + ":" + std::to_string(step), kTimer,
                                  "", true, now));
  OTKLIK_STORE_CHECK(tx.commit());
  return true;
}

Result<bool> PgStore::record_follow_up(std::int64_t mention_id, const AlertRequest& request, TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE cases SET follow_up_sent_at = $2 "
                                  "WHERE mention_id = $1 AND follow_up_sent_at IS NULL",
                                  {mention_id, to_ms(now)}));
  if (r.affected() == 0) {
    OTKLIK_STORE_CHECK(require_case(mention_id));
    return false;
  }
  OTKLIK_STORE_CHECK(insert_outbox(request, mention_id, now));
  OTKLIK_STORE_CHECK(record_event(mention_id, "follow_up", kTimer, "", true, now));
  OTKLIK_STORE_CHECK(tx.commit());
  return true;
}

Result<std::vector<FeedbackItem>> PgStore::feedback(TimePoint since) {
  // One per mention, its latest correction: a dismissal (the case is dismissed now) or the latest
  // relabel, whichever is later (the dismissal on a tie), as SqliteStore says it. A correction
  // later than one at or after `since` is itself after it, so both reads start at `since`: the
  // dismissals through cases_state, the relabels through relabels_at (each checked against the
  // mention's later ones through relabels_mention).
  std::map<std::int64_t, FeedbackItem> latest;
  const auto read = [&](const pg::QueryResult& r, bool relabels) -> Result<void> {
    for (int i = 0; i < r.rows(); ++i) {
      Row row(r, i);
      FeedbackItem item;
      item.mention_id = row.int64(0);
      const std::string label = row.text(1);
      const std::string title = row.text(2);
      const std::string text_bytes = row.bytes(3);
      item.at = from_ms(row.int64(4));
      item.by = row.text(5);
      OTKLIK_STORE_CHECK(row.status());
      item.label = relabels ? label : label == "positive" ? "positive" : "neutral";
      OTKLIK_STORE_TRY(text, from_marked(text_bytes));
      item.text = text.empty() ? title : std::move(text);
      auto [it, added] = latest.try_emplace(item.mention_id, item);
      if (!added && item.at > it->second.at) it->second = std::move(item);
    }
    return {};
  };
  {
    OTKLIK_STORE_TRY(r, conn_.query("SELECT c.mention_id, c.note, m.title, m.text, c.dismissed_at, "
                                    "COALESCE(c.dismissed_by_name, '') "
                                    "FROM cases c JOIN mentions m ON m.id = c.mention_id "
                                    "WHERE c.state = 'dismissed' AND c.dismissed_at >= $1",
                                    {to_ms(since)}));
    OTKLIK_STORE_CHECK(read(r, false));
  }
  {
    OTKLIK_STORE_TRY(r, conn_.query("SELECT r.mention_id, r.label, m.title, m.text, r.at, r.by_name "
                                    "FROM relabels r JOIN mentions m ON m.id = r.mention_id "
                                    "WHERE r.at >= $1 AND NOT EXISTS (SELECT 1 FROM relabels l "
                                    "WHERE l.mention_id = r.mention_id AND (l.at > r.at OR (l.at = r.at AND l.id > r.id)))",
                                    {to_ms(since)}));
    OTKLIK_STORE_CHECK(read(r, true));
  }
  std::vector<FeedbackItem> out;
  out.reserve(latest.size());
  for (auto& [id, item] : latest) out.push_back(std::move(item));
  std::stable_sort(out.begin(), out.end(), [](const FeedbackItem& a, const FeedbackItem& b) { return a.at < b.at; });
  return out;
}

}  // namespace otklik::store
