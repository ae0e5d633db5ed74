// SqliteStore: the reports role — what the weekly digest reads. Every range goes through the
// event-time index (mentions_event), so a report reads the weeks it shows, not the history.
#include "daemon/store/packed_text.hpp"
#include "daemon/store/sqlite_case_row.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_detail.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace otklik {
namespace {

using store::from_ms;
using store::to_ms;

/// A JSON array of `names` for `IN (SELECT value FROM json_each(?))`.
std::string json_array(const std::vector<std::string>& names) {
  boost::json::array a;
  for (const auto& n : names) a.emplace_back(n);
  return boost::json::serialize(a);
}

/// SQL condition on `column`: true for every row when `param` (a JSON array parameter such as
/// "?3") is the empty array "[]".
std::string in_list(std::string_view column, std::string_view param) {
  return fmt::format("({0} = '[]' OR {1} IN (SELECT value FROM json_each({0})))", param, column);
}

/// A packed text column as text; one that does not unpack shows as empty (a report still goes out).
std::string text_of(const sqlite::Statement& st, int column) {
  auto t = store::read_text(st, column);
  return t ? std::move(*t) : std::string();
}

ReportMention read_mention(const sqlite::Statement& st) {
  ReportMention m;
  m.mention_id = st.int64(0);
  m.brand = st.text(1);
  m.source = st.text(2);
  m.url = st.text(3);
  m.author = st.text(4);
  m.author_id = st.text(5);
  m.title = st.text(6);
  m.text = text_of(st, 7);
  m.score = st.real(8);
  m.rating = st.optional_real(9);
  m.at = from_ms(st.int64(10));
  m.case_state = st.text(11);
  return m;
}

constexpr const char* kMentionSelect =
    "SELECT m.id, m.brand, m.source, m.url, m.author, m.author_id, m.title, m.text, m.score, m.rating, m.event_at, "
    "COALESCE((SELECT c.state FROM cases c WHERE c.mention_id = m.id), '') FROM mentions m ";

}  // namespace

Result<std::vector<CountRow>> SqliteStore::count_rows(bool by_source, ReportRange week, ReportRange prev,
                                                      const std::vector<std::string>& brands) {
  const std::string sql = fmt::format(
      "SELECT {0}, SUM(event_at >= ?1), SUM(event_at >= ?1 AND label = 'negative'), "
      "SUM(event_at < ?1), SUM(event_at < ?1 AND label = 'negative') "
      "FROM mentions WHERE event_at >= ?3 AND event_at < ?2 AND {1} GROUP BY {0}",
      by_source ? "source" : "brand", in_list("brand", "?4"));
  OTKLIK_STORE_TRY(st, db_.cached(sql));
  st->bind(1, to_ms(week.begin));
  st->bind(2, to_ms(week.end));
  st->bind(3, to_ms(prev.begin));
  st->bind(4, json_array(brands));
  std::vector<CountRow> rows;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    rows.push_back(CountRow{st->text(0), st->int64(1), st->int64(3), st->int64(2), st->int64(4)});
  }
  return rows;
}

Result<std::vector<TopicCount>> SqliteStore::topic_counts(ReportRange week, ReportRange prev,
                                                          const std::vector<std::string>& brands) {
  const std::string sql = fmt::format(
      "SELECT mt.topic, SUM(m.event_at >= ?1), SUM(m.event_at < ?1) FROM mentions m "
      "JOIN mention_topics mt ON mt.mention_id = m.id "
      "WHERE m.event_at >= ?3 AND m.event_at < ?2 AND m.label = 'negative' AND {0} GROUP BY mt.topic",
      in_list("m.brand", "?4"));
  OTKLIK_STORE_TRY(st, db_.cached(sql));
  st->bind(1, to_ms(week.begin));
  st->bind(2, to_ms(week.end));
  st->bind(3, to_ms(prev.begin));
  st->bind(4, json_array(brands));
  std::vector<TopicCount> rows;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    rows.push_back(TopicCount{st->text(0), "", st->int64(1), st->int64(2)});
  }
  return rows;
}

Result<std::vector<RatingAverage>> SqliteStore::rating_averages(ReportRange range,
                                                                const std::vector<std::string>& brands) {
  const std::string sql = fmt::format(
      "SELECT brand, AVG(rating), COUNT(rating) FROM mentions "
      "WHERE event_at >= ?1 AND event_at < ?2 AND rating IS NOT NULL AND {0} GROUP BY brand",
      in_list("brand", "?3"));
  OTKLIK_STORE_TRY(st, db_.cached(sql));
  st->bind(1, to_ms(range.begin));
  st->bind(2, to_ms(range.end));
  st->bind(3, json_array(brands));
  std::vector<RatingAverage> rows;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    rows.push_back(RatingAverage{st->text(0), st->real(1), st->int64(2)});
  }
  return rows;
}

Result<std::vector<ReportCase>> SqliteStore::report_cases(ReportRange range, const std::vector<std::string>& brands) {
  // The cases opened in the range (created index) and the ones still new or taken (state index),
  // each through its own index; UNION drops a case found by both.
  const std::string cols = store::case_columns("c.");
  const std::string sql = fmt::format(
      "SELECT * FROM (SELECT {0}, m.brand, m.source, m.url, m.title, m.text FROM cases c "
      "JOIN mentions m ON m.id = c.mention_id WHERE c.created_at >= ?1 AND c.created_at < ?2 AND {1} "
      "UNION SELECT {0}, m.brand, m.source, m.url, m.title, m.text FROM cases c "
      "JOIN mentions m ON m.id = c.mention_id WHERE c.state IN ('new', 'taken') AND {1}) "
      "ORDER BY created_at, mention_id",
      cols, in_list("m.brand", "?3"));
  OTKLIK_STORE_TRY(st, db_.cached(sql));
  st->bind(1, to_ms(range.begin));
  st->bind(2, to_ms(range.end));
  st->bind(3, json_array(brands));
  std::vector<ReportCase> rows;
  constexpr int k = store::kCaseColumnCount;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    OTKLIK_STORE_TRY(record, store::read_case_row(*st));
    rows.push_back(ReportCase{std::move(record), st->text(k), st->text(k + 1), st->text(k + 2), st->text(k + 3),
                              text_of(*st, k + 4)});
  }
  return rows;
}

Result<std::vector<ReportMention>> SqliteStore::top_negative(ReportRange range, const std::vector<std::string>& brands,
                                                             int limit) {
  const std::string sql = std::string(kMentionSelect) +
                          fmt::format("WHERE m.event_at >= ?1 AND m.event_at < ?2 AND m.label = 'negative' AND {0} "
                                      "ORDER BY m.score ASC, m.event_at DESC, m.id ASC LIMIT ?3",
                                      in_list("m.brand", "?4"));
  OTKLIK_STORE_TRY(st, db_.cached(sql));
  st->bind(1, to_ms(range.begin));
  st->bind(2, to_ms(range.end));
  st->bind(3, std::max(0, limit));
  st->bind(4, json_array(brands));
  std::vector<ReportMention> rows;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    rows.push_back(read_mention(*st));
  }
  return rows;
}

Result<std::vector<ReportMention>> SqliteStore::authored_negatives(ReportRange range,
                                                                   const std::vector<std::string>& brands) {
  const std::string sql =
      std::string(kMentionSelect) +
      fmt::format("WHERE m.event_at >= ?1 AND m.event_at < ?2 AND m.label = 'negative' AND {0} "
                  "AND (m.author != '' OR m.author_id != '') ORDER BY m.event_at, m.id",
                  in_list("m.brand", "?3"));
  OTKLIK_STORE_TRY(st, db_.cached(sql));
  st->bind(1, to_ms(range.begin));
  st->bind(2, to_ms(range.end));
  st->bind(3, json_array(brands));
  std::vector<ReportMention> rows;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    rows.push_back(read_mention(*st));
  }
  return rows;
}

Result<std::vector<BrokenSource>> SqliteStore::broken_sources(TimePoint since, const std::vector<std::string>& sources) {
  OTKLIK_STORE_TRY(st, db_.cached(
                           "SELECT source, consecutive_failures, last_success_at, last_error, broken_reason "
                           "FROM sources_state WHERE (consecutive_failures > 0 OR last_success_at IS NULL "
                           "OR last_success_at < ?1 OR broken_since IS NOT NULL) "
                           "AND (?2 = '[]' OR source IN (SELECT value FROM json_each(?2))) "
                           "ORDER BY consecutive_failures DESC, source ASC"));
  st->bind(1, to_ms(since));
  st->bind(2, json_array(sources));
  std::vector<BrokenSource> rows;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    BrokenSource b;
    b.source = st->text(0);
    b.consecutive_failures = st->int64(1);
    b.last_success = from_ms(st->optional_int64(2));
    b.last_error = st->text(3);
    // A source that polls fine but finds nothing (or serves a captcha) says so (source health).
    if (b.last_error.empty()) b.last_error = st->text(4);
    rows.push_back(std::move(b));
  }
  return rows;
}

}  // namespace otklik
