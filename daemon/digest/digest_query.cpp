#include "daemon/core/utf8.hpp"
#include "daemon/digest/digest_data.hpp"
#include "daemon/digest/query_detail.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace otklik::digest {
namespace detail {

std::string json_array(const std::vector<std::string>& names) {
  boost::json::array a;
  for (const auto& n : names) a.emplace_back(n);
  return boost::json::serialize(a);
}

std::string brand_condition(std::string_view p) {
  return fmt::format("({0} = '[]' OR brand IN (SELECT value FROM json_each({0})))", p);
}

std::string excerpt(std::string_view title, std::string_view text, std::size_t max_chars) {
  std::string joined(title);
  if (!title.empty() && !text.empty()) joined += " — ";
  joined += text;
  std::string out;
  std::size_t chars = 0, last_space = std::string::npos;
  bool space = false, cut = false;
  for (std::size_t i = 0; i < joined.size();) {
    const std::size_t start = i;
    const char32_t cp = decode_utf8(joined, i);
    const bool is_space = cp == U' ' || cp == U'\t' || cp == U'\n' || cp == U'\r' || cp == U'\u00a0';
    if (is_space) {
      space = !out.empty();
      continue;
    }
    if (space) {
      if (chars + 1 >= max_chars) {
        cut = true;
        break;
      }
      last_space = out.size();
      out += ' ';
      ++chars;
      space = false;
    }
    if (chars >= max_chars) {
      cut = true;
      break;
    }
    if (cp < 0x20 || cp == 0x7f) continue;  // control characters say nothing in one line
    out.append(joined, start, i - start);
    ++chars;
  }
  if (cut) {
    if (last_space != std::string::npos && last_space > out.size() / 2) out.resize(last_space);
    out += "…";
  }
  return out;
}

}  // namespace detail

namespace {

using detail::from_ms;
using detail::kMentionTime;
using detail::to_ms;

/// Counts per brand or per source for the week and the one before.
Result<std::vector<CountRow>> query_counts(sqlite::Database& db, const ReportOptions& o, const TimeRange& week,
                                           const TimeRange& prev, const char* column) {
  const std::string sql = fmt::format(
      "SELECT {0}, SUM(t >= ?1 AND t < ?2), SUM(t >= ?1 AND t < ?2 AND label = 'negative'), "
      "SUM(t >= ?3 AND t < ?1), SUM(t >= ?3 AND t < ?1 AND label = 'negative') "
      "FROM (SELECT brand, source, label, {1} AS t FROM mentions) "
      "WHERE t >= ?3 AND t < ?2 AND {2} GROUP BY {0}",
      column, kMentionTime, detail::brand_condition("?4"));
  auto st = db.prepare(sql);
  if (!st) return st.error();
  st->bind(1, to_ms(week.begin));
  st->bind(2, to_ms(week.end));
  st->bind(3, to_ms(prev.begin));
  st->bind(4, detail::json_array(o.brands));
  std::vector<CountRow> rows;
  for (;;) {
    auto more = st->step();
    if (!more) return more.error();
    if (!*more) break;
    rows.push_back(CountRow{st->text(0), st->int64(1), st->int64(3), st->int64(2), st->int64(4)});
  }
  std::sort(rows.begin(), rows.end(), [](const CountRow& a, const CountRow& b) {
    if (a.mentions != b.mentions) return a.mentions > b.mentions;
    if (a.negatives != b.negatives) return a.negatives > b.negatives;
    return a.name < b.name;
  });
  return rows;
}

/// Negative mentions per topic for the week and the one before.
Result<std::vector<TopicCount>> query_topics(sqlite::Database& db, const ReportOptions& o, const TimeRange& week,
                                             const TimeRange& prev) {
  const std::string sql = fmt::format(
      "SELECT topic, SUM(t >= ?1 AND t < ?2), SUM(t >= ?3 AND t < ?1) "
      "FROM (SELECT mt.topic AS topic, m.brand AS brand, {0} AS t FROM mentions m "
      "JOIN mention_topics mt ON mt.mention_id = m.id WHERE m.label = 'negative') "
      "WHERE t >= ?3 AND t < ?2 AND {1} GROUP BY topic",
      kMentionTime, detail::brand_condition("?4"));
  auto st = db.prepare(sql);
  if (!st) return st.error();
  st->bind(1, to_ms(week.begin));
  st->bind(2, to_ms(week.end));
  st->bind(3, to_ms(prev.begin));
  st->bind(4, detail::json_array(o.brands));
  std::vector<TopicCount> rows;
  for (;;) {
    auto more = st->step();
    if (!more) return more.error();
    if (!*more) break;
    TopicCount row{st->text(0), "", st->int64(1), st->int64(2)};
    const auto it = o.topic_names.find(row.id);
    row.name = it != o.topic_names.end() ? it->second : row.id;
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const TopicCount& a, const TopicCount& b) {
    if (a.negatives != b.negatives) return a.negatives > b.negatives;
    return a.name < b.name;
  });
  return rows;
}

Result<void> query_ratings(sqlite::Database& db, const ReportOptions& o, DigestReport& r) {
  const int n = std::max(1, o.rating_weeks);
  auto st = db.prepare(fmt::format("SELECT brand, AVG(rating), COUNT(rating) FROM mentions "
                                   "WHERE rating IS NOT NULL AND {0} >= ?1 AND {0} < ?2 AND {1} GROUP BY brand",
                                   kMentionTime, detail::brand_condition("?3")));
  if (!st) return st.error();
  std::map<std::string, RatingTrend> by_brand;
  for (int i = 0; i < n; ++i) {
    const IsoWeek w = add_weeks(o.week, i - (n - 1));
    r.rating_weeks.push_back(w);
    const TimeRange range = week_range(w, o.zone);
    st->reset();
    st->bind(1, to_ms(range.begin));
    st->bind(2, to_ms(range.end));
    st->bind(3, detail::json_array(o.brands));
    for (;;) {
      auto more = st->step();
      if (!more) return more.error();
      if (!*more) break;
      RatingTrend& t = by_brand[st->text(0)];
      if (t.average.empty()) {
        t.brand = st->text(0);
        t.average.assign(static_cast<std::size_t>(n), std::nullopt);
        t.rated.assign(static_cast<std::size_t>(n), 0);
      }
      t.average[static_cast<std::size_t>(i)] = st->real(1);
      t.rated[static_cast<std::size_t>(i)] = st->int64(2);
    }
  }
  for (auto& [name, t] : by_brand) r.ratings.push_back(std::move(t));
  return {};
}

Result<void> query_top_negative(sqlite::Database& db, const ReportOptions& o, DigestReport& r) {
  auto st = db.prepare(fmt::format(
      "SELECT m.id, m.brand, m.source, m.url, m.author, m.title, m.text, m.score, m.rating, {0}, "
      "COALESCE((SELECT c.state FROM cases c WHERE c.mention_id = m.id), '') "
      "FROM mentions m WHERE m.label = 'negative' AND {0} >= ?1 AND {0} < ?2 AND {1} "
      "ORDER BY m.score ASC, {0} DESC, m.id ASC LIMIT ?3",
      "COALESCE(m.published_at, m.first_seen_at)", detail::brand_condition("?4")));
  if (!st) return st.error();
  st->bind(1, to_ms(r.range.begin));
  st->bind(2, to_ms(r.range.end));
  st->bind(3, std::max(0, o.top_n));
  st->bind(4, detail::json_array(o.brands));
  for (;;) {
    auto more = st->step();
    if (!more) return more.error();
    if (!*more) break;
    TopMention m;
    m.mention_id = st->int64(0);
    m.brand = st->text(1);
    m.source = st->text(2);
    m.url = st->text(3);
    m.author = st->text(4);
    m.excerpt = detail::excerpt(st->text(5), st->text(6));
    m.score = st->real(7);
    m.rating = st->optional_real(8);
    m.at = from_ms(st->int64(9));
    m.case_state = st->text(10);
    r.top_negative.push_back(std::move(m));
  }
  return {};
}

Result<void> query_broken_sources(sqlite::Database& db, const ReportOptions& o, DigestReport& r) {
  auto st = db.prepare(
      "SELECT source, consecutive_failures, last_success_at, last_error, broken_reason FROM sources_state "
      "WHERE (consecutive_failures > 0 OR last_success_at IS NULL OR last_success_at < ?1 "
      "OR broken_since IS NOT NULL) "
      "AND (?2 = '[]' OR source IN (SELECT value FROM json_each(?2))) "
      "ORDER BY consecutive_failures DESC, source ASC");
  if (!st) return st.error();
  st->bind(1, to_ms(r.range.begin));
  st->bind(2, detail::json_array(o.sources));
  for (;;) {
    auto more = st->step();
    if (!more) return more.error();
    if (!*more) break;
    BrokenSource b;
    b.source = st->text(0);
    b.consecutive_failures = st->int64(1);
    if (auto ms = st->optional_int64(2)) b.last_success = from_ms(*ms);
    b.last_error = st->text(3);
    // A source that polls fine but finds nothing (or serves a captcha) says so (source health).
    if (b.last_error.empty()) b.last_error = st->text(4);
    r.broken_sources.push_back(std::move(b));
  }
  return {};
}

}  // namespace

std::optional<Duration> percentile(std::vector<Duration>& values, int pct) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  // Nearest rank: the smallest value with at least pct % of the values at or below it.
  const std::size_t n = values.size();
  std::size_t rank = (n * static_cast<std::size_t>(std::clamp(pct, 1, 100)) + 99) / 100;
  rank = std::clamp<std::size_t>(rank, 1, n);
  return values[rank - 1];
}

Result<DigestReport> build_report(sqlite::Database& db, const ReportOptions& o) {
  DigestReport r;
  r.week = o.week;
  r.zone = o.zone;
  r.timezone = o.zone.name();
  r.range = week_range(o.week, o.zone);
  r.generated = o.now;
  r.brands = o.brands;
  r.sla_enabled = o.sla.enabled;
  const TimeRange prev = week_range(previous_week(o.week), o.zone);

  auto brands = query_counts(db, o, r.range, prev, "brand");
  if (!brands) return brands.error();
  r.by_brand = std::move(*brands);
  auto sources = query_counts(db, o, r.range, prev, "source");
  if (!sources) return sources.error();
  r.by_source = std::move(*sources);
  auto topics = query_topics(db, o, r.range, prev);
  if (!topics) return topics.error();
  r.by_topic = std::move(*topics);
  for (const CountRow& row : r.by_brand) {
    r.total.mentions += row.mentions;
    r.total.mentions_prev += row.mentions_prev;
    r.total.negatives += row.negatives;
    r.total.negatives_prev += row.negatives_prev;
  }
  if (auto x = query_ratings(db, o, r); !x) return x.error();
  if (auto x = detail::query_cases(db, o, r); !x) return x.error();
  if (auto x = query_top_negative(db, o, r); !x) return x.error();
  if (auto x = detail::query_repeat_complainers(db, o, r); !x) return x.error();
  if (auto x = query_broken_sources(db, o, r); !x) return x.error();
  return r;
}

}  // namespace otklik::digest
