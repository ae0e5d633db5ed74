// SqliteStore: the ledgers role — the `digests` table that makes the weekly digest exactly-once
// per ISO week and recipient list.
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_detail.hpp"

#include <algorithm>

namespace otklik {
namespace {

using store::from_ms;
using store::to_ms;

constexpr const char* kSelect =
    "SELECT message_id, state, attempts, next_attempt_at, last_error, sent_at FROM digests "
    "WHERE week = ?1 AND recipients = ?2";

DigestRow read_row(const sqlite::Statement& st, const std::string& week, const std::string& recipients) {
  DigestRow r;
  r.week = week;
  r.recipients = recipients;
  r.message_id = st.text(0);
  const std::string state = st.text(1);
  r.state = state == "sent" ? DigestState::sent : state == "failed" ? DigestState::failed : DigestState::pending;
  r.attempts = static_cast<int>(st.int64(2));
  r.next_attempt = from_ms(st.int64(3));
  r.last_error = st.text(4);
  r.sent_at = from_ms(st.optional_int64(5));
  return r;
}

}  // namespace

Result<std::optional<DigestRow>> SqliteStore::find_digest(const std::string& week, const std::string& recipients) {
  OTKLIK_STORE_TRY(st, db_.cached(kSelect));
  st->bind(1, week);
  st->bind(2, recipients);
  OTKLIK_STORE_TRY(row, st->step());
  if (!row) return std::optional<DigestRow>{};
  return std::optional<DigestRow>(read_row(*st, week, recipients));
}

// The inbox role's read of the ledger (inbox_store.hpp), kept beside the ledger's other reads.
Result<std::vector<DigestRow>> SqliteStore::digest_rows(int limit) {
  // Newest week first ("2026-W47" strings sort in time order); the ledger holds a row per week
  // and recipient list, so it stays small.
  OTKLIK_STORE_TRY(st, db_.cached("SELECT message_id, state, attempts, next_attempt_at, last_error, sent_at, week, "
                                  "recipients FROM digests ORDER BY week DESC, recipients LIMIT ?1"));
  st->bind(1, std::max(limit, 0));
  std::vector<DigestRow> out;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    out.push_back(read_row(*st, st->text(6), st->text(7)));
  }
  return out;
}

Result<std::optional<std::string>> SqliteStore::latest_digest_sent(const std::string& recipients) {
  // "2026-W47" strings sort in time order (four-digit year, two-digit week).
  OTKLIK_STORE_TRY(st, db_.cached("SELECT MAX(week) FROM digests WHERE recipients = ?1 AND state = 'sent'"));
  st->bind(1, recipients);
  OTKLIK_STORE_TRY(row, st->step());
  if (!row || st->is_null(0)) return std::optional<std::string>{};
  return std::optional<std::string>(st->text(0));
}

Result<Claim> SqliteStore::claim_digest(const std::string& week, const std::string& recipients,
                                        const std::string& message_id, TimePoint now, Duration lease) {
  OTKLIK_STORE_TRY(tx, sqlite::Transaction::begin(db_));
  {
    OTKLIK_STORE_TRY(ins, db_.cached(
                              "INSERT OR IGNORE INTO digests (week, recipients, message_id, state, attempts, "
                              "next_attempt_at, created_at) VALUES (?1, ?2, ?3, 'pending', 0, ?4, ?4)"));
    ins->bind(1, week);
    ins->bind(2, recipients);
    ins->bind(3, message_id);
    ins->bind(4, to_ms(now));
    OTKLIK_STORE_CHECK(ins->run());
  }
  OTKLIK_STORE_TRY(found, find_digest(week, recipients));
  if (!found) return Failure(errc::store_failed, "digest row vanished");
  Claim c{ClaimOutcome::busy, std::move(*found)};
  if (c.row.state == DigestState::sent) {
    c.outcome = ClaimOutcome::already_sent;
  } else if (c.row.state == DigestState::failed) {
    c.outcome = ClaimOutcome::failed;
  } else if (c.row.next_attempt <= now) {
    OTKLIK_STORE_TRY(up, db_.cached("UPDATE digests SET attempts = attempts + 1, next_attempt_at = ?3 "
                                    "WHERE week = ?1 AND recipients = ?2"));
    up->bind(1, week);
    up->bind(2, recipients);
    up->bind(3, to_ms(now + lease));
    OTKLIK_STORE_CHECK(up->run());
    c.outcome = ClaimOutcome::claimed;
    c.row.attempts += 1;
    c.row.next_attempt = from_ms(to_ms(now + lease));
  }
  OTKLIK_STORE_CHECK(tx.commit());
  return c;
}

Result<void> SqliteStore::reset_digest(const std::string& week, const std::string& recipients,
                                       const std::string& message_id, TimePoint now) {
  OTKLIK_STORE_TRY(st, db_.cached(
                           "INSERT INTO digests (week, recipients, message_id, state, attempts, next_attempt_at, "
                           "created_at) VALUES (?1, ?2, ?3, 'pending', 0, ?4, ?4) ON CONFLICT (week, recipients) DO "
                           "UPDATE SET message_id = excluded.message_id, state = 'pending', "
                           "next_attempt_at = excluded.next_attempt_at, last_error = '', sent_at = NULL"));
  st->bind(1, week);
  st->bind(2, recipients);
  st->bind(3, message_id);
  st->bind(4, to_ms(now));
  return st->run();
}

Result<void> SqliteStore::update_digest(std::string_view sql, const std::string& week, const std::string& recipients,
                                        std::int64_t time, const std::string& text) {
  OTKLIK_STORE_TRY(st, db_.cached(sql));
  st->bind(1, week);
  st->bind(2, recipients);
  st->bind(3, time);
  st->bind(4, text);
  OTKLIK_STORE_CHECK(st->run());
  if (db_.changes() == 0) return Failure(errc::invalid_input, "digest " + week + " for " + recipients + " is not pending");
  return {};
}

Result<void> SqliteStore::mark_digest_sent(const std::string& week, const std::string& recipients, TimePoint now) {
  return update_digest("UPDATE digests SET state = 'sent', sent_at = ?3, last_error = ?4 "
                       "WHERE week = ?1 AND recipients = ?2 AND state = 'pending'",
                       week, recipients, to_ms(now), "");
}

Result<void> SqliteStore::mark_digest_retry(const std::string& week, const std::string& recipients,
                                            TimePoint next_attempt, const std::string& error) {
  return update_digest("UPDATE digests SET next_attempt_at = ?3, last_error = ?4 "
                       "WHERE week = ?1 AND recipients = ?2 AND state = 'pending'",
                       week, recipients, to_ms(next_attempt), error);
}

Result<void> SqliteStore::mark_digest_failed(const std::string& week, const std::string& recipients,
                                             const std::string& error) {
  return update_digest("UPDATE digests SET state = 'failed', next_attempt_at = ?3, last_error = ?4 "
                       "WHERE week = ?1 AND recipients = ?2 AND state = 'pending'",
                       week, recipients, 0, error);
}

}  // namespace otklik
