#pragma once
// A scorer for tests of the code around scoring: a text containing "BAD" is negative (-0.8),
// "MEH" mildly negative (-0.2), "MILD" neutral with a slightly negative score (-0.1), anything
// else positive.

#include "daemon/sentiment/scorer.hpp"

namespace otklik::test {

class FakeScorer final : public Scorer {
 public:
  Sentiment score(std::string_view text, std::optional<double>, Lang) const override {
    Sentiment s;
    s.lang = Lang::en;
    if (text.find("BAD") != std::string_view::npos) {
      s.label = Label::negative;
      s.score = -0.8;
      s.why = {{"BAD", -3}};
    } else if (text.find("MEH") != std::string_view::npos) {
      s.label = Label::negative;
      s.score = -0.2;
    } else if (text.find("MILD") != std::string_view::npos) {
      s.label = Label::neutral;
      s.score = -0.1;
    } else {
      s.label = Label::positive;
      s.score = 0.5;
    }
    s.sentences = {{0, text.size(), s.score, s.label}};
    return s;
  }
};

}  // namespace otklik::test
