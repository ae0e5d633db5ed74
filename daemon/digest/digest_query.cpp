#include "daemon/core/utf8.hpp"
#include "daemon/digest/digest_data.hpp"
#include "daemon/digest/query_detail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace otklik::digest {
namespace detail {

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

using detail::range_of;

/// Counts per brand or per source for the week and the one before, most mentions first.
Result<std::vector<CountRow>> query_counts(ReportStore& reports, const ReportOptions& o, const TimeRange& week,
                                           const TimeRange& prev, bool by_source) {
  auto rows = reports.count_rows(by_source, range_of(week), range_of(prev), o.brands);
  if (!rows) return rows.error();
  std::sort(rows->begin(), rows->end(), [](const CountRow& a, const CountRow& b) {
    if (a.mentions != b.mentions) return a.mentions > b.mentions;
    if (a.negatives != b.negatives) return a.negatives > b.negatives;
    return a.name < b.name;
  });
  return rows;
}

/// Negative mentions per topic for the week and the one before, with the topics' names.
Result<std::vector<TopicCount>> query_topics(ReportStore& reports, const ReportOptions& o, const TimeRange& week,
                                             const TimeRange& prev) {
  auto rows = reports.topic_counts(range_of(week), range_of(prev), o.brands);
  if (!rows) return rows.error();
  for (TopicCount& row : *rows) {
    const auto it = o.topic_names.find(row.id);
    row.name = it != o.topic_names.end() ? it->second : row.id;
  }
  std::sort(rows->begin(), rows->end(), [](const TopicCount& a, const TopicCount& b) {
    if (a.negatives != b.negatives) return a.negatives > b.negatives;
    return a.name < b.name;
  });
  return rows;
}

Result<void> query_ratings(ReportStore& reports, const ReportOptions& o, DigestReport& r) {
  const int n = std::max(1, o.rating_weeks);
  std::map<std::string, RatingTrend> by_brand;
  for (int i = 0; i < n; ++i) {
    const IsoWeek w = add_weeks(o.week, i - (n - 1));
    r.rating_weeks.push_back(w);
    auto rows = reports.rating_averages(range_of(week_range(w, o.zone)), o.brands);
    if (!rows) return rows.error();
    for (const RatingAverage& a : *rows) {
      RatingTrend& t = by_brand[a.brand];
      if (t.average.empty()) {
        t.brand = a.brand;
        t.average.assign(static_cast<std::size_t>(n), std::nullopt);
        t.rated.assign(static_cast<std::size_t>(n), 0);
      }
      t.average[static_cast<std::size_t>(i)] = a.average;
      t.rated[static_cast<std::size_t>(i)] = a.rated;
    }
  }
  for (auto& [name, t] : by_brand) r.ratings.push_back(std::move(t));
  return {};
}

Result<void> query_top_negative(ReportStore& reports, const ReportOptions& o, DigestReport& r) {
  auto rows = reports.top_negative(range_of(r.range), o.brands, o.top_n);
  if (!rows) return rows.error();
  for (const ReportMention& row : *rows) {
    TopMention m;
    m.mention_id = row.mention_id;
    m.brand = row.brand;
    m.source = row.source;
    m.url = row.url;
    m.author = row.author;
    m.excerpt = detail::excerpt(row.title, row.text);
    m.score = row.score;
    m.rating = row.rating;
    m.at = row.at;
    m.case_state = row.case_state;
    r.top_negative.push_back(std::move(m));
  }
  return {};
}

Result<void> query_broken_sources(ReportStore& reports, const ReportOptions& o, DigestReport& r) {
  auto rows = reports.broken_sources(r.range.begin, o.sources);
  if (!rows) return rows.error();
  r.broken_sources = std::move(*rows);
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

Result<DigestReport> build_report(ReportStore& db, const ReportOptions& o) {
  DigestReport r;
  r.week = o.week;
  r.zone = o.zone;
  r.timezone = o.zone.name();
  r.range = week_range(o.week, o.zone);
  r.generated = o.now;
  r.brands = o.brands;
  r.sla_enabled = o.sla.enabled;
  const TimeRange prev = week_range(previous_week(o.week), o.zone);

  auto brands = query_counts(db, o, r.range, prev, false);
  if (!brands) return brands.error();
  r.by_brand = std::move(*brands);
  auto sources = query_counts(db, o, r.range, prev, true);
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
