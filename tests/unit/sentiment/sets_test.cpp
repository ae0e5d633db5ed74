// The project's own labelled sets (tests/fixtures/sentiment), written by a second author who never
// saw the lexicons or the rules: customer mentions of banks, operators, couriers, shops, clinics…
// The numbers guard what docs/sentiment.md reports; they are not targets.
//
// - dev_*.tsv, dev2_*.tsv: the development sets. Rules and vocabulary were written while reading
//   their misses, so their numbers are optimistic.
// - heldout_*.tsv: written later, never read; scored after each round of work, never tuned on.
#include "daemon/sentiment/eval.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "tests/support/fixture.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

otklik::EvalMetrics measure(const std::string& file, std::size_t min_items) {
  static const auto scorer = otklik::make_builtin_scorer();
  const otklik::LabelledSet set = otklik::parse_labelled(otklik::test::read_fixture("sentiment/" + file));
  REQUIRE(set.problems.empty());
  REQUIRE(set.items.size() >= min_items);
  return otklik::compute_metrics(otklik::confusion_of(set.items, *scorer, otklik::Lang::automatic));
}

std::string describe(const otklik::EvalMetrics& m) {
  const auto& neg = m.of(otklik::Label::negative);
  return "F1pn " + std::to_string(m.f1pn) + ", negative recall " + std::to_string(neg.recall) + ", precision " +
         std::to_string(neg.precision);
}

}  // namespace

TEST_CASE("the project's labelled sets score as docs/sentiment.md reports", "[sentiment][eval]") {
  struct Guard {
    std::string file;
    std::size_t min_items;
    double f1pn;             // floor, a little under the measured value
    double negative_recall;  // floor
  };
  const std::vector<Guard> guards{
      // Development set: measured ru 0.90 / 0.89 / 0.99, en 0.81 / 0.86 / 0.92 (F1pn / negative
      // recall / precision).
      {"dev_ru.tsv", 180, 0.85, 0.82},
      {"dev_en.tsv", 180, 0.77, 0.83},
      // Second development set, hard cases on purpose (events, irony, escalation). Before it was
      // read: ru 0.71 / 0.65, en 0.58 / 0.58; after: ru 0.79 / 0.81 / 0.86, en 0.72 / 0.71 / 0.87.
      {"dev2_ru.tsv", 250, 0.76, 0.77},
      {"dev2_en.tsv", 250, 0.68, 0.67},
      // Held-out set, never read. Engine before 2026-12-04: ru 0.75 / 0.68 / 0.77, en 0.70 / 0.67 /
      // 0.79; after the first round: ru 0.75 / 0.70 / 0.76, en 0.73 / 0.69 / 0.81; after the
      // second: ru 0.77 / 0.73 / 0.80, en 0.75 / 0.70 / 0.84.
      {"heldout_ru.tsv", 200, 0.74, 0.70},
      {"heldout_en.tsv", 200, 0.71, 0.67},
  };
  for (const Guard& g : guards) {
    const auto m = measure(g.file, g.min_items);
    INFO(g.file << ": " << describe(m));
    CHECK(m.f1pn >= g.f1pn);
    CHECK(m.of(otklik::Label::negative).recall >= g.negative_recall);
  }
}
