// SqliteStore: the leases role. One instance uses a SQLite file, so nobody contends for these
// rows; they behave as on PostgreSQL (pg_store_leases.cpp) so that the same tests hold on both.
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_detail.hpp"

namespace otklik {

using sqlite::Transaction;
using store::to_ms;

Result<Heartbeat> SqliteStore::heartbeat(const std::string& instance, const std::string& incarnation, TimePoint now,
                                         Duration live_within) {
  Heartbeat beat;
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  {
    OTKLIK_STORE_TRY(st, db_.cached("SELECT incarnation FROM instances WHERE id = ?1"));
    st->bind(1, instance);
    OTKLIK_STORE_TRY(row, st->step());
    // Written by another process since our last beat (or a previous run of ours, before ours).
    if (row && st->text(0) != incarnation) beat.id_clash = true;
  }
  {
    OTKLIK_STORE_TRY(st, db_.cached("INSERT INTO instances (id, incarnation, started_at, seen_at) "
                                    "VALUES (?1, ?2, ?3, ?3) ON CONFLICT (id) DO UPDATE SET "
                                    "incarnation = excluded.incarnation, seen_at = excluded.seen_at, "
                                    "started_at = CASE WHEN instances.incarnation = excluded.incarnation "
                                    "THEN instances.started_at ELSE excluded.started_at END"));
    st->bind(1, instance);
    st->bind(2, incarnation);
    st->bind(3, to_ms(now));
    OTKLIK_STORE_CHECK(st->run());
  }
  {
    OTKLIK_STORE_TRY(st, db_.cached("DELETE FROM instances WHERE seen_at < ?1"));
    st->bind(1, to_ms(now - 10 * live_within));
    OTKLIK_STORE_CHECK(st->run());
  }
  {
    OTKLIK_STORE_TRY(st, db_.cached("SELECT COUNT(*) FROM instances WHERE seen_at >= ?1"));
    st->bind(1, to_ms(now - live_within));
    OTKLIK_STORE_TRY(row, st->step());
    beat.live = row ? std::max(1, static_cast<int>(st->int64(0))) : 1;
  }
  OTKLIK_STORE_CHECK(tx.commit());
  return beat;
}

Result<void> SqliteStore::ensure_leases(const std::vector<std::string>& names) {
  if (names.empty()) return {};
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  for (const std::string& name : names) {
    OTKLIK_STORE_TRY(st, db_.cached("INSERT INTO leases (name) VALUES (?1) ON CONFLICT (name) DO NOTHING"));
    st->bind(1, name);
    OTKLIK_STORE_CHECK(st->run());
  }
  return tx.commit();
}

Result<std::vector<HeldLease>> SqliteStore::renew_leases(const std::string& holder, TimePoint until) {
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE leases SET expires_at = ?2 WHERE holder = ?1 RETURNING name, fence"));
  st->bind(1, holder);
  st->bind(2, to_ms(until));
  std::vector<HeldLease> out;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    out.push_back({st->text(0), st->int64(1)});
  }
  return out;
}

Result<std::vector<HeldLease>> SqliteStore::claim_leases(const std::string& holder,
                                                         const std::vector<std::string>& names, int limit,
                                                         TimePoint expired_by, TimePoint until) {
  std::vector<HeldLease> out;
  if (limit <= 0 || names.empty()) return out;
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  for (const std::string& name : names) {
    if (static_cast<int>(out.size()) >= limit) break;
    OTKLIK_STORE_TRY(st, db_.cached("UPDATE leases SET holder = ?2, fence = fence + 1, expires_at = ?4 "
                                    "WHERE name = ?1 AND expires_at <= ?3 RETURNING fence"));
    st->bind(1, name);
    st->bind(2, holder);
    st->bind(3, to_ms(expired_by));
    st->bind(4, to_ms(until));
    OTKLIK_STORE_TRY(row, st->step());
    if (row) out.push_back({name, st->int64(0)});
  }
  OTKLIK_STORE_CHECK(tx.commit());
  return out;
}

Result<void> SqliteStore::release_leases(const std::string& holder, const std::vector<std::string>& names,
                                         TimePoint now) {
  if (names.empty()) return {};
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  for (const std::string& name : names) {
    OTKLIK_STORE_TRY(st, db_.cached("UPDATE leases SET holder = NULL, expires_at = MIN(expires_at, ?3) "
                                    "WHERE name = ?1 AND holder = ?2"));
    st->bind(1, name);
    st->bind(2, holder);
    st->bind(3, to_ms(now));
    OTKLIK_STORE_CHECK(st->run());
  }
  return tx.commit();
}

Result<void> SqliteStore::release_holder(const std::string& holder, TimePoint now) {
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE leases SET holder = NULL, expires_at = MIN(expires_at, ?2) "
                                  "WHERE holder = ?1"));
  st->bind(1, holder);
  st->bind(2, to_ms(now));
  return st->run();
}

Result<bool> SqliteStore::fence_holds(const LeaseFence& fence) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT 1 FROM leases WHERE name = ?1 AND holder = ?2 AND fence = ?3"));
  st->bind(1, fence.name);
  st->bind(2, fence.holder);
  st->bind(3, fence.fence);
  OTKLIK_STORE_TRY(row, st->step());
  return row;
}

Result<void> SqliteStore::check_fence(const std::optional<LeaseFence>& fence) {
  if (!fence) return {};
  OTKLIK_STORE_TRY(holds, fence_holds(*fence));
  if (!holds)
    return Failure(errc::lease_lost, "lease " + fence->name + " (fence " + std::to_string(fence->fence) +
                                         ") is no longer held by " + fence->holder);
  return {};
}

}  // namespace otklik
