#include "daemon/routing/sensitivity.hpp"

#include <catch2/catch.hpp>

using namespace otklik;

namespace {

Sentiment scored(Label label, double score) {
  Sentiment s;
  s.label = label;
  s.score = score;
  return s;
}

}  // namespace

TEST_CASE("label_at: a score at or below the threshold is negative, the rest keep or lose negative",
          "[routing][sensitivity]") {
  struct Case {
    Label scorer;
    double score;
    std::optional<double> threshold;
    Label expected;
  };
  const Case cases[] = {
      // normal: the scorer's label, whatever the score
      {Label::negative, -0.2, std::nullopt, Label::negative},
      {Label::neutral, -0.1, std::nullopt, Label::neutral},
      {Label::positive, 0.5, std::nullopt, Label::positive},
      // high (-0.05): a mild negative score the scorer left neutral is negative
      {Label::neutral, -0.1, -0.05, Label::negative},
      {Label::neutral, -0.05, -0.05, Label::negative},  // at the threshold
      {Label::neutral, -0.04, -0.05, Label::neutral},
      {Label::neutral, 0.0, -0.05, Label::neutral},     // no evidence is never a complaint
      {Label::positive, 0.5, -0.05, Label::positive},
      // low (-0.3): a mild negative is neutral now, a strong one stays
      {Label::negative, -0.2, -0.3, Label::neutral},
      {Label::negative, -0.3, -0.3, Label::negative},
      {Label::negative, -0.8, -0.3, Label::negative},
      {Label::positive, 0.3, -0.3, Label::positive},
  };
  for (const Case& c : cases) {
    CAPTURE(c.score, c.threshold.value_or(99.0));
    CHECK(label_at(scored(c.scorer, c.score), c.threshold) == c.expected);
  }
}
