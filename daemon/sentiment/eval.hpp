#pragma once
/// Measuring a Scorer on labelled text: `otklik eval FILE.tsv…`. Files hold one `LABEL<TAB>TEXT`
/// item a line (negative | neutral | positive | mixed; mixed items are left out of the metrics).
/// Reports accuracy, per-class precision / recall / F1, F1pn (the mean of the positive and the
/// negative F1, the SentiRuEval metric) and the confusion matrix, as text or JSON. With `--curve`
/// it reports instead how the negative class moves with the threshold of the score (a source's
/// `sensitivity`, docs/sentiment.md).

#include "daemon/sentiment/scorer.hpp"

#include <array>
#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

/// One labelled item and the line it came from (1-based).
struct LabelledText {
  Label label = Label::neutral;
  std::string text;
  std::size_t line = 0;
};

/// A line that could not be read as `LABEL<TAB>TEXT`.
struct LineProblem {
  std::size_t line = 0;
  std::string message;
};

/// The readable content of one labelled file.
struct LabelledSet {
  std::vector<LabelledText> items;
  std::size_t mixed = 0;             ///< items labelled `mixed`, left out
  std::vector<LineProblem> problems;  ///< malformed lines, skipped
};

/// Parses labelled lines. Blank lines and lines starting with '#' are skipped; a UTF-8 BOM and
/// CR line ends are accepted; labels are case-insensitive. Text after the first tab is the item.
[[nodiscard]] LabelledSet parse_labelled(std::string_view content);

/// Precision, recall and F1 of one class; 0 where the denominator is 0.
struct ClassMetrics {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  std::size_t support = 0;    ///< gold items of the class
  std::size_t predicted = 0;  ///< items the scorer put in the class
};

/// counts[gold][predicted], indexed by Label (negative, neutral, positive).
using ConfusionMatrix = std::array<std::array<std::size_t, 3>, 3>;

struct EvalMetrics {
  ConfusionMatrix confusion{};
  std::size_t total = 0;
  double accuracy = 0;
  std::array<ClassMetrics, 3> classes{};  ///< indexed by Label
  double f1pn = 0;                        ///< (F1(positive) + F1(negative)) / 2

  [[nodiscard]] const ClassMetrics& of(Label l) const noexcept { return classes[static_cast<int>(l)]; }
};

/// Every metric from a confusion matrix.
[[nodiscard]] EvalMetrics compute_metrics(const ConfusionMatrix& confusion);

/// Scores every item with `scorer` (language `lang`) and counts gold against predicted.
[[nodiscard]] ConfusionMatrix confusion_of(const std::vector<LabelledText>& items, const Scorer& scorer,
                                           Lang lang);

/// What the curve needs of one scored item.
struct ScoredItem {
  Label gold = Label::neutral;
  Label predicted = Label::neutral;  ///< the scorer's own label
  double score = 0;
};

/// Scores every item once (the thresholds are then applied to the scores).
[[nodiscard]] std::vector<ScoredItem> score_items(const std::vector<LabelledText>& items, const Scorer& scorer,
                                                  Lang lang);

/// The negative class at one threshold: an item counts as negative when its score is at or below
/// `threshold` (the rule of a source's `sensitivity`), or, without a threshold, when the scorer
/// labelled it negative (sensitivity "normal"). Gold labels other than negative are "not a
/// complaint": each of them predicted negative is a false alarm.
struct CurvePoint {
  std::optional<double> threshold;  ///< nullopt: the scorer's own label
  std::size_t caught = 0;           ///< gold negatives predicted negative
  std::size_t false_alarms = 0;     ///< other items predicted negative
  std::size_t complaints = 0;       ///< gold negatives
  double precision = 0;             ///< caught / (caught + false alarms); 0 with no alert
  double recall = 0;                ///< caught / complaints; 0 with no complaint
  double f1 = 0;
  double false_alarms_per_100 = 0;  ///< false alarms in 100 alerts: 100 × (1 − precision); 0 with no alert
  double caught_percent = 0;        ///< share of complaints caught, in %: 100 × recall
};

/// The sweep of `otklik eval --curve`: 0, -0.05, -0.10, … -0.60.
[[nodiscard]] std::vector<double> curve_thresholds();

/// The scorer's own label first, then one point per threshold in the given order.
[[nodiscard]] std::vector<CurvePoint> negative_curve(const std::vector<ScoredItem>& items,
                                                     const std::vector<double>& thresholds);

/// The curve of one file (or of all of them, named "all").
struct CurveReport {
  std::string name;
  std::size_t items = 0;
  std::size_t mixed = 0;
  std::size_t malformed = 0;
  std::vector<CurvePoint> points;
};

/// One line per point: threshold ("scorer" for the scorer's own label), precision, recall, F1,
/// false alarms in 100 alerts, % of complaints caught, and the counts.
[[nodiscard]] std::string format_text_curve(const CurveReport& report);

/// The same as one JSON object (no newline); a threshold of the scorer's own label is null.
[[nodiscard]] std::string format_json_curve(const CurveReport& report);

/// The result for one file (or the sum of several, named "all").
struct FileReport {
  std::string name;
  std::size_t mixed = 0;
  std::size_t malformed = 0;
  double seconds = 0;  ///< wall time of the scoring loop
  EvalMetrics metrics;
};

/// Human-readable report of one file: counts, accuracy, F1pn, negative recall/precision, a
/// per-class table and the confusion matrix (rows gold, columns predicted).
[[nodiscard]] std::string format_text_report(const FileReport& report);

/// The same as one JSON object (no newline).
[[nodiscard]] std::string format_json_report(const FileReport& report);

/// The `otklik eval` command. Reads each file, reports malformed lines on `err` as
/// `file:line: message`, writes a report per file (and an "all" total when there are several) to
/// `out`: text, or with `json` one JSON document {"files":[…],"total":{…}|null}.
/// Returns 0 on success, 1 when a file cannot be read or holds no scorable item.
int run_eval(const std::vector<std::filesystem::path>& files, const Scorer& scorer, Lang lang, bool json,
             std::ostream& out, std::ostream& err);

/// `otklik eval --curve`: the negative curve (curve_thresholds) per file and, with several files,
/// of all items together; text, or with `json` {"files":[…],"total":{…}|null}. Errors and the
/// return value as run_eval.
int run_eval_curve(const std::vector<std::filesystem::path>& files, const Scorer& scorer, Lang lang, bool json,
                   std::ostream& out, std::ostream& err);

}  // namespace otklik
