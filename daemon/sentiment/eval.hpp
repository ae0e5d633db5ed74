#pragma once
/// Measuring a Scorer on labelled text: `otklik eval FILE.tsv…`. Files hold one `LABEL<TAB>TEXT`
/// item a line (negative | neutral | positive | mixed; mixed items are left out of the metrics).
/// Reports accuracy, per-class precision / recall / F1, F1pn (the mean of the positive and the
/// negative F1, the SentiRuEval metric) and the confusion matrix, as text or JSON.

#include "daemon/sentiment/scorer.hpp"

#include <array>
#include <cstddef>
#include <filesystem>
#include <iosfwd>
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

}  // namespace otklik
