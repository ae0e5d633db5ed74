// PgStore: the reports role — what the weekly digest reads, through the event-time index. The
// same rows as sqlite_store_reports.cpp; groups come in byte order of their name (COLLATE "C"),
// the order SQLite's GROUP BY gives them.
#include "daemon/store/packed_text.hpp"
#include "daemon/store/pg/case_row.hpp"
#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/pg/row.hpp"
#include "daemon/store/pg/text_array.hpp"
#include "daemon/store/sqlite_case_row.hpp"
#include "daemon/store/store_detail.hpp"

#include <fmt/format.h>

namespace otklik::store {
namespace {

using pg::Row;

/// SQL condition on `column`: true for every row when `param` (a text[] parameter such as "$3")
/// is empty.
std::string in_list(std::string_view column, std::string_view param) {
  return fmt::format("(cardinality({0}::text[]) = 0 OR {1} = ANY({0}::text[]))", param, column);
}

/// A marked text column as text; one that does not unpack shows as empty (a report still goes out).
std::string text_of(Row& row, int column) {
  auto t = from_marked(row.bytes(column));
  return t ? std::move(*t) : std::string();
}

Result<std::vector<ReportMention>> read_mentions(const pg::QueryResult& r) {
  std::vector<ReportMention> out;
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    ReportMention m;
    m.mention_id = row.int64(0);
    m.brand = row.text(1);
    m.source = row.text(2);
    m.url = row.text(3);
    m.author = row.text(4);
    m.author_id = row.text(5);
    m.title = row.text(6);
    m.text = text_of(row, 7);
    m.score = row.real(8);
    m.rating = row.optional_real(9);
    m.at = from_ms(row.int64(10));
    m.case_state = row.text(11);
    OTKLIK_STORE_CHECK(row.status());
    out.push_back(std::move(m));
  }
  return out;
}

constexpr const char* kMentionSelect =
    "SELECT m.id, m.brand, m.source, m.url, m.author, m.author_id, m.title, m.text, m.score, m.rating, m.event_at, "
    "COALESCE((SELECT c.state FROM cases c WHERE c.mention_id = m.id), '') FROM mentions m ";

}  // namespace

Result<std::vector<CountRow>> PgStore::count_rows(bool by_source, ReportRange week, ReportRange prev,
                                                  const std::vector<std::string>& brands) {
  const std::string sql = fmt::format(
      "SELECT {0}, COUNT(*) FILTER (WHERE event_at >= $1), "
      "COUNT(*) FILTER (WHERE event_at >= $1 AND label = 'negative'), "
      "COUNT(*) FILTER (WHERE event_at < $1), COUNT(*) FILTER (WHERE event_at < $1 AND label = 'negative') "
      "FROM mentions WHERE event_at >= $3 AND event_at < $2 AND {1} GROUP BY {0} ORDER BY {0} COLLATE \"C\"",
      by_source ? "source" : "brand", in_list("brand", "$4"));
  OTKLIK_STORE_TRY(r, conn_.query(sql, {to_ms(week.begin), to_ms(week.end), to_ms(prev.begin), pg::text_array(brands)}));
  std::vector<CountRow> rows;
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    CountRow c{row.text(0), row.int64(1), row.int64(3), row.int64(2), row.int64(4)};
    OTKLIK_STORE_CHECK(row.status());
    rows.push_back(std::move(c));
  }
  return rows;
}

Result<std::vector<TopicCount>> PgStore::topic_counts(ReportRange week, ReportRange prev,
                                                      const std::vector<std::string>& brands) {
  const std::string sql = fmt::format(
      "SELECT mt.topic, COUNT(*) FILTER (WHERE m.event_at >= $1), COUNT(*) FILTER (WHERE m.event_at < $1) "
      "FROM mentions m JOIN mention_topics mt ON mt.mention_id = m.id "
      "WHERE m.event_at >= $3 AND m.event_at < $2 AND m.label = 'negative' AND {0} "
      "GROUP BY mt.topic ORDER BY mt.topic COLLATE \"C\"",
      in_list("m.brand", "$4"));
  OTKLIK_STORE_TRY(r, conn_.query(sql, {to_ms(week.begin), to_ms(week.end), to_ms(prev.begin), pg::text_array(brands)}));
  std::vector<TopicCount> rows;
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    TopicCount t{row.text(0), "", row.int64(1), row.int64(2)};
    OTKLIK_STORE_CHECK(row.status());
    rows.push_back(std::move(t));
  }
  return rows;
}

Result<std::vector<RatingAverage>> PgStore::rating_averages(ReportRange range, const std::vector<std::string>& brands) {
  const std::string sql = fmt::format(
      "SELECT brand, AVG(rating), COUNT(rating) FROM mentions "
      "WHERE event_at >= $1 AND event_at < $2 AND rating IS NOT NULL AND {0} GROUP BY brand "
      "ORDER BY brand COLLATE \"C\"",
      in_list("brand", "$3"));
  OTKLIK_STORE_TRY(r, conn_.query(sql, {to_ms(range.begin), to_ms(range.end), pg::text_array(brands)}));
  std::vector<RatingAverage> rows;
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    RatingAverage a{row.text(0), row.real(1), row.int64(2)};
    OTKLIK_STORE_CHECK(row.status());
    rows.push_back(std::move(a));
  }
  return rows;
}

Result<std::vector<ReportCase>> PgStore::report_cases(ReportRange range, const std::vector<std::string>& brands) {
  // The cases opened in the range and the ones still new or taken, each through its own index;
  // UNION drops a case found by both.
  const std::string cols = case_columns("c.");
  const std::string sql = fmt::format(
      "SELECT * FROM (SELECT {0}, m.brand, m.source, m.url, m.title, m.text FROM cases c "
      "JOIN mentions m ON m.id = c.mention_id WHERE c.created_at >= $1 AND c.created_at < $2 AND {1} "
      "UNION SELECT {0}, m.brand, m.source, m.url, m.title, m.text FROM cases c "
      "JOIN mentions m ON m.id = c.mention_id WHERE c.state IN ('new', 'taken') AND {1}) AS found "
      "ORDER BY created_at, mention_id",
      cols, in_list("m.brand", "$3"));
  OTKLIK_STORE_TRY(r, conn_.query(sql, {to_ms(range.begin), to_ms(range.end), pg::text_array(brands)}));
  std::vector<ReportCase> rows;
  constexpr int k = kCaseColumnCount;
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    OTKLIK_STORE_TRY(record, pg::read_case_row(row));
    ReportCase c{std::move(record), row.text(k), row.text(k + 1), row.text(k + 2), row.text(k + 3),
                 text_of(row, k + 4)};
    OTKLIK_STORE_CHECK(row.status());
    rows.push_back(std::move(c));
  }
  return rows;
}

Result<std::vector<ReportMention>> PgStore::top_negative(ReportRange range, const std::vector<std::string>& brands,
                                                         int limit) {
  const std::string sql = std::string(kMentionSelect) +
                          fmt::format("WHERE m.event_at >= $1 AND m.event_at < $2 AND m.label = 'negative' AND {0} "
                                      "ORDER BY m.score ASC, m.event_at DESC, m.id ASC LIMIT $3",
                                      in_list("m.brand", "$4"));
  OTKLIK_STORE_TRY(r, conn_.query(sql, {to_ms(range.begin), to_ms(range.end), std::max(0, limit),
                                        pg::text_array(brands)}));
  return read_mentions(r);
}

Result<std::vector<ReportMention>> PgStore::authored_negatives(ReportRange range,
                                                               const std::vector<std::string>& brands) {
  const std::string sql =
      std::string(kMentionSelect) +
      fmt::format("WHERE m.event_at >= $1 AND m.event_at < $2 AND m.label = 'negative' AND {0} "
                  "AND (m.author != '' OR m.author_id != '') ORDER BY m.event_at, m.id",
                  in_list("m.brand", "$3"));
  OTKLIK_STORE_TRY(r, conn_.query(sql, {to_ms(range.begin), to_ms(range.end), pg::text_array(brands)}));
  return read_mentions(r);
}

Result<std::vector<BrokenSource>> PgStore::broken_sources(TimePoint since, const std::vector<std::string>& sources) {
  OTKLIK_STORE_TRY(r, conn_.query("SELECT source, consecutive_failures, last_success_at, last_error, broken_reason "
                                  "FROM sources_state WHERE (consecutive_failures > 0 OR last_success_at IS NULL "
                                  "OR last_success_at < $1 OR broken_since IS NOT NULL) AND " +
                                      in_list("source", "$2") +
                                      " ORDER BY consecutive_failures DESC, source COLLATE \"C\" ASC",
                                  {to_ms(since), pg::text_array(sources)}));
  std::vector<BrokenSource> rows;
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    BrokenSource b;
    b.source = row.text(0);
    b.consecutive_failures = row.int64(1);
    b.last_success = from_ms(row.optional_int64(2));
    b.last_error = row.text(3);
    // A source that polls fine but finds nothing (or serves a captcha) says so (source health).
    if (b.last_error.empty()) b.last_error = row.text(4);
    OTKLIK_STORE_CHECK(row.status());
    rows.push_back(std::move(b));
  }
  return rows;
}

}  // namespace otklik::store
