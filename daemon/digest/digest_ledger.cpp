#include "daemon/digest/digest_ledger.hpp"

#include "daemon/digest/query_detail.hpp"

#include <algorithm>
#include <cctype>

namespace otklik::digest {

using detail::from_ms;
using detail::to_ms;

std::string recipients_key(const std::vector<std::string>& emails) {
  std::vector<std::string> list;
  for (std::string e : emails) {
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    list.push_back(std::move(e));
  }
  std::sort(list.begin(), list.end());
  list.erase(std::unique(list.begin(), list.end()), list.end());
  std::string key;
  for (const auto& e : list) key += (key.empty() ? "" : ",") + e;
  return key;
}

namespace {

constexpr const char* kSelect =
    "SELECT message_id, state, attempts, next_attempt_at, last_error, sent_at FROM digests "
    "WHERE week = ?1 AND recipients = ?2";

DigestRow read_row(const sqlite::Statement& st, IsoWeek week, const std::string& recipients) {
  DigestRow r;
  r.week = week;
  r.recipients = recipients;
  r.message_id = st.text(0);
  const std::string state = st.text(1);
  r.state = state == "sent" ? DigestState::sent : state == "failed" ? DigestState::failed : DigestState::pending;
  r.attempts = static_cast<int>(st.int64(2));
  r.next_attempt = from_ms(st.int64(3));
  r.last_error = st.text(4);
  if (auto ms = st.optional_int64(5)) r.sent_at = from_ms(*ms);
  return r;
}

}  // namespace

Result<std::optional<DigestRow>> DigestLedger::find(IsoWeek week, const std::string& recipients) {
  auto st = db_.cached(kSelect);
  if (!st) return st.error();
  (*st)->bind(1, to_string(week));
  (*st)->bind(2, recipients);
  auto row = (*st)->step();
  if (!row) return row.error();
  if (!*row) return std::optional<DigestRow>{};
  return std::optional<DigestRow>(read_row(**st, week, recipients));
}

Result<std::optional<IsoWeek>> DigestLedger::latest_sent(const std::string& recipients) {
  // "2026-W47" strings sort in time order (four-digit year, two-digit week).
  auto st = db_.cached("SELECT MAX(week) FROM digests WHERE recipients = ?1 AND state = 'sent'");
  if (!st) return st.error();
  (*st)->bind(1, recipients);
  auto row = (*st)->step();
  if (!row) return row.error();
  if (!*row || (*st)->is_null(0)) return std::optional<IsoWeek>{};
  return parse_iso_week((*st)->text(0));
}

Result<Claim> DigestLedger::claim(IsoWeek week, const std::string& recipients, const std::string& message_id,
                                  TimePoint now, Duration lease) {
  auto tx = sqlite::Transaction::begin(db_);
  if (!tx) return tx.error();
  {
    auto ins = db_.cached(
        "INSERT OR IGNORE INTO digests (week, recipients, message_id, state, attempts, next_attempt_at, created_at) "
        "VALUES (?1, ?2, ?3, 'pending', 0, ?4, ?4)");
    if (!ins) return ins.error();
    (*ins)->bind(1, to_string(week));
    (*ins)->bind(2, recipients);
    (*ins)->bind(3, message_id);
    (*ins)->bind(4, to_ms(now));
    if (auto r = (*ins)->run(); !r) return r.error();
  }
  auto found = find(week, recipients);
  if (!found) return found.error();
  if (!*found) return Failure(errc::store_failed, "digest row vanished");
  Claim c{ClaimOutcome::busy, std::move(**found)};
  if (c.row.state == DigestState::sent) c.outcome = ClaimOutcome::already_sent;
  else if (c.row.state == DigestState::failed) c.outcome = ClaimOutcome::failed;
  else if (c.row.next_attempt <= now) {
    auto up = db_.cached(
        "UPDATE digests SET attempts = attempts + 1, next_attempt_at = ?3 WHERE week = ?1 AND recipients = ?2");
    if (!up) return up.error();
    (*up)->bind(1, to_string(week));
    (*up)->bind(2, recipients);
    (*up)->bind(3, to_ms(now + lease));
    if (auto r = (*up)->run(); !r) return r.error();
    c.outcome = ClaimOutcome::claimed;
    c.row.attempts += 1;
    c.row.next_attempt = from_ms(to_ms(now + lease));
  }
  if (auto r = tx->commit(); !r) return r.error();
  return c;
}

Result<void> DigestLedger::reset(IsoWeek week, const std::string& recipients, const std::string& message_id,
                                 TimePoint now) {
  auto st = db_.cached(
      "INSERT INTO digests (week, recipients, message_id, state, attempts, next_attempt_at, created_at) "
      "VALUES (?1, ?2, ?3, 'pending', 0, ?4, ?4) ON CONFLICT (week, recipients) DO UPDATE SET "
      "message_id = excluded.message_id, state = 'pending', next_attempt_at = excluded.next_attempt_at, "
      "last_error = '', sent_at = NULL");
  if (!st) return st.error();
  (*st)->bind(1, to_string(week));
  (*st)->bind(2, recipients);
  (*st)->bind(3, message_id);
  (*st)->bind(4, to_ms(now));
  return (*st)->run();
}

Result<void> DigestLedger::update(std::string_view sql, IsoWeek week, const std::string& recipients, std::int64_t time,
                                  const std::string& text) {
  auto st = db_.cached(sql);
  if (!st) return st.error();
  (*st)->bind(1, to_string(week));
  (*st)->bind(2, recipients);
  (*st)->bind(3, time);
  (*st)->bind(4, text);
  if (auto r = (*st)->run(); !r) return r.error();
  if (db_.changes() == 0)
    return Failure(errc::invalid_input, "digest " + to_string(week) + " for " + recipients + " is not pending");
  return {};
}

Result<void> DigestLedger::mark_sent(IsoWeek week, const std::string& recipients, TimePoint now) {
  return update("UPDATE digests SET state = 'sent', sent_at = ?3, last_error = ?4 "
                "WHERE week = ?1 AND recipients = ?2 AND state = 'pending'",
                week, recipients, to_ms(now), "");
}

Result<void> DigestLedger::mark_retry(IsoWeek week, const std::string& recipients, TimePoint next_attempt,
                                      const std::string& error) {
  return update("UPDATE digests SET next_attempt_at = ?3, last_error = ?4 "
                "WHERE week = ?1 AND recipients = ?2 AND state = 'pending'",
                week, recipients, to_ms(next_attempt), error);
}

Result<void> DigestLedger::mark_failed(IsoWeek week, const std::string& recipients, const std::string& error) {
  return update("UPDATE digests SET state = 'failed', next_attempt_at = ?3, last_error = ?4 "
                "WHERE week = ?1 AND recipients = ?2 AND state = 'pending'",
                week, recipients, 0, error);
}

}  // namespace otklik::digest
