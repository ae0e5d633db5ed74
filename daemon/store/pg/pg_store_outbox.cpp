// PgStore: the outbox role — rows queued with their mention, leased by one dispatcher per channel,
// then marked sent, retried later or dead. The same rules as sqlite_store_outbox.cpp; leases are
// claimed with FOR UPDATE SKIP LOCKED, so dispatchers of several instances share a channel's rows
// without waiting on each other and without leasing one row twice.
#include "daemon/store/pg/pg_store.hpp"

#include "daemon/store/pg/row.hpp"
#include "daemon/store/pg/transaction.hpp"
#include "daemon/store/store_detail.hpp"

#include <algorithm>

namespace otklik::store {

using pg::Row;
using pg::Transaction;

Result<std::vector<OutboxItem>> PgStore::lease(const std::string& channel, TimePoint now, std::chrono::seconds lease,
                                               int limit) {
  std::vector<OutboxItem> items;
  if (limit <= 0) return items;
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  {
    // A lease is free when it was never taken, released, or has expired (lease_until <= now).
    // FOR UPDATE SKIP LOCKED: a dispatcher of another instance leasing the same channel at this
    // moment holds its rows locked; they are skipped, not waited for and never leased twice (a
    // row it leased and committed meanwhile fails the recheck of the lease under the lock).
    OTKLIK_STORE_TRY(r, conn_.query("UPDATE outbox SET lease_until = $1, leased_by = $5 WHERE id IN (SELECT id "
                                    "FROM outbox WHERE channel = $2 AND state = 'pending' AND next_attempt_at <= $3 "
                                    "AND (lease_until IS NULL OR lease_until <= $3) ORDER BY id LIMIT $4 "
                                    "FOR UPDATE SKIP LOCKED) "
                                    "RETURNING id, channel, kind, payload, mention_id, attempts, created_at",
                                    {to_ms(now + lease), channel, to_ms(now), limit, instance_}));
    for (int i = 0; i < r.rows(); ++i) {
      Row row(r, i);
      OutboxItem item;
      item.id = row.int64(0);
      item.channel = row.text(1);
      item.kind = row.text(2);
      item.payload = row.text(3);
      item.mention_id = row.optional_int64(4).value_or(0);
      item.attempts = static_cast<int>(row.int64(5));
      item.created = from_ms(row.int64(6));
      OTKLIK_STORE_CHECK(row.status());
      items.push_back(std::move(item));
    }
  }
  OTKLIK_STORE_CHECK(tx.commit());
  // RETURNING gives no order guarantee.
  std::sort(items.begin(), items.end(), [](const OutboxItem& a, const OutboxItem& b) { return a.id < b.id; });
  return items;
}

Result<void> PgStore::update_pending(std::int64_t id, std::string_view sql, std::initializer_list<pg::Param> params,
                                     std::string_view counter_name) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  OTKLIK_STORE_TRY(r, conn_.query(sql, params));
  if (r.affected() == 0) {
    return Failure(errc::invalid_input, "outbox row " + std::to_string(id) + " does not exist or is not pending");
  }
  if (!counter_name.empty()) OTKLIK_STORE_CHECK(bump_counter(counter_name, 1));
  return tx.commit();
}

Result<void> PgStore::mark_sent(std::int64_t id, const std::string& remote_id, TimePoint now) {
  return update_pending(id,
                        "UPDATE outbox SET state = 'sent', remote_id = $2, sent_at = $3, "
                        "lease_until = NULL, attempts = attempts + 1 WHERE id = $1 AND state = 'pending'",
                        {id, remote_id, to_ms(now)}, "outbox_sent");
}

Result<void> PgStore::mark_retry(std::int64_t id, TimePoint next_attempt, const std::string& error) {
  return update_pending(id,
                        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, "
                        "lease_until = NULL, last_error = $3 WHERE id = $1 AND state = 'pending'",
                        {id, to_ms(next_attempt), error}, "");
}

Result<void> PgStore::mark_dead(std::int64_t id, const std::string& error, TimePoint now) {
  return update_pending(id,
                        "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = $2, "
                        "dead_at = $3, lease_until = NULL WHERE id = $1 AND state = 'pending'",
                        {id, error, to_ms(now)}, "outbox_dead");
}

Result<void> PgStore::release_all_leases() {
  // This instance's leases only: another instance's dispatcher may be sending its rows now.
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE outbox SET lease_until = NULL, leased_by = NULL "
                                  "WHERE lease_until IS NOT NULL AND COALESCE(leased_by, '') = $1 "
                                  "AND state = 'pending'",
                                  {instance_}));
  (void)r;
  return {};
}

Result<std::optional<TimePoint>> PgStore::next_due(const std::string& channel) {
  OTKLIK_STORE_TRY(r, conn_.query("SELECT MIN(GREATEST(next_attempt_at, COALESCE(lease_until, next_attempt_at))) "
                                  "FROM outbox WHERE channel = $1 AND state = 'pending'",
                                  {channel}));
  if (r.rows() == 0) return std::optional<TimePoint>{};
  OTKLIK_STORE_TRY(ms, r.optional_int64(0, 0));
  return from_ms(ms);
}

Result<OutboxCounts> PgStore::outbox_counts() {
  // Pending rows through the partial index; sent and dead rows are counters (no scan). A row
  // held for quiet hours and never tried waits since its release time, not since its creation.
  OTKLIK_STORE_TRY(r, conn_.query("SELECT COUNT(*), "
                                  "MIN(CASE WHEN attempts = 0 THEN GREATEST(created_at, next_attempt_at) "
                                  "ELSE created_at END) FROM outbox WHERE state = 'pending'"));
  OutboxCounts counts;
  if (r.rows() > 0) {
    Row row(r, 0);
    counts.pending = row.int64(0);
    counts.oldest_pending_created = from_ms(row.optional_int64(1));
    OTKLIK_STORE_CHECK(row.status());
  }
  OTKLIK_STORE_TRY(sent, counter("outbox_sent"));
  OTKLIK_STORE_TRY(dead, counter("outbox_dead"));
  counts.sent = sent;
  counts.dead = dead;
  return counts;
}

Result<std::int64_t> PgStore::enqueue(const AlertRequest& request, std::int64_t mention_id, TimePoint now) {
  return insert_outbox(request, mention_id, now);  // one statement: a transaction of its own
}

Result<std::int64_t> PgStore::insert_outbox(const AlertRequest& request, std::int64_t mention_id, TimePoint now) {
  const TimePoint due = request.not_before ? std::max(now, *request.not_before) : now;
  OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO outbox (channel, kind, payload, mention_id, next_attempt_at, "
                                  "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                                  {request.channel, request.kind, request.payload,
                                   mention_id != 0 ? pg::Param(mention_id) : pg::Param(), to_ms(due), to_ms(now)}));
  return r.int64(0, 0);
}

Result<std::vector<PostedAlert>> PgStore::posted_alerts(std::int64_t mention_id) {
  OTKLIK_STORE_TRY(r, conn_.query("SELECT id, channel, remote_id, payload FROM outbox WHERE mention_id = $1 "
                                  "AND kind = 'alert' AND state = 'sent' ORDER BY id",
                                  {mention_id}));
  std::vector<PostedAlert> out;
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    PostedAlert a{row.int64(0), row.text(1), row.text(2), row.text(3)};
    OTKLIK_STORE_CHECK(row.status());
    out.push_back(std::move(a));
  }
  return out;
}

Result<void> PgStore::set_channel_hold(const std::string& channel, std::optional<TimePoint> until) {
  if (!until) {
    OTKLIK_STORE_TRY(r, conn_.query("DELETE FROM channel_holds WHERE channel = $1", {channel}));
    (void)r;
    return {};
  }
  OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO channel_holds (channel, not_before) VALUES ($1, $2) "
                                  "ON CONFLICT (channel) DO UPDATE SET not_before = excluded.not_before",
                                  {channel, to_ms(*until)}));
  (void)r;
  return {};
}

Result<std::optional<TimePoint>> PgStore::channel_hold(const std::string& channel) {
  OTKLIK_STORE_TRY(r, conn_.query("SELECT not_before FROM channel_holds WHERE channel = $1", {channel}));
  if (r.rows() == 0) return std::optional<TimePoint>{};
  OTKLIK_STORE_TRY(ms, r.int64(0, 0));
  return std::optional<TimePoint>(from_ms(ms));
}

Result<int> PgStore::retry_now(const std::string& channel, TimePoint now) {
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE outbox SET next_attempt_at = $2 WHERE channel = $1 AND state = 'pending' "
                                  "AND next_attempt_at > $2 AND attempts > 0",
                                  {channel, to_ms(now)}));
  return static_cast<int>(r.affected());
}

}  // namespace otklik::store
