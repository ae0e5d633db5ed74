#pragma once
// Tables of hand-written texts and the label the built-in scorer must give each, shared by the
// rule tests: a failing row names the text, its label, score and reasons.
#include "daemon/sentiment/lexicon_scorer.hpp"

#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

namespace otklik::test {

inline const Scorer& builtin_scorer() {
  static const auto s = make_builtin_scorer();
  return *s;
}

struct LabelCase {
  std::string_view text;
  Label label;
};

/// "term(weight) …" of a result's reasons.
inline std::string explain(const Sentiment& s) {
  std::string why;
  for (const auto& w : s.why) why += w.term + "(" + std::to_string(w.weight) + ") ";
  return why;
}

inline void check_labels(std::initializer_list<LabelCase> cases) {
  for (const LabelCase& c : cases) {
    const auto s = builtin_scorer().score(c.text);
    INFO(c.text << " → " << to_string(s.label) << " " << s.score << " why: " << explain(s));
    CHECK(s.label == c.label);
  }
}

}  // namespace otklik::test
