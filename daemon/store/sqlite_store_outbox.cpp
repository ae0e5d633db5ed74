// The outbox half of SqliteStore: rows queued with their mention, leased by one dispatcher per
// channel, then marked sent, retried later or dead.
#include "daemon/store/sqlite_store.hpp"

#include "daemon/store/store_detail.hpp"

#include <algorithm>

namespace otklik {

using sqlite::Transaction;
using store::from_ms;
using store::to_ms;

Result<std::vector<OutboxItem>> SqliteStore::lease(const std::string& channel, TimePoint now,
                                                   std::chrono::seconds lease, int limit) {
  std::vector<OutboxItem> items;
  if (limit <= 0) return items;
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  {
    // A lease is free when it was never taken, released, or has expired (lease_until <= now).
    OTKLIK_STORE_TRY(st, db_.cached(
                             "UPDATE outbox SET lease_until = ?1 WHERE id IN (SELECT id FROM outbox "
                             "WHERE channel = ?2 AND state = 'pending' AND next_attempt_at <= ?3 "
                             "AND (lease_until IS NULL OR lease_until <= ?3) ORDER BY id LIMIT ?4) "
                             "RETURNING id, channel, kind, payload, mention_id, attempts, created_at"));
    st->bind(1, to_ms(now + lease));
    st->bind(2, channel);
    st->bind(3, to_ms(now));
    st->bind(4, limit);
    for (;;) {
      OTKLIK_STORE_TRY(row, st->step());
      if (!row) break;
      OutboxItem item;
      item.id = st->int64(0);
      item.channel = st->text(1);
      item.kind = st->text(2);
      item.payload = st->text(3);
      item.mention_id = st->optional_int64(4).value_or(0);
      item.attempts = static_cast<int>(st->int64(5));
      item.created = from_ms(st->int64(6));
      items.push_back(std::move(item));
    }
  }
  OTKLIK_STORE_CHECK(tx.commit());
  // RETURNING gives no order guarantee.
  std::sort(items.begin(), items.end(), [](const OutboxItem& a, const OutboxItem& b) { return a.id < b.id; });
  return items;
}

Result<void> SqliteStore::update_pending(std::int64_t id, sqlite::CachedStatement st, std::string_view counter_name) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  OTKLIK_STORE_CHECK(st->run());
  if (db_.changes() == 0) {
    return Failure(errc::invalid_input, "outbox row " + std::to_string(id) + " does not exist or is not pending");
  }
  if (!counter_name.empty()) OTKLIK_STORE_CHECK(bump_counter(counter_name, 1));
  return tx.commit();
}

Result<void> SqliteStore::mark_sent(std::int64_t id, const std::string& remote_id, TimePoint now) {
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE outbox SET state = 'sent', remote_id = ?2, sent_at = ?3, "
                                  "lease_until = NULL, attempts = attempts + 1 "
                                  "WHERE id = ?1 AND state = 'pending'"));
  st->bind(1, id);
  st->bind(2, remote_id);
  st->bind(3, to_ms(now));
  return update_pending(id, std::move(st), "outbox_sent");
}

Result<void> SqliteStore::mark_retry(std::int64_t id, TimePoint next_attempt, const std::string& error) {
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, "
                                  "lease_until = NULL, last_error = ?3 WHERE id = ?1 AND state = 'pending'"));
  st->bind(1, id);
  st->bind(2, to_ms(next_attempt));
  st->bind(3, error);
  return update_pending(id, std::move(st), "");
}

Result<void> SqliteStore::mark_dead(std::int64_t id, const std::string& error, TimePoint now) {
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ?2, "
                                  "dead_at = ?3, lease_until = NULL WHERE id = ?1 AND state = 'pending'"));
  st->bind(1, id);
  st->bind(2, error);
  st->bind(3, to_ms(now));
  return update_pending(id, std::move(st), "outbox_dead");
}

Result<void> SqliteStore::release_all_leases() {
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  {
    OTKLIK_STORE_TRY(st, db_.cached("UPDATE outbox SET lease_until = NULL WHERE lease_until IS NOT NULL"));
    OTKLIK_STORE_CHECK(st->run());
  }
  return tx.commit();
}

Result<std::optional<TimePoint>> SqliteStore::next_due(const std::string& channel) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT MIN(MAX(next_attempt_at, COALESCE(lease_until, next_attempt_at))) "
                                  "FROM outbox WHERE channel = ?1 AND state = 'pending'"));
  st->bind(1, channel);
  OTKLIK_STORE_TRY(row, st->step());
  if (!row) return std::optional<TimePoint>{};
  return from_ms(st->optional_int64(0));
}

Result<OutboxCounts> SqliteStore::outbox_counts() {
  // Pending rows through the state index (what is waiting, not the history); sent and dead rows
  // are counted as they move (counters), so this never scans the outbox.
  // A row held for quiet hours (never tried, next attempt in the future) is not late: it is
  // waiting since its release time, not since it was created.
  OTKLIK_STORE_TRY(st, db_.cached("SELECT COUNT(*), "
                                  "MIN(CASE WHEN attempts = 0 THEN MAX(created_at, next_attempt_at) ELSE created_at END) "
                                  "FROM outbox WHERE state = 'pending'"));
  OutboxCounts counts;
  OTKLIK_STORE_TRY(row, st->step());
  if (row) {
    counts.pending = st->int64(0);
    counts.oldest_pending_created = from_ms(st->optional_int64(1));
  }
  OTKLIK_STORE_TRY(sent, counter("outbox_sent"));
  OTKLIK_STORE_TRY(dead, counter("outbox_dead"));
  counts.sent = sent;
  counts.dead = dead;
  return counts;
}

Result<std::int64_t> SqliteStore::enqueue(const AlertRequest& request, std::int64_t mention_id, TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  OTKLIK_STORE_TRY(id, insert_outbox(request, mention_id, now));
  OTKLIK_STORE_CHECK(tx.commit());
  return id;
}

Result<std::int64_t> SqliteStore::insert_outbox(const AlertRequest& request, std::int64_t mention_id,
                                                TimePoint now) {
  const TimePoint due = request.not_before ? std::max(now, *request.not_before) : now;
  OTKLIK_STORE_TRY(st, db_.cached("INSERT INTO outbox (channel, kind, payload, mention_id, next_attempt_at, "
                                  "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  st->bind(1, request.channel);
  st->bind(2, request.kind);
  st->bind(3, request.payload);
  if (mention_id != 0) st->bind(4, mention_id); else st->bind_null(4);
  st->bind(5, to_ms(due));
  st->bind(6, to_ms(now));
  OTKLIK_STORE_CHECK(st->run());
  return db_.last_insert_rowid();
}

Result<std::vector<PostedAlert>> SqliteStore::posted_alerts(std::int64_t mention_id) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT id, channel, remote_id, payload FROM outbox WHERE mention_id = ?1 "
                                  "AND kind = 'alert' AND state = 'sent' ORDER BY id"));
  st->bind(1, mention_id);
  std::vector<PostedAlert> out;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    out.push_back({st->int64(0), st->text(1), st->text(2), st->text(3)});
  }
  return out;
}

Result<void> SqliteStore::set_channel_hold(const std::string& channel, std::optional<TimePoint> until) {
  if (!until) {
    OTKLIK_STORE_TRY(st, db_.cached("DELETE FROM channel_holds WHERE channel = ?1"));
    st->bind(1, channel);
    return st->run();
  }
  OTKLIK_STORE_TRY(st, db_.cached("INSERT INTO channel_holds (channel, not_before) VALUES (?1, ?2) "
                                  "ON CONFLICT (channel) DO UPDATE SET not_before = excluded.not_before"));
  st->bind(1, channel);
  st->bind(2, to_ms(*until));
  return st->run();
}

Result<std::optional<TimePoint>> SqliteStore::channel_hold(const std::string& channel) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT not_before FROM channel_holds WHERE channel = ?1"));
  st->bind(1, channel);
  OTKLIK_STORE_TRY(row, st->step());
  if (!row) return std::optional<TimePoint>{};
  return std::optional<TimePoint>(from_ms(st->int64(0)));
}

Result<int> SqliteStore::retry_now(const std::string& channel, TimePoint now) {
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE outbox SET next_attempt_at = ?2 WHERE channel = ?1 AND state = 'pending' "
                                  "AND next_attempt_at > ?2 AND attempts > 0"));
  st->bind(1, channel);
  st->bind(2, to_ms(now));
  OTKLIK_STORE_CHECK(st->run());
  return static_cast<int>(db_.changes());
}

}  // namespace otklik
