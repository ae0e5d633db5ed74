// PgStore: the spikes role — negative counts per brand, topic and minute (written by ingest) and
// spikes recorded exactly once with their notices. The same rules as sqlite_store_spikes.cpp.
#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/pg/row.hpp"
#include "daemon/store/pg/transaction.hpp"
#include "daemon/store/store_detail.hpp"

namespace otklik::store {

using pg::Row;
using pg::Transaction;

Result<std::vector<MinuteCount>> PgStore::negative_counts(const std::string& brand, const std::string& topic,
                                                          std::int64_t from_minute, std::int64_t to_minute) {
  OTKLIK_STORE_TRY(r, conn_.query("SELECT minute, n FROM negative_counts WHERE brand = $1 AND topic = $2 "
                                  "AND minute >= $3 AND minute <= $4 AND n > 0 ORDER BY minute",
                                  {brand, topic, from_minute, to_minute}));
  std::vector<MinuteCount> out;
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    MinuteCount c{row.int64(0), static_cast<int>(row.int64(1))};
    OTKLIK_STORE_CHECK(row.status());
    out.push_back(c);
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> PgStore::pairs_since(std::int64_t from_minute) {
  OTKLIK_STORE_TRY(r, conn_.query("SELECT DISTINCT brand, topic FROM negative_counts WHERE minute >= $1 AND n > 0",
                                  {from_minute}));
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    std::pair<std::string, std::string> pair{row.text(0), row.text(1)};
    OTKLIK_STORE_CHECK(row.status());
    out.push_back(std::move(pair));
  }
  return out;
}

Result<std::vector<SpikeRecord>> PgStore::active_spikes() {
  OTKLIK_STORE_TRY(r, conn_.query("SELECT id, brand, topic, started_at, start_count, peak_count, usual FROM spikes "
                                  "WHERE ended_at IS NULL ORDER BY id"));
  std::vector<SpikeRecord> out;
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    SpikeRecord s;
    s.id = row.int64(0);
    s.brand = row.text(1);
    s.topic = row.text(2);
    s.started = from_ms(row.int64(3));
    s.start_count = static_cast<int>(row.int64(4));
    s.peak_count = static_cast<int>(row.int64(5));
    s.usual = row.real(6);
    OTKLIK_STORE_CHECK(row.status());
    out.push_back(std::move(s));
  }
  return out;
}

Result<bool> PgStore::start_spike(const SpikeRecord& spike, const std::vector<AlertRequest>& notices, TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  // The partial unique index spikes_active (brand, topic) WHERE ended_at IS NULL keeps one active.
  OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO spikes (brand, topic, started_at, start_count, peak_count, usual) "
                                  "VALUES ($1, $2, $3, $4, $4, $5) ON CONFLICT DO NOTHING",
                                  {spike.brand, spike.topic, to_ms(spike.started), spike.start_count, spike.usual}));
  if (r.affected() == 0) return false;  // already active: the transaction rolls back unused
  OTKLIK_STORE_CHECK(queue_notices(notices, now));
  OTKLIK_STORE_CHECK(tx.commit());
  return true;
}

Result<void> PgStore::update_spike_peak(std::int64_t id, int peak) {
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE spikes SET peak_count = GREATEST(peak_count, $2) WHERE id = $1", {id, peak}));
  (void)r;
  return {};
}

Result<bool> PgStore::end_spike(std::int64_t id, const std::vector<AlertRequest>& notices, TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE spikes SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL",
                                  {id, to_ms(now)}));
  if (r.affected() == 0) return false;
  OTKLIK_STORE_CHECK(queue_notices(notices, now));
  OTKLIK_STORE_CHECK(tx.commit());
  return true;
}

}  // namespace otklik::store
