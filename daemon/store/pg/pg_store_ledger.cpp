// PgStore: the ledgers role — the `digests` table that makes the weekly digest exactly-once per
// ISO week and recipient list. The same rules as sqlite_store_ledger.cpp; a claim locks the row
// (FOR UPDATE) so that two claimers never both see it due.
#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/pg/row.hpp"
#include "daemon/store/pg/transaction.hpp"
#include "daemon/store/store_detail.hpp"

#include <algorithm>

namespace otklik::store {
namespace {

constexpr const char* kSelect =
    "SELECT message_id, state, attempts, next_attempt_at, last_error, sent_at FROM digests "
    "WHERE week = $1 AND recipients = $2";

/// Row `i` of a kSelect-shaped result (its first six columns).
Result<DigestRow> read_row(const pg::QueryResult& r, const std::string& week, const std::string& recipients,
                           int i = 0) {
  pg::Row row(r, i);
  DigestRow d;
  d.week = week;
  d.recipients = recipients;
  d.message_id = row.text(0);
  const std::string state = row.text(1);
  d.state = state == "sent" ? DigestState::sent : state == "failed" ? DigestState::failed : DigestState::pending;
  d.attempts = static_cast<int>(row.int64(2));
  d.next_attempt = from_ms(row.int64(3));
  d.last_error = row.text(4);
  d.sent_at = from_ms(row.optional_int64(5));
  OTKLIK_STORE_CHECK(row.status());
  return d;
}

}  // namespace

Result<std::optional<DigestRow>> PgStore::find_digest(const std::string& week, const std::string& recipients) {
  OTKLIK_STORE_TRY(r, conn_.query(kSelect, {week, recipients}));
  if (r.rows() == 0) return std::optional<DigestRow>{};
  OTKLIK_STORE_TRY(d, read_row(r, week, recipients));
  return std::optional<DigestRow>(std::move(d));
}

Result<std::optional<std::string>> PgStore::latest_digest_sent(const std::string& recipients) {
  // "2026-W47" strings sort in time order; COLLATE "C" compares them byte by byte, as SQLite does.
  OTKLIK_STORE_TRY(r, conn_.query("SELECT MAX(week COLLATE \"C\") FROM digests WHERE recipients = $1 AND state = 'sent'",
                                  {recipients}));
  if (r.rows() == 0) return std::optional<std::string>{};
  return r.optional_text(0, 0);
}

Result<Claim> PgStore::claim_digest(const std::string& week, const std::string& recipients,
                                    const std::string& message_id, TimePoint now, Duration lease) {
  OTKLIK_STORE_TRY(tx, pg::Transaction::begin(conn_));
  {
    OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO digests (week, recipients, message_id, state, attempts, "
                                    "next_attempt_at, created_at) VALUES ($1, $2, $3, 'pending', 0, $4, $4) "
                                    "ON CONFLICT DO NOTHING",
                                    {week, recipients, message_id, to_ms(now)}));
    (void)r;
  }
  OTKLIK_STORE_TRY(r, conn_.query(std::string(kSelect) + " FOR UPDATE", {week, recipients}));
  if (r.rows() == 0) return Failure(errc::store_failed, "digest row vanished");
  OTKLIK_STORE_TRY(row, read_row(r, week, recipients));
  Claim c{ClaimOutcome::busy, std::move(row)};
  if (c.row.state == DigestState::sent) {
    c.outcome = ClaimOutcome::already_sent;
  } else if (c.row.state == DigestState::failed) {
    c.outcome = ClaimOutcome::failed;
  } else if (c.row.next_attempt <= now) {
    OTKLIK_STORE_TRY(up, conn_.query("UPDATE digests SET attempts = attempts + 1, next_attempt_at = $3 "
                                     "WHERE week = $1 AND recipients = $2",
                                     {week, recipients, to_ms(now + lease)}));
    (void)up;
    c.outcome = ClaimOutcome::claimed;
    c.row.attempts += 1;
    c.row.next_attempt = from_ms(to_ms(now + lease));
  }
  OTKLIK_STORE_CHECK(tx.commit());
  return c;
}

Result<void> PgStore::reset_digest(const std::string& week, const std::string& recipients,
                                   const std::string& message_id, TimePoint now) {
  OTKLIK_STORE_TRY(r, conn_.query(
                          "INSERT INTO digests (week, recipients, message_id, state, attempts, next_attempt_at, "
                          "created_at) VALUES ($1, $2, $3, 'pending', 0, $4, $4) ON CONFLICT (week, recipients) DO "
                          "UPDATE SET message_id = excluded.message_id, state = 'pending', "
                          "next_attempt_at = excluded.next_attempt_at, last_error = '', sent_at = NULL",
                          {week, recipients, message_id, to_ms(now)}));
  (void)r;
  return {};
}

Result<void> PgStore::update_digest(std::string_view sql, const std::string& week, const std::string& recipients,
                                    std::int64_t time, const std::string& text) {
  OTKLIK_STORE_TRY(r, conn_.query(sql, {week, recipients, time, text}));
  if (r.affected() == 0)
    return Failure(errc::invalid_input, "digest " + week + " for " + recipients + " is not pending");
  return {};
}

Result<void> PgStore::mark_digest_sent(const std::string& week, const std::string& recipients, TimePoint now) {
  return update_digest("UPDATE digests SET state = 'sent', sent_at = $3, last_error = $4 "
                       "WHERE week = $1 AND recipients = $2 AND state = 'pending'",
                       week, recipients, to_ms(now), "");
}

Result<void> PgStore::mark_digest_retry(const std::string& week, const std::string& recipients,
                                        TimePoint next_attempt, const std::string& error) {
  return update_digest("UPDATE digests SET next_attempt_at = $3, last_error = $4 "
                       "WHERE week = $1 AND recipients = $2 AND state = 'pending'",
                       week, recipients, to_ms(next_attempt), error);
}

Result<void> PgStore::mark_digest_failed(const std::string& week, const std::string& recipients,
                                         const std::string& error) {
  return update_digest("UPDATE digests SET state = 'failed', next_attempt_at = $3, last_error = $4 "
                       "WHERE week = $1 AND recipients = $2 AND state = 'pending'",
                       week, recipients, 0, error);
}

Result<std::vector<DigestRow>> PgStore::digest_rows(int limit) {
  // Newest week first ("2026-W47" strings sort in time order, byte by byte as in SQLite); the
  // ledger holds a row per week and recipient list, so it stays small.
  OTKLIK_STORE_TRY(r, conn_.query("SELECT message_id, state, attempts, next_attempt_at, last_error, sent_at, week, "
                                  "recipients FROM digests ORDER BY week COLLATE \"C\" DESC, recipients COLLATE \"C\" "
                                  "LIMIT $1",
                                  {std::max(limit, 0)}));
  std::vector<DigestRow> out;
  for (int i = 0; i < r.rows(); ++i) {
    OTKLIK_STORE_TRY(week, r.text(i, 6));
    OTKLIK_STORE_TRY(recipients, r.text(i, 7));
    OTKLIK_STORE_TRY(row, read_row(r, week, recipients, i));
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace otklik::store
