// PgStore: the leases role — how instances on one database share the sources and the
// one-per-deployment tasks. The same rules as sqlite_store_leases.cpp; here other sessions
// contend: a claim skips the rows another session holds locked (claiming, or writing under its
// lease: a fenced write keeps its lease row locked FOR SHARE until it commits), so a lease cannot
// change hands between a fenced write's check and its commit.
#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/pg/row.hpp"
#include "daemon/store/pg/text_array.hpp"
#include "daemon/store/pg/transaction.hpp"
#include "daemon/store/store_detail.hpp"

#include <algorithm>

namespace otklik::store {

using pg::Row;
using pg::Transaction;

namespace {

Result<std::vector<HeldLease>> held_leases(const pg::QueryResult& r) {
  std::vector<HeldLease> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    HeldLease lease{row.text(0), row.int64(1)};
    OTKLIK_STORE_CHECK(row.status());
    out.push_back(std::move(lease));
  }
  std::sort(out.begin(), out.end(), [](const HeldLease& a, const HeldLease& b) { return a.name < b.name; });
  return out;
}

}  // namespace

Result<Heartbeat> PgStore::heartbeat(const std::string& instance, const std::string& incarnation, TimePoint now,
                                     Duration live_within) {
  Heartbeat beat;
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  {
    // The row locked until commit: two processes under one id see each other's incarnation.
    OTKLIK_STORE_TRY(r, conn_.query("SELECT incarnation FROM instances WHERE id = $1 FOR UPDATE", {instance}));
    if (r.rows() > 0) {
      OTKLIK_STORE_TRY(seen, r.text(0, 0));
      beat.id_clash = seen != incarnation;
    }
  }
  {
    OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO instances (id, incarnation, started_at, seen_at) "
                                    "VALUES ($1, $2, $3, $3) ON CONFLICT (id) DO UPDATE SET "
                                    "incarnation = excluded.incarnation, seen_at = excluded.seen_at, "
                                    "started_at = CASE WHEN instances.incarnation = excluded.incarnation "
                                    "THEN instances.started_at ELSE excluded.started_at END",
                                    {instance, incarnation, to_ms(now)}));
    (void)r;
  }
  {
    OTKLIK_STORE_TRY(r, conn_.query("DELETE FROM instances WHERE seen_at < $1", {to_ms(now - 10 * live_within)}));
    (void)r;
  }
  {
    OTKLIK_STORE_TRY(r, conn_.query("SELECT COUNT(*) FROM instances WHERE seen_at >= $1", {to_ms(now - live_within)}));
    OTKLIK_STORE_TRY(n, r.int64(0, 0));
    beat.live = std::max(1, static_cast<int>(n));
  }
  OTKLIK_STORE_CHECK(tx.commit());
  return beat;
}

Result<void> PgStore::ensure_leases(const std::vector<std::string>& names) {
  if (names.empty()) return {};
  OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO leases (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING",
                                  {pg::text_array(names)}));
  (void)r;
  return {};
}

Result<std::vector<HeldLease>> PgStore::renew_leases(const std::string& holder, TimePoint until) {
  // SKIP LOCKED is not used: a row of ours locked FOR SHARE by a fenced write of this instance
  // (on a store session) is waited on until that write commits, and another instance never locks
  // a row we hold, except a claimer re-checking an expired one: then we wait for it, and lose the
  // lease if it took it. The rows are locked in name order (byte order), the order in which a
  // batch of state saves locks them FOR SHARE (save_source_states): two sessions that lock many
  // of the same rows in one order cannot deadlock.
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE leases SET expires_at = $2 WHERE name IN (SELECT name FROM leases "
                                  "WHERE holder = $1 ORDER BY name COLLATE \"C\" FOR UPDATE) RETURNING name, fence",
                                  {holder, to_ms(until)}));
  return held_leases(r);
}

Result<std::vector<HeldLease>> PgStore::claim_leases(const std::string& holder, const std::vector<std::string>& names,
                                                     int limit, TimePoint expired_by, TimePoint until) {
  if (limit <= 0 || names.empty()) return std::vector<HeldLease>{};
  // Free rows only, skipping those another session holds locked (claiming them, or writing under
  // their lease); the oldest expiry first, so that the longest-waiting source goes first.
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE leases SET holder = $1, fence = fence + 1, expires_at = $2 "
                                  "WHERE name IN (SELECT name FROM leases WHERE name = ANY($3::text[]) "
                                  "AND expires_at <= $4 ORDER BY expires_at LIMIT $5 "
                                  "FOR UPDATE SKIP LOCKED) RETURNING name, fence",
                                  {holder, to_ms(until), pg::text_array(names), to_ms(expired_by), limit}));
  return held_leases(r);
}

Result<void> PgStore::release_leases(const std::string& holder, const std::vector<std::string>& names,
                                     TimePoint now) {
  if (names.empty()) return {};
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE leases SET holder = NULL, expires_at = LEAST(expires_at, $3) "
                                  "WHERE holder = $1 AND name = ANY($2::text[])",
                                  {holder, pg::text_array(names), to_ms(now)}));
  (void)r;
  return {};
}

Result<void> PgStore::release_holder(const std::string& holder, TimePoint now) {
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE leases SET holder = NULL, expires_at = LEAST(expires_at, $2) "
                                  "WHERE holder = $1",
                                  {holder, to_ms(now)}));
  (void)r;
  return {};
}

Result<bool> PgStore::fence_holds(const LeaseFence& fence) {
  // FOR SHARE: inside a fenced write's transaction, the row stays as checked until the commit
  // (a claim skips it; a renewal by another session would wait, but only the holder renews).
  OTKLIK_STORE_TRY(r, conn_.query("SELECT 1 FROM leases WHERE name = $1 AND holder = $2 AND fence = $3 FOR SHARE",
                                  {fence.name, fence.holder, fence.fence}));
  return r.rows() > 0;
}

Result<void> PgStore::check_fence(const std::optional<LeaseFence>& fence) {
  if (!fence) return {};
  OTKLIK_STORE_TRY(holds, fence_holds(*fence));
  if (!holds)
    return Failure(errc::lease_lost, "lease " + fence->name + " (fence " + std::to_string(fence->fence) +
                                         ") is no longer held by " + fence->holder);
  return {};
}

}  // namespace otklik::store
