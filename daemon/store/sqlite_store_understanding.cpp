// SqliteStore: what understanding needs from the store — earlier mentions of an author, the
// times of negative mentions per brand and topic, and spikes recorded exactly once.
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_detail.hpp"

#include <algorithm>

namespace otklik {

using sqlite::Transaction;
using store::from_ms;
using store::to_ms;

// The time a mention "happened" for counting: when it was published, but never later than when
// it was first seen (a wrong clock on the site must not put items in the future).
static constexpr const char* kEventTime = "MIN(COALESCE(m.published_at, m.first_seen_at), m.first_seen_at)";

Result<std::vector<AuthorHistoryItem>> SqliteStore::author_history(const AuthorQuery& query) {
  std::vector<AuthorHistoryItem> out;
  if (query.id_key.empty() && query.name_key.empty()) return out;
  static const std::string kSelect =
      std::string("SELECT m.id, m.source, m.external_id, m.url, ") + kEventTime +
      ", COALESCE(c.state, '') FROM mentions m LEFT JOIN cases c ON c.mention_id = m.id "
      "WHERE m.label = 'negative' AND m.id != ?3 AND " + kEventTime + " >= ?4 AND "
      "((?1 != '' AND m.author_id_key = ?1) OR (?2 != '' AND m.author_name_key = ?2)) "
      "ORDER BY 5 DESC, m.id DESC LIMIT ?5";
  OTKLIK_STORE_TRY(st, db_.cached(kSelect));
  st->bind(1, query.id_key);
  st->bind(2, query.name_key);
  st->bind(3, query.exclude_mention);
  st->bind(4, to_ms(query.since));
  st->bind(5, std::max(query.limit, 1));
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    AuthorHistoryItem item;
    item.mention_id = st->int64(0);
    item.source = st->text(1);
    item.external_id = st->text(2);
    item.url = st->text(3);
    item.at = from_ms(st->int64(4));
    item.case_state = st->text(5);
    out.push_back(std::move(item));
  }
  for (auto& item : out) {
    OTKLIK_STORE_TRY(tp, db_.cached("SELECT topic FROM mention_topics WHERE mention_id = ?1 ORDER BY topic"));
    tp->bind(1, item.mention_id);
    for (;;) {
      OTKLIK_STORE_TRY(row, tp->step());
      if (!row) break;
      item.topics.push_back(tp->text(0));
    }
  }
  return out;
}

Result<std::vector<std::int64_t>> SqliteStore::negative_times(const std::string& brand, const std::string& topic,
                                                              TimePoint since) {
  static const std::string kAll = std::string("SELECT ") + kEventTime +
                                  " AS t FROM mentions m WHERE m.brand = ?1 AND m.label = 'negative' AND t >= ?2 "
                                  "ORDER BY t";
  static const std::string kTopic = std::string("SELECT ") + kEventTime +
                                    " AS t FROM mentions m JOIN mention_topics mt ON mt.mention_id = m.id "
                                    "WHERE m.brand = ?1 AND m.label = 'negative' AND mt.topic = ?3 AND t >= ?2 "
                                    "ORDER BY t";
  OTKLIK_STORE_TRY(st, db_.cached(topic.empty() ? kAll : kTopic));
  st->bind(1, brand);
  st->bind(2, to_ms(since));
  if (!topic.empty()) st->bind(3, topic);
  std::vector<std::int64_t> out;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    out.push_back(st->int64(0));
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
