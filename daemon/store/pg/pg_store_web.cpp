// PgStore: the inbox role (what the web inbox reads) and the labels role (the team's relabels).
// The same rows as sqlite_store_web.cpp; a page's SQL is built by pg/inbox_query.hpp, its search
// words by pg/search_words.hpp.
#include "daemon/store/packed_text.hpp"
#include "daemon/store/pg/inbox_query.hpp"
#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/pg/row.hpp"
#include "daemon/store/pg/search_words.hpp"
#include "daemon/store/pg/transaction.hpp"
#include "daemon/store/store_detail.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>

namespace otklik::store {
namespace {

using pg::Row;

constexpr std::array<Label, 3> kLabels{Label::negative, Label::neutral, Label::positive};
constexpr std::array<const char*, 6> kStates{"new", "taken", "answered", "resolved", "dismissed", "none"};

// Planner settings for one statement (set_config(…, true): until its transaction ends). PostgreSQL
// plans by estimated cost, and some of the inbox's estimates are far off by nature: a prefix query
// is estimated at a fixed share of the history whatever its words, two words at the product of
// their shares, and under a LIMIT a scan "soon meets" what is rare. Where the store knows better
// (it counted the matches), it says so:
/// Counting a search's matches: through the GIN index alone (bitmap scans only).
constexpr const char* kGinOnly =
    "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)";
/// Few rows to start from (a search's matches, a rare case state's cases): each looked up by key
/// (no sequential scans, no hash or merge joins reading a whole table to join them).
constexpr const char* kByKey =
    "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true), "
    "set_config('enable_mergejoin', 'off', true)";
/// A page of a search with many matches: walk an ordered index (no sequential or bitmap scans
/// reading every match to sort them).
constexpr const char* kWalk =
    "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)";

/// The rows of an inbox_rows_sql() query, without their topics.
Result<std::vector<InboxRow>> read_inbox_rows(const pg::QueryResult& r) {
  std::vector<InboxRow> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    InboxRow x;
    x.id = row.int64(0);
    x.source = row.text(1);
    x.brand = row.text(2);
    x.url = row.text(3);
    x.author = row.text(4);
    x.title = row.text(5);
    const std::string text_bytes = row.bytes(6);
    x.rating = row.optional_real(7);
    x.label = parse_label(row.text(8)).value_or(Label::neutral);
    x.score = row.real(9);
    x.at = from_ms(row.int64(10));
    x.case_state = row.text(11);
    x.severity = row.text(12);
    if (!row.null(13)) x.team_label = parse_label(row.text(13));
    OTKLIK_STORE_CHECK(row.status());
    // A text that does not unpack shows as empty: the page still shows.
    if (auto text = from_marked(text_bytes)) x.text = std::move(*text);
    out.push_back(std::move(x));
  }
  return out;
}

/// Fills the topics of `rows` (one query for all of them).
Result<void> add_topics(pg::Connection& conn, std::vector<InboxRow>& rows) {
  if (rows.empty()) return {};
  std::string ids = "{";
  std::unordered_map<std::int64_t, InboxRow*> by_id;
  for (auto& row : rows) {
    if (ids.size() > 1) ids += ',';
    ids += std::to_string(row.id);
    by_id.emplace(row.id, &row);
  }
  ids += '}';
  OTKLIK_STORE_TRY(r, conn.query("SELECT mention_id, topic FROM mention_topics WHERE mention_id = ANY($1::bigint[]) "
                                 "ORDER BY mention_id, topic COLLATE \"C\"",
                                 {ids}));
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    const std::int64_t id = row.int64(0);
    std::string topic = row.text(1);
    OTKLIK_STORE_CHECK(row.status());
    if (auto it = by_id.find(id); it != by_id.end()) it->second->topics.push_back(std::move(topic));
  }
  return {};
}

Result<std::vector<InboxRow>> inbox_rows(pg::Connection& conn, const std::string& sql,
                                         std::span<const pg::Param> params) {
  OTKLIK_STORE_TRY(r, conn.query(sql, params));
  OTKLIK_STORE_TRY(rows, read_inbox_rows(r));
  OTKLIK_STORE_CHECK(add_topics(conn, rows));
  return rows;
}

/// Runs `fn` under `settings` (one of the above) in a transaction of its own; without settings
/// (nullptr), as it is.
template <class F>
auto with_settings(pg::Connection& conn, const char* settings, F&& fn) -> decltype(fn()) {
  if (settings == nullptr) return fn();
  OTKLIK_STORE_TRY(tx, pg::Transaction::begin(conn));
  OTKLIK_STORE_TRY(set, conn.query(settings));
  (void)set;
  auto out = fn();
  if (!out) return out;
  OTKLIK_STORE_CHECK(tx.commit());
  return out;
}

/// Whether fewer than `many` rows answer `sql` ($1 = value, $2 = the limit), read under `settings`.
Result<bool> fewer_than(pg::Connection& conn, const char* settings, const char* sql, const std::string& value,
                        std::int64_t many) {
  return with_settings(conn, settings, [&]() -> Result<bool> {
    OTKLIK_STORE_TRY(r, conn.query(sql, {value, many}));
    OTKLIK_STORE_TRY(n, r.int64(0, 0));
    return n < many;
  });
}

/// How a search is read: through the GIN index when it matches fewer than kManyMatches rows.
Result<pg::SearchDrive> search_drive(pg::Connection& conn, const std::string& tsquery) {
  if (tsquery.empty()) return pg::SearchDrive::walk;
  OTKLIK_STORE_TRY(few, fewer_than(conn, kGinOnly, pg::kSearchMatchesSql, tsquery, pg::kManyMatches));
  return few ? pg::SearchDrive::index : pg::SearchDrive::walk;
}

Result<BoundedCount> bounded_count(pg::Connection& conn, const InboxFilter& f, const std::string& tsquery,
                                   pg::SearchDrive drive, std::int64_t cap, std::string value) {
  const pg::Sql q = pg::inbox_count_sql(f, tsquery, drive, cap);
  OTKLIK_STORE_TRY(r, conn.query(q.text, q.params));
  OTKLIK_STORE_TRY(n, r.int64(0, 0));
  return BoundedCount{std::move(value), std::min(n, cap), n > cap};
}

}  // namespace

Result<InboxPage> PgStore::inbox(const InboxQuery& query) {
  const int limit = std::clamp(query.limit, 1, 200);
  const std::string tsquery = pg::prefix_query(pg::search_words(query.filter.text));
  OTKLIK_STORE_TRY(drive, search_drive(conn_, tsquery));
  // One row more than the page: whether there is a next page.
  const pg::Sql q = pg::inbox_page_sql(query.filter, tsquery, drive, query.after, limit + 1);
  const char* settings = tsquery.empty() ? nullptr : drive == pg::SearchDrive::index ? kByKey : kWalk;
  OTKLIK_STORE_TRY(rows, with_settings(conn_, settings, [&] { return inbox_rows(conn_, q.text, q.params); }));
  InboxPage page;
  const bool more = static_cast<int>(rows.size()) > limit;
  if (more) rows.resize(static_cast<std::size_t>(limit));
  page.rows = std::move(rows);
  if (more) page.next = InboxCursor{page.rows.back().at, page.rows.back().id};
  return page;
}

Result<InboxCounts> PgStore::inbox_counts(const InboxFilter& filter, std::int64_t cap) {
  cap = std::max<std::int64_t>(cap, 0);
  const std::string tsquery = pg::prefix_query(pg::search_words(filter.text));
  OTKLIK_STORE_TRY(drive, search_drive(conn_, tsquery));
  const bool few_matches = !tsquery.empty() && drive == pg::SearchDrive::index;
  // Per case state: whether few cases are in it (then a count starts from them, by key).
  std::unordered_map<std::string, bool> few_cases;
  const auto count = [&](const InboxFilter& f, std::string value) -> Result<BoundedCount> {
    bool by_key = few_matches;
    if (!by_key && !f.case_state.empty() && f.case_state != "none") {
      auto it = few_cases.find(f.case_state);
      if (it == few_cases.end()) {
        OTKLIK_STORE_TRY(few, fewer_than(conn_, nullptr, pg::kStateCasesSql, f.case_state, pg::kManyMatches));
        it = few_cases.emplace(f.case_state, few).first;
      }
      by_key = it->second;
    }
    return with_settings(conn_, by_key ? kByKey : nullptr,
                         [&] { return bounded_count(conn_, f, tsquery, drive, cap, std::move(value)); });
  };
  InboxCounts out;
  OTKLIK_STORE_TRY(total, count(filter, ""));
  out.total = std::move(total);
  for (Label l : kLabels) {
    InboxFilter f = filter;
    f.label = l;
    OTKLIK_STORE_TRY(c, count(f, std::string(to_string(l))));
    out.labels.push_back(std::move(c));
  }
  for (const char* s : kStates) {
    InboxFilter f = filter;
    f.case_state = s;
    OTKLIK_STORE_TRY(c, count(f, s));
    out.states.push_back(std::move(c));
  }
  return out;
}

Result<std::optional<InboxRow>> PgStore::inbox_row(std::int64_t mention_id) {
  static const std::string kSelect =
      pg::inbox_rows_sql(std::string("SELECT ") + pg::kInnerColumns + " FROM mentions m WHERE m.id = $1", "p.id");
  const pg::Param params[] = {mention_id};
  OTKLIK_STORE_TRY(rows, inbox_rows(conn_, kSelect, params));
  if (rows.empty()) return std::optional<InboxRow>{};
  return std::optional<InboxRow>(std::move(rows.front()));
}

Result<std::vector<InboxRow>> PgStore::opened_since(const InboxCursor& after, int limit) {
  // Through cases_created (created_at, mention_id): a range of it, in its order.
  static const std::string kSelect = pg::inbox_rows_sql(
      std::string("SELECT ") + pg::kInnerColumns + ", o.created_at AS opened_at FROM cases o "
                                                   "JOIN mentions m ON m.id = o.mention_id "
                                                   "WHERE (o.created_at, o.mention_id) > ($1, $2) "
                                                   "ORDER BY o.created_at, o.mention_id LIMIT $3",
      "p.opened_at, p.id");
  const pg::Param params[] = {to_ms(after.at), after.id, std::max(limit, 0)};
  return inbox_rows(conn_, kSelect, params);
}

Result<std::vector<CaseEvent>> PgStore::case_events(std::int64_t mention_id) {
  OTKLIK_STORE_TRY(r, conn_.query("SELECT action, actor_platform, actor_id, actor_name, note, changed, at "
                                  "FROM case_events WHERE mention_id = $1 ORDER BY at, id",
                                  {mention_id}));
  std::vector<CaseEvent> out;
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    CaseEvent e{row.text(0), Actor{row.text(1), row.text(2), row.text(3)}, row.text(4), row.int64(5) != 0,
                from_ms(row.int64(6))};
    OTKLIK_STORE_CHECK(row.status());
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<HourCount>> PgStore::negatives_by_hour(ReportRange range) {
  // The minutes that start in the range (event times are counted at their minute), through
  // negative_counts_minute: the range, not the history.
  const auto first_minute = [](std::int64_t ms) { return ms >= 0 ? (ms + 59999) / 60000 : ms / 60000; };
  OTKLIK_STORE_TRY(r, conn_.query("SELECT brand, topic, minute / 60 AS hour, SUM(n)::BIGINT FROM negative_counts "
                                  "WHERE minute >= $1 AND minute < $2 GROUP BY brand, topic, minute / 60 "
                                  "HAVING SUM(n) > 0 ORDER BY brand COLLATE \"C\", topic COLLATE \"C\", hour",
                                  {first_minute(to_ms(range.begin)), first_minute(to_ms(range.end))}));
  std::vector<HourCount> out;
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    HourCount h{row.text(0), row.text(1), from_ms(row.int64(2) * 3'600'000), row.int64(3)};
    OTKLIK_STORE_CHECK(row.status());
    out.push_back(std::move(h));
  }
  return out;
}

// --- labels -------------------------------------------------------------------------------

Result<void> PgStore::relabel(const Relabel& r) {
  // One statement: the mention's existence and the insert cannot be told apart by a concurrent
  // writer (mentions are never deleted, and the foreign key holds anyway).
  OTKLIK_STORE_TRY(q, conn_.query("INSERT INTO relabels (mention_id, label, by_platform, by_id, by_name, at) "
                                  "SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM mentions WHERE id = $1)",
                                  {r.mention_id, std::string(to_string(r.label)), r.by.platform, r.by.id, r.by.name,
                                   to_ms(r.at)}));
  if (q.affected() == 0) return Failure(errc::not_found, "mention " + std::to_string(r.mention_id) + " is not stored");
  return {};
}

Result<std::vector<Relabel>> PgStore::relabels(std::int64_t mention_id) {
  OTKLIK_STORE_TRY(r, conn_.query("SELECT label, by_platform, by_id, by_name, at FROM relabels "
                                  "WHERE mention_id = $1 ORDER BY at DESC, id DESC",
                                  {mention_id}));
  std::vector<Relabel> out;
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    Relabel x{mention_id, parse_label(row.text(0)).value_or(Label::neutral),
              Actor{row.text(1), row.text(2), row.text(3)}, from_ms(row.int64(4))};
    OTKLIK_STORE_CHECK(row.status());
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace otklik::store
