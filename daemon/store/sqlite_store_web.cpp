// SqliteStore: the inbox role (what the web inbox reads) and the labels role (the team's
// relabels). A page is found in two steps: its ids, through the index the filter chooses
// (sqlite_inbox_query.hpp), then their rows by primary key.
#include "daemon/store/packed_text.hpp"
#include "daemon/store/sqlite_inbox_query.hpp"
#include "daemon/store/sqlite_search.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_detail.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <unordered_map>

namespace otklik {
namespace {

using store::from_ms;
using store::to_ms;

constexpr std::array<Label, 3> kLabels{Label::negative, Label::neutral, Label::positive};
constexpr std::array<const char*, 6> kStates{"new", "taken", "answered", "resolved", "dismissed", "none"};

/// Whether fewer than kFewRows rows answer `sql` (?1 = `value`, ?2 = the limit).
Result<bool> few(sqlite::Database& db, const char* sql, const std::string& value) {
  OTKLIK_STORE_TRY(st, db.cached(sql));
  st->bind(1, value);
  st->bind(2, store::kFewRows);
  OTKLIK_STORE_TRY(row, st->step());
  return row && st->int64(0) < store::kFewRows;
}

/// How many rows the filters with an index of their own match (up to kFewRows); each asked once
/// for all the queries of one call.
class SizeProbe {
 public:
  SizeProbe(sqlite::Database& db, std::string match) : db_(db), match_(std::move(match)) {}

  [[nodiscard]] const std::string& match() const noexcept { return match_; }

  Result<store::FilterSizes> sizes(const InboxFilter& f) {
    store::FilterSizes s;
    if (!match_.empty()) {
      if (!matches_) {
        OTKLIK_STORE_TRY(n, few(db_, "SELECT count(*) FROM (SELECT 1 FROM mentions_fts WHERE mentions_fts MATCH ?1 "
                                     "LIMIT ?2)", match_));
        matches_ = n;
      }
      s.few_matches = *matches_;
    }
    if (!f.topic.empty()) {
      auto it = topics_.find(f.topic);
      if (it == topics_.end()) {
        OTKLIK_STORE_TRY(n, few(db_, "SELECT count(*) FROM (SELECT 1 FROM mention_topics WHERE topic = ?1 LIMIT ?2)",
                                f.topic));
        it = topics_.emplace(f.topic, n).first;
      }
      s.few_topic = it->second;
    }
    if (!f.case_state.empty() && f.case_state != "none") {
      auto it = states_.find(f.case_state);
      if (it == states_.end()) {
        OTKLIK_STORE_TRY(n, few(db_, "SELECT count(*) FROM (SELECT 1 FROM cases WHERE state = ?1 LIMIT ?2)",
                                f.case_state));
        it = states_.emplace(f.case_state, n).first;
      }
      s.few_state = it->second;
    }
    return s;
  }

 private:
  sqlite::Database& db_;
  std::string match_;
  std::optional<bool> matches_;
  std::unordered_map<std::string, bool> topics_;
  std::unordered_map<std::string, bool> states_;
};

/// The inbox rows of `ids`, in that order (ids not stored are left out).
Result<std::vector<InboxRow>> rows_of(sqlite::Database& db, const std::vector<std::int64_t>& ids) {
  std::vector<InboxRow> out;
  if (ids.empty()) return out;
  boost::json::array list;
  for (auto id : ids) list.emplace_back(id);
  const std::string json = boost::json::serialize(list);
  std::unordered_map<std::int64_t, InboxRow> found;
  {
    OTKLIK_STORE_TRY(st, db.cached(
                             "SELECT m.id, m.source, m.brand, m.url, m.author, m.title, m.text, m.rating, m.label, "
                             "m.score, m.event_at, COALESCE(c.state, ''), COALESCE(c.severity, ''), "
                             "(SELECT r.label FROM relabels r WHERE r.mention_id = m.id "
                             "ORDER BY r.at DESC, r.id DESC LIMIT 1) "
                             "FROM mentions m LEFT JOIN cases c ON c.mention_id = m.id "
                             "WHERE m.id IN (SELECT value FROM json_each(?1))"));
    st->bind(1, json);
    for (;;) {
      OTKLIK_STORE_TRY(row, st->step());
      if (!row) break;
      InboxRow r;
      r.id = st->int64(0);
      r.source = st->text(1);
      r.brand = st->text(2);
      r.url = st->text(3);
      r.author = st->text(4);
      r.title = st->text(5);
      // A text that does not unpack shows as empty: the page still shows.
      auto text = store::read_text(*st, 6);
      if (text) r.text = std::move(*text);
      r.rating = st->optional_real(7);
      r.label = parse_label(st->text(8)).value_or(Label::neutral);
      r.score = st->real(9);
      r.at = from_ms(st->int64(10));
      r.case_state = st->text(11);
      r.severity = st->text(12);
      if (!st->is_null(13)) r.team_label = parse_label(st->text(13));
      found.emplace(r.id, std::move(r));
    }
  }
  {
    OTKLIK_STORE_TRY(st, db.cached("SELECT mention_id, topic FROM mention_topics "
                                   "WHERE mention_id IN (SELECT value FROM json_each(?1)) ORDER BY mention_id, topic"));
    st->bind(1, json);
    for (;;) {
      OTKLIK_STORE_TRY(row, st->step());
      if (!row) break;
      if (auto it = found.find(st->int64(0)); it != found.end()) it->second.topics.push_back(st->text(1));
    }
  }
  for (auto id : ids) {
    if (auto it = found.find(id); it != found.end()) out.push_back(std::move(it->second));
  }
  return out;
}

/// One bounded count of `f`.
Result<BoundedCount> bounded_count(sqlite::Database& db, SizeProbe& probe, const InboxFilter& f, std::int64_t cap,
                                   std::string value) {
  OTKLIK_STORE_TRY(sizes, probe.sizes(f));
  const auto q = store::inbox_count_sql(f, probe.match(), store::choose_count_drive(f, probe.match(), sizes), cap);
  // Prepared per call, not cached: the shapes vary with the filters and the cache never evicts.
  OTKLIK_STORE_TRY(st, db.prepare(q.sql));
  store::bind_all(st, q.params);
  OTKLIK_STORE_TRY(row, st.step());
  const std::int64_t n = row ? st.int64(0) : 0;
  return BoundedCount{std::move(value), std::min(n, cap), n > cap};
}

}  // namespace

Result<InboxPage> SqliteStore::inbox(const InboxQuery& query) {
  const int limit = std::clamp(query.limit, 1, 200);
  OTKLIK_STORE_TRY(match, store::fts_match(db_, query.filter.text));
  SizeProbe probe(db_, std::move(match));
  OTKLIK_STORE_TRY(sizes, probe.sizes(query.filter));
  const auto drive = store::choose_drive(query.filter, probe.match(), sizes);
  // One row more than the page: whether there is a next page.
  const auto q = store::inbox_ids_sql(query.filter, probe.match(), drive, query.after, limit + 1);
  // Prepared per call, not cached: the shapes vary with the filters and the cache never evicts.
  OTKLIK_STORE_TRY(st, db_.prepare(q.sql));
  store::bind_all(st, q.params);
  std::vector<std::int64_t> ids;
  for (;;) {
    OTKLIK_STORE_TRY(row, st.step());
    if (!row) break;
    ids.push_back(st.int64(0));
  }
  const bool more = static_cast<int>(ids.size()) > limit;
  if (more) ids.resize(static_cast<std::size_t>(limit));
  InboxPage page;
  OTKLIK_STORE_TRY(rows, rows_of(db_, ids));
  page.rows = std::move(rows);
  if (more && !page.rows.empty()) page.next = InboxCursor{page.rows.back().at, page.rows.back().id};
  return page;
}

Result<InboxCounts> SqliteStore::inbox_counts(const InboxFilter& filter, std::int64_t cap) {
  cap = std::max<std::int64_t>(cap, 0);
  OTKLIK_STORE_TRY(match, store::fts_match(db_, filter.text));
  SizeProbe probe(db_, std::move(match));
  InboxCounts out;
  OTKLIK_STORE_TRY(total, bounded_count(db_, probe, filter, cap, ""));
  out.total = std::move(total);
  for (Label l : kLabels) {
    InboxFilter f = filter;
    f.label = l;
    OTKLIK_STORE_TRY(c, bounded_count(db_, probe, f, cap, std::string(to_string(l))));
    out.labels.push_back(std::move(c));
  }
  for (const char* s : kStates) {
    InboxFilter f = filter;
    f.case_state = s;
    OTKLIK_STORE_TRY(c, bounded_count(db_, probe, f, cap, s));
    out.states.push_back(std::move(c));
  }
  return out;
}

Result<std::optional<InboxRow>> SqliteStore::inbox_row(std::int64_t mention_id) {
  OTKLIK_STORE_TRY(rows, rows_of(db_, {mention_id}));
  if (rows.empty()) return std::optional<InboxRow>{};
  return std::optional<InboxRow>(std::move(rows.front()));
}

Result<std::vector<CaseEvent>> SqliteStore::case_events(std::int64_t mention_id) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT action, actor_platform, actor_id, actor_name, note, changed, at "
                                  "FROM case_events WHERE mention_id = ?1 ORDER BY at, id"));
  st->bind(1, mention_id);
  std::vector<CaseEvent> out;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    out.push_back(CaseEvent{st->text(0), Actor{st->text(1), st->text(2), st->text(3)}, st->text(4),
                            st->int64(5) != 0, from_ms(st->int64(6))});
  }
  return out;
}

Result<std::vector<HourCount>> SqliteStore::negatives_by_hour(ReportRange range) {
  // The minutes that start in the range (event times are counted at their minute).
  const auto first_minute = [](std::int64_t ms) { return ms >= 0 ? (ms + 59999) / 60000 : ms / 60000; };
  // INDEXED BY: the primary key (brand, topic, minute) would give the groups without a sort, but
  // it is the whole history; the minute index reads the range.
  OTKLIK_STORE_TRY(st, db_.cached("SELECT brand, topic, minute / 60, SUM(n) FROM negative_counts "
                                  "INDEXED BY negative_counts_minute "
                                  "WHERE minute >= ?1 AND minute < ?2 GROUP BY brand, topic, minute / 60 "
                                  "HAVING SUM(n) > 0 ORDER BY brand, topic, minute / 60"));
  st->bind(1, first_minute(to_ms(range.begin)));
  st->bind(2, first_minute(to_ms(range.end)));
  std::vector<HourCount> out;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    out.push_back(HourCount{st->text(0), st->text(1), from_ms(st->int64(2) * 3'600'000), st->int64(3)});
  }
  return out;
}

Result<std::vector<InboxRow>> SqliteStore::opened_since(const InboxCursor& after, int limit) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT mention_id FROM cases WHERE created_at >= ?1 "
                                  "AND (created_at > ?1 OR mention_id > ?2) ORDER BY created_at, mention_id LIMIT ?3"));
  st->bind(1, to_ms(after.at));
  st->bind(2, after.id);
  st->bind(3, std::max(limit, 0));
  std::vector<std::int64_t> ids;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    ids.push_back(st->int64(0));
  }
  return rows_of(db_, ids);
}

// --- labels -------------------------------------------------------------------------------

Result<void> SqliteStore::relabel(const Relabel& r) {
  OTKLIK_STORE_TRY(tx, sqlite::Transaction::begin(db_));
  {
    OTKLIK_STORE_TRY(st, db_.cached("SELECT 1 FROM mentions WHERE id = ?1"));
    st->bind(1, r.mention_id);
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) return Failure(errc::not_found, "mention " + std::to_string(r.mention_id) + " is not stored");
  }
  OTKLIK_STORE_TRY(st, db_.cached("INSERT INTO relabels (mention_id, label, by_platform, by_id, by_name, at) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  st->bind(1, r.mention_id);
  st->bind(2, to_string(r.label));
  st->bind(3, r.by.platform);
  st->bind(4, r.by.id);
  st->bind(5, r.by.name);
  st->bind(6, to_ms(r.at));
  OTKLIK_STORE_CHECK(st->run());
  return tx.commit();
}

Result<std::vector<Relabel>> SqliteStore::relabels(std::int64_t mention_id) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT label, by_platform, by_id, by_name, at FROM relabels "
                                  "WHERE mention_id = ?1 ORDER BY at DESC, id DESC"));
  st->bind(1, mention_id);
  std::vector<Relabel> out;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    out.push_back(Relabel{mention_id, parse_label(st->text(0)).value_or(Label::neutral),
                          Actor{st->text(1), st->text(2), st->text(3)}, from_ms(st->int64(4))});
  }
  return out;
}

}  // namespace otklik
