#pragma once
/// The weekly digest as plain facts (DigestReport), built from the store for one ISO week by
/// build_report(), rendered to HTML and text by render_html()/render_text(). The report holds
/// numbers and texts only; renderers decide words, plural forms and colours.
///
/// Which week a mention belongs to: its published time when the site gives one, else when it was
/// first seen. Cases (time to take / answer) belong to the week they were opened in.

#include "daemon/config/config.hpp"
#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"
#include "daemon/core/time_zone.hpp"
#include "daemon/digest/iso_week.hpp"
#include "daemon/lifecycle/calendar.hpp"
#include "daemon/store/report_store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <map>
#include <vector>

namespace otklik::digest {

// Rows the store reads as they are (report_store.hpp).
using ::otklik::BrokenSource;
using ::otklik::CountRow;
using ::otklik::TopicCount;

/// Average rating of one brand per week, oldest first; the last entry is the report's week.
struct RatingTrend {
  std::string brand;
  std::vector<std::optional<double>> average;  ///< 0..5 stars; nullopt: no rated mention that week
  std::vector<std::int64_t> rated;             ///< how many rated mentions each average is over
  friend bool operator==(const RatingTrend&, const RatingTrend&) = default;
};

/// Response times of the cases opened in the week, for one deadline ("take" or "answer").
struct ResponseStats {
  std::int64_t cases = 0;                ///< cases opened in the week (dismissed ones excluded)
  std::int64_t done = 0;                 ///< how many of them were taken / answered by now
  std::optional<Duration> median;        ///< over `done`; working time when the policy counts it
  std::optional<Duration> p90;
  std::int64_t within_sla = 0;           ///< met by the deadline
  std::int64_t judged = 0;               ///< met, late or missed (pending ones are not judged yet)
  friend bool operator==(const ResponseStats&, const ResponseStats&) = default;
};

/// A case past a deadline and still not meeting it, as of the report's `now`.
struct OverdueCase {
  std::int64_t mention_id = 0;
  std::string brand;
  std::string source;
  std::string url;
  std::string excerpt;              ///< title or the text's start, one line
  std::string state;                ///< "new" | "taken"
  std::string deadline;             ///< "take" | "answer"
  std::string taken_by;             ///< who took it ("" = nobody)
  Duration overdue{};               ///< now − deadline (working time when the policy counts it)
  friend bool operator==(const OverdueCase&, const OverdueCase&) = default;
};

/// One of the most negative mentions of the week.
struct TopMention {
  std::int64_t mention_id = 0;
  std::string brand;
  std::string source;
  std::string url;
  std::string author;
  std::string excerpt;              ///< title and text, one line, cut at a word
  double score = 0;                 ///< the scorer's score, -1..1 (most negative first)
  std::optional<double> rating;
  TimePoint at{};
  std::string case_state;           ///< "new", "taken", …; "" when no case was opened
  friend bool operator==(const TopMention&, const TopMention&) = default;
};

/// An author with two or more negative mentions in the 30 days up to the week's end.
struct RepeatComplainer {
  std::string author;               ///< the name as last shown (or the id when no name)
  std::int64_t negatives = 0;
  std::vector<std::pair<std::string, std::int64_t>> per_source;  ///< by count, then name
  TimePoint last{};
  std::string last_url;
  friend bool operator==(const RepeatComplainer&, const RepeatComplainer&) = default;
};

/// Everything the digest shows for one week.
struct DigestReport {
  IsoWeek week;
  TimeRange range;                  ///< the week's bounds in `timezone`
  std::string timezone;             ///< IANA name the dates are shown in
  TimeZone zone;
  TimePoint generated{};            ///< the report's `now`
  std::vector<std::string> brands;  ///< the brand filter (empty: all brands)
  bool sla_enabled = false;         ///< false: no deadlines, no "within SLA", no overdue list

  CountRow total;                   ///< name ""
  std::vector<CountRow> by_brand;   ///< by mentions this week, descending, then name
  std::vector<CountRow> by_source;
  std::vector<TopicCount> by_topic; ///< by negatives this week, descending, then name; empty: none tagged
  std::vector<IsoWeek> rating_weeks;  ///< oldest first; the last one is `week`
  std::vector<RatingTrend> ratings;   ///< brands with at least one rated mention in those weeks
  ResponseStats take;
  ResponseStats answer;
  std::vector<OverdueCase> overdue;   ///< most overdue first, at most `max_list` entries
  std::int64_t overdue_total = 0;     ///< all overdue cases (the list may be cut)
  std::vector<TopMention> top_negative;
  std::vector<RepeatComplainer> repeat_complainers;  ///< most negatives first
  std::vector<BrokenSource> broken_sources;
};

/// What build_report needs besides the database.
struct ReportOptions {
  IsoWeek week;
  TimeZone zone;                           ///< the digest's time zone (week bounds, dates shown)
  std::vector<std::string> brands;         ///< only these brands; empty: every brand
  /// Sources to report as broken when they fail; empty: every source in sources_state.
  std::vector<std::string> sources;
  /// Topic id → name shown (the taxonomy in the digest's language); ids not in it show as is.
  std::map<std::string, std::string> topic_names;
  SlaConfig sla;                           ///< deadlines for "within SLA" and the overdue list
  BusinessCalendar calendar;               ///< working time when a policy counts business hours
  int top_n = 10;                          ///< top negative mentions
  int max_list = 20;                       ///< overdue cases and repeat complainers listed
  int rating_weeks = 6;                    ///< weeks in the rating trend, the report's included
  TimePoint now{};                         ///< "overdue" and "done by now" are judged at this time
};

/// Builds the report of `options.week` from what the reports role reads. Read-only.
Result<DigestReport> build_report(ReportStore& reports, const ReportOptions& options);

/// Median and 90th percentile (nearest rank) of `values` (sorted in place); nullopt when empty.
std::optional<Duration> percentile(std::vector<Duration>& values, int pct);

}  // namespace otklik::digest
