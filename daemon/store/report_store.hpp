#pragma once
/// The reports role: what the weekly digest reads, as plain rows. The digest (daemon/digest)
/// turns them into its model (percentiles, deadlines, repeat complainers); all SQL stays here.
/// Every time range is half-open [begin, end) and compared with the mention's event time
/// (mention_store.hpp: event_time); cases belong to the week they were opened in.

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/lifecycle/case.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace otklik {

/// [begin, end) in UTC.
struct ReportRange {
  TimePoint begin{};
  TimePoint end{};
};

/// Mentions and negatives of one brand or source, this week and the week before.
struct CountRow {
  std::string name;                 ///< brand or source name ("" = no brand)
  std::int64_t mentions = 0;
  std::int64_t mentions_prev = 0;
  std::int64_t negatives = 0;
  std::int64_t negatives_prev = 0;
  friend bool operator==(const CountRow&, const CountRow&) = default;
};

/// Negative mentions about one topic, this week and the week before.
struct TopicCount {
  std::string id;                   ///< the topic id ("waiting")
  std::string name;                 ///< its name in the digest's language (filled by the digest)
  std::int64_t negatives = 0;
  std::int64_t negatives_prev = 0;
  friend bool operator==(const TopicCount&, const TopicCount&) = default;
};

/// The average rating of one brand's rated mentions in a range.
struct RatingAverage {
  std::string brand;
  double average = 0;
  std::int64_t rated = 0;
};

/// A case with what the digest shows of its mention.
struct ReportCase {
  CaseRecord record;
  std::string brand;
  std::string source;
  std::string url;
  std::string title;
  std::string text;
};

/// A negative mention as the digest's lists show it.
struct ReportMention {
  std::int64_t mention_id = 0;
  std::string brand;
  std::string source;
  std::string url;
  std::string author;
  std::string author_id;
  std::string title;
  std::string text;
  double score = 0;
  std::optional<double> rating;
  TimePoint at{};                   ///< event_time()
  std::string case_state;           ///< "" when no case was opened
};

/// A source failing now, without a successful poll since a time, or reported broken by source
/// health (a captcha page, or nothing found poll after poll: last_error says which).
struct BrokenSource {
  std::string source;
  std::int64_t consecutive_failures = 0;
  std::optional<TimePoint> last_success;
  std::string last_error;
  friend bool operator==(const BrokenSource&, const BrokenSource&) = default;
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;
  /// Per brand (by_source = false) or per source: mentions and negatives in `week` and in `prev`
  /// (the week before), only for `brands` (empty: all).
  virtual Result<std::vector<CountRow>> count_rows(bool by_source, ReportRange week, ReportRange prev,
                                                   const std::vector<std::string>& brands) = 0;
  /// Negatives per topic in `week` and `prev`.
  virtual Result<std::vector<TopicCount>> topic_counts(ReportRange week, ReportRange prev,
                                                       const std::vector<std::string>& brands) = 0;
  /// The average rating per brand over the rated mentions in `range`.
  virtual Result<std::vector<RatingAverage>> rating_averages(ReportRange range,
                                                             const std::vector<std::string>& brands) = 0;
  /// Cases opened in `range` and every case still new or taken, oldest first.
  virtual Result<std::vector<ReportCase>> report_cases(ReportRange range, const std::vector<std::string>& brands) = 0;
  /// The `limit` most negative mentions of `range` (lowest score first, then the newest).
  virtual Result<std::vector<ReportMention>> top_negative(ReportRange range, const std::vector<std::string>& brands,
                                                          int limit) = 0;
  /// Negative mentions with an author (name or id) in `range`, in time order.
  virtual Result<std::vector<ReportMention>> authored_negatives(ReportRange range,
                                                                const std::vector<std::string>& brands) = 0;
  /// Sources of `sources` (empty: every source with a state) that fail now, had no success since
  /// `since`, or are reported broken; most failures first.
  virtual Result<std::vector<BrokenSource>> broken_sources(TimePoint since, const std::vector<std::string>& sources) = 0;
};

}  // namespace otklik
