#include "daemon/sentiment/eval.hpp"

#include "tests/support/catch_result.hpp"

#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace otklik;
namespace fs = std::filesystem;

namespace {

/// Predicts the label named by the text's first word ("negative …" -> negative); anything else
/// is neutral. Records the language it was asked for.
class FirstWordScorer final : public Scorer {
 public:
  Sentiment score(std::string_view text, std::optional<double>, Lang lang) const override {
    last_lang = lang;
    Sentiment s;
    const std::string_view word = text.substr(0, text.find(' '));
    if (word == "negative") s.label = Label::negative;
    if (word == "positive") s.label = Label::positive;
    return s;
  }
  mutable Lang last_lang = Lang::other;
};

/// gold negative: predicted 3 negative, 1 neutral, 1 positive;
/// gold neutral:  1 negative, 2 neutral;  gold positive: 1 neutral, 3 positive.
constexpr std::string_view kTwelve =
    "negative\tnegative a\nnegative\tnegative b\nnegative\tnegative c\nnegative\tneutral d\n"
    "negative\tpositive e\n"
    "neutral\tnegative f\nneutral\tneutral g\nneutral\tneutral h\n"
    "positive\tneutral i\npositive\tpositive j\npositive\tpositive k\npositive\tpositive l\n";

/// A file in a folder of its own for this test.
fs::path write_temp(const std::string& test, const std::string& name, std::string_view content) {
  const fs::path dir = fs::temp_directory_path() / ("otklik-eval-" + test + "-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << content;
  return dir / name;
}

}  // namespace

TEST_CASE("parse_labelled reads items and reports malformed lines by number", "[sentiment][eval]") {
  const LabelledSet set = parse_labelled(
      "\xEF\xBB\xBFnegative\tужасно\r\n"  // 1: BOM and CRLF
      "\n"                                 // 2: blank
      "# a comment\n"                      // 3
      "Positive\tfine\twith a tab\n"       // 4: label case, text keeps later tabs
      "mixed\tgood and bad\n"              // 5: left out
      "no tab here\n"                      // 6
      "angry\tsome text\n"                 // 7
      "neutral\t   \n"                     // 8: empty text
      "neutral\tok");                      // 9: no final newline
  REQUIRE(set.items.size() == 3);
  CHECK(set.items[0].label == Label::negative);
  CHECK(set.items[0].text == "ужасно");
  CHECK(set.items[0].line == 1);
  CHECK(set.items[1].label == Label::positive);
  CHECK(set.items[1].text == "fine\twith a tab");
  CHECK(set.items[1].line == 4);
  CHECK(set.items[2].line == 9);
  CHECK(set.mixed == 1);
  REQUIRE(set.problems.size() == 3);
  CHECK(set.problems[0].line == 6);
  CHECK(set.problems[0].message == "no tab between label and text");
  CHECK(set.problems[1].line == 7);
  CHECK(set.problems[1].message == "unknown label \"angry\" (expected negative, neutral, positive or mixed)");
  CHECK(set.problems[2].line == 8);
  CHECK(set.problems[2].message == "empty text");
}

TEST_CASE("metrics match hand-computed values", "[sentiment][eval]") {
  const LabelledSet set = parse_labelled(kTwelve);
  REQUIRE(set.items.size() == 12);
  const FirstWordScorer scorer;
  const ConfusionMatrix cm = confusion_of(set.items, scorer, Lang::ru);
  CHECK(scorer.last_lang == Lang::ru);
  const ConfusionMatrix expected{{{3, 1, 1}, {1, 2, 0}, {0, 1, 3}}};
  CHECK(cm == expected);

  const EvalMetrics m = compute_metrics(cm);
  CHECK(m.total == 12);
  CHECK(m.accuracy == Approx(8.0 / 12));
  const ClassMetrics& neg = m.of(Label::negative);
  CHECK(neg.precision == Approx(0.75));
  CHECK(neg.recall == Approx(0.6));
  CHECK(neg.f1 == Approx(2.0 / 3));
  CHECK(neg.support == 5);
  CHECK(neg.predicted == 4);
  const ClassMetrics& neu = m.of(Label::neutral);
  CHECK(neu.precision == Approx(0.5));
  CHECK(neu.recall == Approx(2.0 / 3));
  CHECK(neu.f1 == Approx(4.0 / 7));
  const ClassMetrics& pos = m.of(Label::positive);
  CHECK(pos.precision == Approx(0.75));
  CHECK(pos.recall == Approx(0.75));
  CHECK(pos.f1 == Approx(0.75));
  CHECK(m.f1pn == Approx((2.0 / 3 + 0.75) / 2));
}

TEST_CASE("a class never predicted or never present scores 0, not NaN", "[sentiment][eval]") {
  // Everything predicted neutral: no positive or negative predictions at all.
  const EvalMetrics m = compute_metrics(ConfusionMatrix{{{0, 4, 0}, {0, 3, 0}, {0, 2, 0}}});
  CHECK(m.accuracy == Approx(3.0 / 9));
  CHECK(m.of(Label::negative).precision == 0);
  CHECK(m.of(Label::negative).recall == 0);
  CHECK(m.of(Label::negative).f1 == 0);
  CHECK(m.f1pn == 0);
  CHECK(m.of(Label::neutral).recall == 1);

  const EvalMetrics empty = compute_metrics(ConfusionMatrix{});
  CHECK(empty.total == 0);
  CHECK(empty.accuracy == 0);
  CHECK(empty.f1pn == 0);
}

TEST_CASE("text report shows the headline metrics and the confusion matrix", "[sentiment][eval]") {
  FileReport r{"twelve.tsv", 2, 1, 0, compute_metrics(ConfusionMatrix{{{3, 1, 1}, {1, 2, 0}, {0, 1, 3}}})};
  const std::string text = format_text_report(r);
  CHECK(text.find("== twelve.tsv\n") == 0);
  CHECK(text.find("items 12 (mixed left out 2, malformed 1)") != std::string::npos);
  CHECK(text.find("accuracy 0.667  F1pn 0.708  negative recall 0.600  negative precision 0.750") !=
        std::string::npos);
  CHECK(text.find("negative        0.750   0.600   0.667        5          4") != std::string::npos);
  CHECK(text.find("negative        3        1        1") != std::string::npos);
  CHECK(text.find("positive        0        1        3") != std::string::npos);
}

TEST_CASE("JSON report parses and holds every metric", "[sentiment][eval]") {
  FileReport r{"a \"quoted\" name.tsv", 0, 0, 0.5,
               compute_metrics(ConfusionMatrix{{{3, 1, 1}, {1, 2, 0}, {0, 1, 3}}})};
  const auto v = boost::json::parse(format_json_report(r));
  const auto& o = v.as_object();
  CHECK(o.at("file").as_string() == "a \"quoted\" name.tsv");
  CHECK(o.at("items").as_int64() == 12);
  CHECK(o.at("f1pn").to_number<double>() == Approx(0.7083));
  CHECK(o.at("negative_recall").to_number<double>() == Approx(0.6));
  CHECK(o.at("negative_precision").to_number<double>() == Approx(0.75));
  CHECK(o.at("seconds").to_number<double>() == Approx(0.5));
  CHECK(o.at("classes").at("neutral").at("f1").to_number<double>() == Approx(0.5714));
  CHECK(o.at("classes").at("positive").at("support").as_int64() == 4);
  const auto& matrix = o.at("confusion").at("matrix").as_array();
  REQUIRE(matrix.size() == 3);
  CHECK(matrix[0].as_array()[2].as_int64() == 1);
  CHECK(matrix[2].as_array()[2].as_int64() == 3);
}

TEST_CASE("run_eval reports per file, a total, and malformed lines on err", "[sentiment][eval]") {
  const fs::path a = write_temp("run", "a.tsv", kTwelve);
  const fs::path b = write_temp("run", "b.tsv", "negative\tnegative x\nbroken line\nmixed\tpositive y\n");
  const FirstWordScorer scorer;

  std::ostringstream out, err;
  CHECK(run_eval({a, b}, scorer, Lang::en, false, out, err) == 0);
  CHECK(scorer.last_lang == Lang::en);
  CHECK(out.str().find("== " + a.string()) != std::string::npos);
  CHECK(out.str().find("== " + b.string()) != std::string::npos);
  CHECK(out.str().find("== all\nitems 13 (mixed left out 1, malformed 1)") != std::string::npos);
  CHECK(err.str() == b.string() + ":2: no tab between label and text\n");

  std::ostringstream jout, jerr;
  CHECK(run_eval({a}, scorer, Lang::automatic, true, jout, jerr) == 0);
  const auto v = boost::json::parse(jout.str());
  CHECK(v.at("files").as_array().size() == 1);
  CHECK(v.at("total").is_null());
  CHECK(v.at("files").as_array()[0].at("f1pn").to_number<double>() == Approx(0.7083));
  fs::remove_all(a.parent_path());
}

TEST_CASE("run_eval fails on a missing file or one with nothing to score", "[sentiment][eval]") {
  const fs::path empty = write_temp("fail", "empty.tsv", "# only a comment\nmixed\tboth\n");
  const FirstWordScorer scorer;
  std::ostringstream out, err;
  CHECK(run_eval({empty.parent_path() / "missing.tsv"}, scorer, Lang::ru, false, out, err) == 1);
  CHECK(err.str().find("missing.tsv: cannot read") != std::string::npos);
  std::ostringstream out2, err2;
  CHECK(run_eval({empty}, scorer, Lang::ru, false, out2, err2) == 1);
  CHECK(err2.str().find("no scorable items") != std::string::npos);
  std::ostringstream out3, err3;
  CHECK(run_eval({}, scorer, Lang::ru, false, out3, err3) == 1);
  fs::remove_all(empty.parent_path());
}

namespace {

/// Reads the score from the text's first word ("-0.2 …"); negative at or below -0.15, positive
/// at or above 0.2, as the built-in scorer's thresholds.
class NumberScorer final : public Scorer {
 public:
  Sentiment score(std::string_view text, std::optional<double>, Lang) const override {
    Sentiment s;
    s.score = std::stod(std::string(text.substr(0, text.find(' '))));
    s.label = s.score <= -0.15 ? Label::negative : s.score >= 0.2 ? Label::positive : Label::neutral;
    return s;
  }
};

}  // namespace

TEST_CASE("negative_curve matches hand-computed points", "[sentiment][eval][curve]") {
  // gold, the scorer's label, score
  const std::vector<ScoredItem> items = {
      {Label::negative, Label::negative, -0.7}, {Label::negative, Label::negative, -0.2},
      {Label::negative, Label::neutral, -0.1},  {Label::negative, Label::positive, 0.3},
      {Label::neutral, Label::negative, -0.4},  {Label::neutral, Label::neutral, -0.05},
      {Label::neutral, Label::neutral, 0.0},    {Label::positive, Label::positive, 0.6},
  };
  const std::vector<CurvePoint> curve = negative_curve(items, {0.0, -0.1, -0.3, -0.8});
  struct Expected {
    std::optional<double> threshold;
    std::size_t caught, false_alarms;
    double precision, recall, f1, false_per_100, caught_percent;
  };
  const Expected expected[] = {
      {std::nullopt, 2, 1, 2.0 / 3, 0.5, 4.0 / 7, 100.0 / 3, 50},  // the scorer's label: items 1, 2, 5
      {0.0, 3, 3, 0.5, 0.75, 0.6, 50, 75},                           // 1, 2, 3, 5, 6, 7 (score 0 included)
      {-0.1, 3, 1, 0.75, 0.75, 0.75, 25, 75},                        // 1, 2, 3, 5 (at the threshold included)
      {-0.3, 1, 1, 0.5, 0.25, 1.0 / 3, 50, 25},                      // 1, 5
      {-0.8, 0, 0, 0, 0, 0, 0, 0},                                   // no alert: zeros, not NaN
  };
  REQUIRE(curve.size() == std::size(expected));
  for (std::size_t i = 0; i < curve.size(); ++i) {
    const CurvePoint& p = curve[i];
    const Expected& e = expected[i];
    CAPTURE(i);
    CHECK(p.threshold == e.threshold);
    CHECK(p.complaints == 4);
    CHECK(p.caught == e.caught);
    CHECK(p.false_alarms == e.false_alarms);
    CHECK(p.precision == Approx(e.precision));
    CHECK(p.recall == Approx(e.recall));
    CHECK(p.f1 == Approx(e.f1));
    CHECK(p.false_alarms_per_100 == Approx(e.false_per_100));
    CHECK(p.caught_percent == Approx(e.caught_percent));
  }
  CHECK(negative_curve({}, {-0.1})[1].recall == 0);  // no complaint at all
}

TEST_CASE("the curve sweeps 0 to -0.6 by 0.05, with the literals a config holds", "[sentiment][eval][curve]") {
  const std::vector<double> t = curve_thresholds();
  REQUIRE(t.size() == 13);
  CHECK(t.front() == 0.0);
  CHECK(t[3] == -0.15);  // exactly the literal: a score of -0.15 is at the threshold
  CHECK(t[6] == -0.3);
  CHECK(t.back() == -0.6);
}

TEST_CASE("run_eval_curve reports per file and in total, as text and JSON", "[sentiment][eval][curve]") {
  const fs::path a = write_temp("curve", "a.tsv", "negative\t-0.7 x\nnegative\t-0.1 y\nneutral\t-0.2 z\n");
  const fs::path b = write_temp("curve", "b.tsv", "positive\t0.5 w\nnegative\t-0.4 v\nbroken\n");
  const NumberScorer scorer;
  std::ostringstream out, err;
  CHECK(run_eval_curve({a, b}, scorer, Lang::ru, false, out, err) == 0);
  CHECK(err.str() == b.string() + ":3: no tab between label and text\n");
  const std::string text = out.str();
  CHECK(text.find("== " + a.string() + " (negative curve)\nitems 3 (mixed left out 0, malformed 0)\n") == 0);
  // all: complaints -0.7, -0.1, -0.4; a false alarm at -0.2. The scorer's label catches 2 of 3.
  CHECK(text.find("== all (negative curve)\nitems 5 (mixed left out 0, malformed 1)\n") != std::string::npos);
  CHECK(text.find("scorer         0.667   0.667   0.667       33.3     66.7       2      1           3") !=
        std::string::npos);
  CHECK(text.find("-0.10          0.750   1.000   0.857       25.0    100.0       3      1           3") !=
        std::string::npos);

  std::ostringstream jout, jerr;
  CHECK(run_eval_curve({a}, scorer, Lang::ru, true, jout, jerr) == 0);
  const auto v = boost::json::parse(jout.str());
  CHECK(v.at("total").is_null());
  const auto& points = v.at("files").as_array()[0].at("points").as_array();
  REQUIRE(points.size() == 14);
  CHECK(points[0].at("threshold").is_null());
  CHECK(points[3].at("threshold").to_number<double>() == Approx(-0.10));
  CHECK(points[3].at("caught").to_number<int>() == 2);
  CHECK(points[3].at("false_alarms").to_number<int>() == 1);
  CHECK(points[3].at("false_alarms_per_100").to_number<double>() == Approx(100.0 / 3));
  CHECK(points[3].at("caught_percent").to_number<double>() == Approx(100));

  std::ostringstream out2, err2;
  CHECK(run_eval_curve({a.parent_path() / "missing.tsv"}, scorer, Lang::ru, false, out2, err2) == 1);
  CHECK(err2.str().find("missing.tsv: cannot read") != std::string::npos);
  fs::remove_all(a.parent_path());
}
