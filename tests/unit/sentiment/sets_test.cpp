// The project's own labelled sets (tests/fixtures/sentiment), written by a second author who never
// saw the lexicons or the rules: customer mentions of banks, operators, couriers, shops, clinics…
// The numbers guard what docs/sentiment.md reports; they are not targets.
//
// - dev_*.tsv, dev2_*.tsv: the development sets. Rules and vocabulary were written while reading
//   their misses, so their numbers are optimistic.
// - heldout_*.tsv: written later, scored once after the work and never tuned on.
#include "daemon/sentiment/eval.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "tests/support/fixture.hpp"

#include <catch2/catch.hpp>

#include <string>

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

TEST_CASE("the development set scores as docs/sentiment.md reports", "[sentiment][eval]") {
  const auto ru = measure("dev_ru.tsv", 180);
  const auto en = measure("dev_en.tsv", 180);
  INFO("ru: " << describe(ru) << "; en: " << describe(en));
  // Measured ru 0.90 / 0.89 / 0.99, en 0.81 / 0.86 / 0.92.
  CHECK(ru.f1pn >= 0.85);
  CHECK(ru.of(otklik::Label::negative).recall >= 0.82);
  CHECK(en.f1pn >= 0.77);
  CHECK(en.of(otklik::Label::negative).recall >= 0.83);
}

TEST_CASE("the second development set scores as docs/sentiment.md reports", "[sentiment][eval]") {
  const auto ru = measure("dev2_ru.tsv", 250);
  const auto en = measure("dev2_en.tsv", 250);
  INFO("ru: " << describe(ru) << "; en: " << describe(en));
  // Hard cases on purpose (events, irony, escalation). Before it was read: ru 0.71 / 0.65, en 0.58 /
  // 0.58; after: ru 0.79 / 0.80 / 0.86, en 0.71 / 0.70 / 0.87.
  CHECK(ru.f1pn >= 0.76);
  CHECK(ru.of(otklik::Label::negative).recall >= 0.77);
  CHECK(en.f1pn >= 0.68);
  CHECK(en.of(otklik::Label::negative).recall >= 0.67);
}

TEST_CASE("the held-out set scores as docs/sentiment.md reports", "[sentiment][eval]") {
  const auto ru = measure("heldout_ru.tsv", 200);
  const auto en = measure("heldout_en.tsv", 200);
  INFO("ru: " << describe(ru) << "; en: " << describe(en));
  // Scored once after the work of 2026-12-04: ru 0.75 / 0.70 / 0.76, en 0.73 / 0.69 / 0.81 (the
  // engine before that work: ru 0.75 / 0.68 / 0.77, en 0.70 / 0.67 / 0.79).
  CHECK(ru.f1pn >= 0.72);
  CHECK(ru.of(otklik::Label::negative).recall >= 0.67);
  CHECK(en.f1pn >= 0.70);
  CHECK(en.of(otklik::Label::negative).recall >= 0.66);
}
