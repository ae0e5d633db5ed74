#pragma once
/// Measuring the topic tagger on hand-labelled claims: rows `TOPICS<TAB>TEXT`, TOPICS a comma list
/// of topic ids or "-" for none; lines starting with "#" and blank lines are skipped. Per topic:
/// precision, recall and F1; micro and macro averages; the share of rows whose whole set of
/// topics is right; and the mistakes, for tuning. `otklik topics eval FILE…` prints the report.

#include "daemon/core/error.hpp"
#include "daemon/understanding/topics.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace otklik::understanding {

/// One hand-labelled claim.
struct TopicRow {
  int line = 0;
  std::vector<std::string> topics;  ///< expected, sorted
  std::string text;
};

/// Parses the rows of one file; every malformed line ("file:line: what") is in the failure.
/// Topic ids not in `known` are malformed too (a typo would silently count as a miss).
Result<std::vector<TopicRow>> parse_topic_rows(std::string_view tsv, std::string_view file_name,
                                               const std::vector<std::string>& known);

/// Counts for one topic (or all of them, for the micro average).
struct TopicScore {
  std::string id;
  int tp = 0, fp = 0, fn = 0;
  [[nodiscard]] double precision() const noexcept;
  [[nodiscard]] double recall() const noexcept;
  [[nodiscard]] double f1() const noexcept;
  [[nodiscard]] int support() const noexcept { return tp + fn; }
};

/// A row whose found topics differ from the expected ones.
struct TopicMistake {
  int line = 0;
  std::string text;
  std::vector<std::string> expected;
  std::vector<std::string> found;
};

/// The result of running the tagger over labelled rows.
struct TopicReport {
  std::vector<TopicScore> per_topic;  ///< taxonomy order
  TopicScore micro;                   ///< id "micro": summed counts
  double macro_f1 = 0;                ///< mean F1 over topics with support or predictions
  int rows = 0;
  int exact = 0;                      ///< rows whose found set equals the expected set
  std::vector<TopicMistake> mistakes;
};

/// Tags every row and compares with its labels (pure; the tagger's taxonomy gives the order).
TopicReport evaluate_topics(const TopicTagger& tagger, const Taxonomy& taxonomy, const std::vector<TopicRow>& rows);

/// A Markdown table of the report (per topic, then micro/macro), and the first `max_mistakes`
/// mistakes when asked.
std::string format_topic_report(const TopicReport& report, std::size_t max_mistakes = 0);

}  // namespace otklik::understanding
