// SqliteStore: the spikes role — negative counts per brand, topic and minute (written by ingest)
// and spikes recorded exactly once with their notices.
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_detail.hpp"

namespace otklik {

using sqlite::Transaction;
using store::from_ms;
using store::to_ms;

Result<std::vector<MinuteCount>> SqliteStore::negative_counts(const std::string& brand, const std::string& topic,
                                                              std::int64_t from_minute, std::int64_t to_minute) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT minute, n FROM negative_counts WHERE brand = ?1 AND topic = ?2 "
                                  "AND minute >= ?3 AND minute <= ?4 AND n > 0 ORDER BY minute"));
  st->bind(1, brand);
  st->bind(2, topic);
  st->bind(3, from_minute);
  st->bind(4, to_minute);
  std::vector<MinuteCount> out;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    out.push_back({st->int64(0), static_cast<int>(st->int64(1))});
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteStore::pairs_since(std::int64_t from_minute) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT DISTINCT brand, topic FROM negative_counts WHERE minute >= ?1 AND n > 0"));
  st->bind(1, from_minute);
  std::vector<std::pair<std::string, std::string>> out;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    out.emplace_back(st->text(0), st->text(1));
  }
  return out;
}

Result<std::vector<SpikeRecord>> SqliteStore::active_spikes() {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT id, brand, topic, started_at, start_count, peak_count, usual FROM spikes "
                                  "WHERE ended_at IS NULL ORDER BY id"));
  std::vector<SpikeRecord> out;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    SpikeRecord s;
    s.id = st->int64(0);
    s.brand = st->text(1);
    s.topic = st->text(2);
    s.started = from_ms(st->int64(3));
    s.start_count = static_cast<int>(st->int64(4));
    s.peak_count = static_cast<int>(st->int64(5));
    s.usual = st->real(6);
    out.push_back(std::move(s));
  }
  return out;
}

Result<bool> SqliteStore::start_spike(const SpikeRecord& spike, const std::vector<AlertRequest>& notices,
                                      TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  {
    OTKLIK_STORE_TRY(st, db_.cached("INSERT INTO spikes (brand, topic, started_at, start_count, peak_count, usual) "
                                    "VALUES (?1, ?2, ?3, ?4, ?4, ?5) ON CONFLICT DO NOTHING"));
    st->bind(1, spike.brand);
    st->bind(2, spike.topic);
    st->bind(3, to_ms(spike.started));
    st->bind(4, spike.start_count);
    st->bind(5, spike.usual);
    OTKLIK_STORE_CHECK(st->run());
  }
  if (db_.changes() == 0) return false;  // already active: the transaction rolls back unused
  for (const AlertRequest& n : notices) {
    OTKLIK_STORE_TRY(id, insert_outbox(n, 0, now));
    (void)id;
  }
  OTKLIK_STORE_CHECK(tx.commit());
  return true;
}

Result<void> SqliteStore::update_spike_peak(std::int64_t id, int peak) {
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE spikes SET peak_count = MAX(peak_count, ?2) WHERE id = ?1"));
  st->bind(1, id);
  st->bind(2, peak);
  return st->run();
}

Result<bool> SqliteStore::end_spike(std::int64_t id, const std::vector<AlertRequest>& notices, TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  {
    OTKLIK_STORE_TRY(st, db_.cached("UPDATE spikes SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL"));
    st->bind(1, id);
    st->bind(2, to_ms(now));
    OTKLIK_STORE_CHECK(st->run());
  }
  if (db_.changes() == 0) return false;
  for (const AlertRequest& n : notices) {
    OTKLIK_STORE_TRY(oid, insert_outbox(n, 0, now));
    (void)oid;
  }
  OTKLIK_STORE_CHECK(tx.commit());
  return true;
}

}  // namespace otklik
