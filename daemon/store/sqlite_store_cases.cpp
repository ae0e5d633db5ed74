// The case half of SqliteStore: the alert lifecycle (lifecycle/transition.hpp applied inside a
// write transaction), its history, and the exactly-once escalation and follow-up records.
#include "daemon/lifecycle/transition.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/packed_text.hpp"
#include "daemon/store/sqlite_case_row.hpp"
#include "daemon/store/store_detail.hpp"

#include <algorithm>
#include <map>

namespace otklik {
namespace {

using sqlite::Statement;
using sqlite::Transaction;
using store::from_ms;
using store::read_case_row;
using store::to_ms;

/// Cases the SLA timer still needs: not resolved or dismissed.
bool open_for_sla(CaseState s) { return s == CaseState::fresh || s == CaseState::taken || s == CaseState::answered; }

/// Binds a mark as four parameters from `first`.
void bind_mark(Statement& st, int first, const std::optional<CaseMark>& mark) {
  if (!mark) {
    for (int i = 0; i < 4; ++i) st.bind_null(first + i);
    return;
  }
  st.bind(first, mark->by.platform);
  st.bind(first + 1, mark->by.id);
  st.bind(first + 2, mark->by.name);
  st.bind(first + 3, to_ms(mark->at));
}

/// One row of a case's history (case_events): every action, also one that changed nothing.
/// Who the SLA timer's steps are recorded as.
const Actor kTimer{"otklik", "sla", "SLA"};

/// `action` is a CaseAction's name, or what the SLA timer did: "escalate:take:1", "follow_up".
Result<void> record_event(sqlite::Database& db, std::int64_t mention_id, std::string_view action, const Actor& actor,
                          const std::string& note, bool changed, TimePoint now) {
  OTKLIK_STORE_TRY(st, db.cached("INSERT INTO case_events (mention_id, action, actor_platform, actor_id, "
                                 "actor_name, note, changed, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  st->bind(1, mention_id);
  st->bind(2, action);
  st->bind(3, actor.platform);
  st->bind(4, actor.id);
  st->bind(5, actor.name);
  st->bind(6, note);
  st->bind(7, changed ? 1 : 0);
  st->bind(8, to_ms(now));
  return st->run();
}

}  // namespace

Result<void> SqliteStore::open_case(const AlertPolicy& policy, std::int64_t mention_id, TimePoint now) {
  // Answered on the site before anybody here saw it: the case starts answered, and its history
  // says by whom.
  std::optional<CaseMark> answered;
  if (policy.answered_by) answered = CaseMark{*policy.answered_by, now};
  // Due for the SLA timer at once (check_at): it plans the case's deadlines on its next pass.
  OTKLIK_STORE_TRY(st, db_.cached("INSERT OR IGNORE INTO cases (mention_id, state, severity, route, created_at, "
                                  "answered_by_platform, answered_by_id, answered_by_name, answered_at, check_at) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?5)"));
  st->bind(1, mention_id);
  st->bind(2, to_string(answered ? CaseState::answered : CaseState::fresh));
  st->bind(3, policy.severity);
  st->bind(4, policy.alerts.empty() ? std::string() : policy.alerts.front().channel);
  st->bind(5, to_ms(now));
  bind_mark(*st, 6, answered);
  OTKLIK_STORE_CHECK(st->run());
  if (!answered || db_.changes() == 0) return {};
  return record_event(db_, mention_id, to_string(CaseAction::answer), answered->by, "the company's reply on the site", true, now);
}

Result<std::optional<CaseRecord>> SqliteStore::read_case(std::int64_t mention_id) {
  static const std::string kSelect = "SELECT " + store::case_columns("") + " FROM cases WHERE mention_id = ?1";
  OTKLIK_STORE_TRY(st, db_.cached(kSelect));
  st->bind(1, mention_id);
  OTKLIK_STORE_TRY(row, st->step());
  if (!row) return std::optional<CaseRecord>{};
  OTKLIK_STORE_TRY(c, read_case_row(*st));
  return std::optional<CaseRecord>(std::move(c));
}

Result<void> SqliteStore::write_case(const CaseRecord& r, TimePoint now) {
  OTKLIK_STORE_TRY(st, db_.cached(
                           "UPDATE cases SET state = ?2, "
                           "taken_by_platform = ?3, taken_by_id = ?4, taken_by_name = ?5, taken_at = ?6, "
                           "answered_by_platform = ?7, answered_by_id = ?8, answered_by_name = ?9, answered_at = ?10, "
                           "resolved_by_platform = ?11, resolved_by_id = ?12, resolved_by_name = ?13, "
                           "resolved_at = ?14, dismissed_by_platform = ?15, dismissed_by_id = ?16, "
                           "dismissed_by_name = ?17, dismissed_at = ?18, note = ?19, check_at = ?20 WHERE mention_id = ?1"));
  st->bind(1, r.mention_id);
  st->bind(2, to_string(r.state));
  bind_mark(*st, 3, r.taken);
  bind_mark(*st, 7, r.answered);
  bind_mark(*st, 11, r.resolved);
  bind_mark(*st, 15, r.dismissed);
  st->bind(19, r.note);
  // A change of state is looked at by the SLA timer at once (its deadlines may be met or reopened).
  if (open_for_sla(r.state)) st->bind(20, to_ms(now)); else st->bind_null(20);
  return st->run();
}

Result<void> SqliteStore::require_case(std::int64_t mention_id) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT 1 FROM cases WHERE mention_id = ?1"));
  st->bind(1, mention_id);
  OTKLIK_STORE_TRY(row, st->step());
  if (!row) return Failure(errc::not_found, "mention " + std::to_string(mention_id) + " has no case");
  return {};
}

Result<std::optional<CaseRecord>> SqliteStore::case_of(std::int64_t mention_id) { return read_case(mention_id); }

Result<CaseUpdate> SqliteStore::apply_case_action(std::int64_t mention_id, CaseAction action, const Actor& actor,
                                                  const std::string& note, TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  OTKLIK_STORE_TRY(current, read_case(mention_id));
  if (!current) return Failure(errc::not_found, "mention " + std::to_string(mention_id) + " has no case");
  CaseUpdate update = apply_action(*current, action, actor, note, now);
  if (update.changed) OTKLIK_STORE_CHECK(write_case(update.record, now));
  OTKLIK_STORE_CHECK(record_event(db_, mention_id, to_string(action), actor, note, update.changed, now));
  OTKLIK_STORE_CHECK(tx.commit());
  return update;
}

Result<std::vector<CaseRecord>> SqliteStore::active_cases() {
  static const std::string kSelect = "SELECT " + store::case_columns("") +
                                     " FROM cases WHERE state IN ('new', 'taken', 'answered') "
                                     "ORDER BY created_at, mention_id";
  OTKLIK_STORE_TRY(st, db_.cached(kSelect));
  std::vector<CaseRecord> out;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    OTKLIK_STORE_TRY(c, read_case_row(*st));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<CaseRecord>> SqliteStore::due_cases(TimePoint now, int limit) {
  static const std::string kSelect = "SELECT " + store::case_columns("") +
                                     " FROM cases WHERE check_at <= ?1 ORDER BY check_at, mention_id LIMIT ?2";
  OTKLIK_STORE_TRY(st, db_.cached(kSelect));
  st->bind(1, to_ms(now));
  st->bind(2, std::max(limit, 1));
  std::vector<CaseRecord> out;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    OTKLIK_STORE_TRY(c, read_case_row(*st));
    out.push_back(std::move(c));
  }
  return out;
}

Result<void> SqliteStore::plan_case_check(std::int64_t mention_id, std::optional<TimePoint> at) {
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE cases SET check_at = ?2 WHERE mention_id = ?1"));
  st->bind(1, mention_id);
  st->bind(2, to_ms(at));
  return st->run();
}

Result<std::optional<TimePoint>> SqliteStore::next_case_check() {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT MIN(check_at) FROM cases WHERE check_at IS NOT NULL"));
  OTKLIK_STORE_TRY(row, st->step());
  if (!row) return std::optional<TimePoint>{};
  return from_ms(st->optional_int64(0));
}

Result<bool> SqliteStore::record_escalation(std::int64_t mention_id, std::string_view deadline, int step,
                                            const AlertRequest& request, TimePoint now) {
  const char* sql = nullptr;
  if (deadline == "take") {
    sql = "UPDATE cases SET take_escalations = ?2 WHERE mention_id = ?1 AND take_escalations = ?2 - 1";
  } else if (deadline == "resolve") {
    sql = "UPDATE cases SET resolve_escalations = ?2 WHERE mention_id = ?1 AND resolve_escalations = ?2 - 1";
  } else {
    return Failure(errc::invalid_input, "unknown SLA deadline '" + std::string(deadline) + "'");
  }
  if (step < 1) return Failure(errc::invalid_input, "escalation steps count from 1");
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  {
    OTKLIK_STORE_TRY(st, db_.cached(sql));
    st->bind(1, mention_id);
    st->bind(2, step);
    OTKLIK_STORE_CHECK(st->run());
  }
  if (db_.changes() == 0) {
    OTKLIK_STORE_CHECK(require_case(mention_id));
    return false;  // already recorded (or an earlier step is missing): the transaction rolls back
  }
  OTKLIK_STORE_CHECK(insert_outbox(request, mention_id, now));
  OTKLIK_STORE_CHECK(record_event(db_, mention_id, "escalate:" + std::string(deadline) + ":" + std::to_string(step),
                                  kTimer, "", true, now));
  OTKLIK_STORE_CHECK(tx.commit());
  return true;
}

Result<bool> SqliteStore::record_follow_up(std::int64_t mention_id, const AlertRequest& request, TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  {
    OTKLIK_STORE_TRY(st, db_.cached("UPDATE cases SET follow_up_sent_at = ?2 "
                                    "WHERE mention_id = ?1 AND follow_up_sent_at IS NULL"));
    st->bind(1, mention_id);
    st->bind(2, to_ms(now));
    OTKLIK_STORE_CHECK(st->run());
  }
  if (db_.changes() == 0) {
    OTKLIK_STORE_CHECK(require_case(mention_id));
    return false;
  }
  OTKLIK_STORE_CHECK(insert_outbox(request, mention_id, now));
  OTKLIK_STORE_CHECK(record_event(db_, mention_id, "follow_up", kTimer, "", true, now));
  OTKLIK_STORE_CHECK(tx.commit());
  return true;
}

Result<std::vector<FeedbackItem>> SqliteStore::feedback(TimePoint since) {
  // One per mention, its latest correction: a dismissal (the case is dismissed now) or the latest
  // relabel, whichever is later (a dismissal on a tie). A correction later than one at or after
  // `since` is itself after it, so both lists start at `since`.
  std::map<std::int64_t, FeedbackItem> latest;
  const auto text_at = [](const Statement& st, int column, FeedbackItem& item) -> Result<void> {
    auto text = store::read_text(st, column + 1);
    if (!text) return text.error();
    item.text = std::move(*text);
    if (item.text.empty()) item.text = st.text(column);
    return {};
  };
  {
    OTKLIK_STORE_TRY(st, db_.cached("SELECT c.mention_id, c.note, m.title, m.text, c.dismissed_at, "
                                    "COALESCE(c.dismissed_by_name, '') "
                                    "FROM cases c JOIN mentions m ON m.id = c.mention_id "
                                    "WHERE c.state = 'dismissed' AND c.dismissed_at >= ?1"));
    st->bind(1, to_ms(since));
    for (;;) {
      OTKLIK_STORE_TRY(row, st->step());
      if (!row) break;
      FeedbackItem item;
      item.mention_id = st->int64(0);
      const std::string note = st->text(1);
      item.label = note == "positive" ? "positive" : "neutral";
      OTKLIK_STORE_CHECK(text_at(*st, 2, item));
      item.at = from_ms(st->int64(4));
      item.by = st->text(5);
      latest[item.mention_id] = std::move(item);
    }
  }
  {
    OTKLIK_STORE_TRY(st, db_.cached("SELECT r.mention_id, r.label, m.title, m.text, r.at, r.by_name "
                                    "FROM relabels r CROSS JOIN mentions m ON m.id = r.mention_id "
                                    "WHERE r.at >= ?1 AND NOT EXISTS (SELECT 1 FROM relabels l "
                                    "WHERE l.mention_id = r.mention_id AND (l.at > r.at OR (l.at = r.at AND l.id > r.id)))"));
    st->bind(1, to_ms(since));
    for (;;) {
      OTKLIK_STORE_TRY(row, st->step());
      if (!row) break;
      FeedbackItem item;
      item.mention_id = st->int64(0);
      item.label = st->text(1);
      OTKLIK_STORE_CHECK(text_at(*st, 2, item));
      item.at = from_ms(st->int64(4));
      item.by = st->text(5);
      auto [it, added] = latest.try_emplace(item.mention_id, item);
      if (!added && item.at > it->second.at) it->second = std::move(item);
    }
  }
  std::vector<FeedbackItem> out;
  out.reserve(latest.size());
  for (auto& [id, item] : latest) out.push_back(std::move(item));
  std::stable_sort(out.begin(), out.end(),
                   [](const FeedbackItem& a, const FeedbackItem& b) { return a.at < b.at; });
  return out;
}

}  // namespace otklik
