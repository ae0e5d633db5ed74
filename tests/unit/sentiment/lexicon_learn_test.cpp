#include "daemon/sentiment/lexicon_learn.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace otklik::sentiment;
using otklik::Label;

namespace {

constexpr Label N = Label::negative;
constexpr Label U = Label::neutral;
constexpr Label P = Label::positive;

/// One term of an item: entry (term, weight, tags) and its contribution to the item's score.
struct T {
  std::string term;
  double weight;
  double contribution;
  std::uint32_t tags = 0;
};

CorrectionEvidence item(Label gold, Label predicted, const std::vector<T>& terms) {
  CorrectionEvidence e{gold, predicted, {}};
  for (const T& t : terms) e.terms.push_back({{t.term, t.weight, t.tags}, t.contribution});
  return e;
}

std::vector<CorrectionEvidence> times(int n, const CorrectionEvidence& e) {
  return std::vector<CorrectionEvidence>(static_cast<std::size_t>(n), e);
}

std::vector<CorrectionEvidence> join(std::vector<std::vector<CorrectionEvidence>> parts) {
  std::vector<CorrectionEvidence> out;
  for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace

TEST_CASE("learn_weights moves weights toward the team's labels, conservatively", "[sentiment][learn]") {
  struct Case {
    const char* what;
    std::vector<CorrectionEvidence> items;
    std::string term;       // the term expected to change, or "" for none
    double new_weight = 0;
  };
  const T credit{"кредит", -2, -2.4};
  const std::vector<Case> cases = {
      {"a negative term in dismissed alerts is weakened toward neutral: (0 + 4·-2) / (4 + 4)",
       times(4, item(U, N, {credit})), "кредит", -1},
      {"support below the minimum: nothing", times(2, item(U, N, {credit})), "", 0},
      {"no misclassified item: nothing", times(5, item(N, N, {credit})), "", 0},
      {"the step is capped: (3·-10 + 4·-0.5) / 14 = -2.29, but at most 1 away",
       times(10, item(N, U, {{"долго", -0.5, -0.5}})), "долго", -1.5},
      {"never across zero: praise in missed complaints is neutralised, not turned around",
       times(5, item(N, P, {{"быстро", 0.5, 0.6}})), "быстро", 0},
      {"changes below the minimum are left out: (3·-3 + 4·-2.5) / 7 = -2.71",
       join({times(2, item(N, U, {{"ужасный", -2.5, -2.5}})), times(1, item(N, N, {{"ужасный", -2.5, -2.5}}))}),
       "", 0},
      {"negators, boosters and need entries are not learned",
       times(6, item(U, N, {{"не", -1, -1, kTagNegator}, {"очень", 1, 1, kTagBooster}, {"связь", 1, -1, kTagNeed}})),
       "", 0},
      {"a contribution against the entry's sign (negated) is no evidence",
       times(6, item(U, N, {{"хороший", 2, -1.5}})), "", 0},
      {"mixed labels: (3·(2-2) + 4·-1) / (6 + 4) = -0.4",
       join({times(2, item(U, N, {{"комиссия", -1, -1}})), times(2, item(N, N, {{"комиссия", -1, -1}})),
             times(2, item(P, N, {{"комиссия", -1, -1}}))}),
       "комиссия", -0.4},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const LearnResult r = learn_weights(c.items, LearnOptions{});
    CHECK(r.items == c.items.size());
    if (c.term.empty()) {
      CHECK(r.changes.empty());
      continue;
    }
    REQUIRE(r.changes.size() == 1);
    CHECK(r.changes[0].entry.term == c.term);
    CHECK(r.changes[0].new_weight == Approx(c.new_weight).margin(0.005));
  }
}

TEST_CASE("learn_weights counts evidence per item and keeps the best-supported terms", "[sentiment][learn]") {
  // "долг" appears twice in each item (two surface forms of one entry): counted once per item.
  const auto items = join({times(3, item(U, N, {{"долг", -2, -1}, {"долг", -2, -1.2}, {"штраф", -2, -2}})),
                           times(2, item(U, U, {{"штраф", -2, -0.5}})),
                           times(1, item(N, N, {{"долг", -2, -2}}))});
  const LearnResult r = learn_weights(items, LearnOptions{});
  CHECK(r.items == 6);
  CHECK(r.errors == 3);
  REQUIRE(r.changes.size() == 2);
  const LearnedChange& debt = r.changes[0].entry.term == "долг" ? r.changes[0] : r.changes[1];
  CHECK(debt.items == 4);
  CHECK(debt.negative == 1);
  CHECK(debt.neutral == 3);
  CHECK(debt.positive == 0);
  CHECK(debt.errors == 3);
  CHECK(debt.new_weight == Approx((3 * -1.0 + 4 * -2.0) / 8).margin(0.01));

  LearnOptions one;
  one.max_terms = 1;
  const LearnResult capped = learn_weights(items, one);
  REQUIRE(capped.changes.size() == 1);
  CHECK(capped.candidates == 2);
  // Equal errors (3 each): the larger change first — "штраф" (5 neutral items) moves more.
  CHECK(capped.changes[0].entry.term == "штраф");
  CHECK(format_learn_report(capped).find("1 more left out by the limit") != std::string::npos);
}

TEST_CASE("the overlay is a valid lexicon that names terms and counts only", "[sentiment][learn]") {
  const auto items = join({times(4, item(U, N, {{"кредит", -2, -2}})),
                           times(4, item(U, N, {{"bad", -2.5, -2.5, kTagExact | kTagProfanity}}))});
  const LearnResult r = learn_weights(items, LearnOptions{});
  REQUIRE(r.changes.size() == 2);
  const std::string overlay = format_overlay(r, "corrections.tsv");
  std::vector<LexiconIssue> issues;
  const auto lines = parse_lexicon_tsv(overlay, &issues);
  CHECK(issues.empty());
  REQUIRE(lines.size() == 2);
  for (const LexLine& l : lines) {
    CHECK((l.tags & kTagLearned) != 0);
    if (l.term == "bad") {
      CHECK((l.tags & kTagExact) != 0);  // the replaced entry's behaviour is kept
      CHECK((l.tags & kTagProfanity) != 0);
      CHECK(l.weight == Approx(-1.5));  // (4·-2.5) / 8 = -1.25, but at most 1 away
    } else {
      CHECK(l.term == "кредит");
      CHECK(l.weight == Approx(-1));
    }
  }
  CHECK(overlay.find("was -2; 4 items (negative 0, neutral 4, positive 0), 4 misclassified") != std::string::npos);
  CHECK(format_learn_report(r).find("кредит: -2 -> -1") != std::string::npos);
}

TEST_CASE("entry_for_surface finds the lexicon entry behind a why term", "[sentiment][learn]") {
  StemmerSet stemmers;
  std::vector<LexiconIssue> issues;
  Lexicon lex;
  lex.add(parse_lexicon_tsv("ужасный\t-2.5\nне работает\t-2\nbad\t-2.5\texact\nзлой\t-2\n", &issues), "test.tsv",
          stemmers);
  REQUIRE(issues.empty());
  struct Case {
    const char* surface;
    const char* term;  // expected entry, or nullptr
  };
  const std::vector<Case> cases = {
      {"ужасно", "ужасный"},         // by stem
      {"Ужасного", "ужасный"},       // case folded, another form
      {"не работает", "не работает"},  // a phrase
      {"Не работает", "не работает"},
      {"bad", "bad"},                // exact entry
      {"badly", nullptr},            // exact entries do not match other forms
      {"злой", "злой"},              // short Cyrillic stem: exact form
      {"не … ужасно", nullptr},      // a term flipped by a negator further back
      {"long wait", nullptr},        // a rule, no entry
      {"кредит", nullptr},
  };
  for (const Case& c : cases) {
    INFO(c.surface);
    const LexEntry* e = entry_for_surface(lex, stemmers, c.surface);
    if (c.term == nullptr) {
      CHECK(e == nullptr);
    } else {
      REQUIRE(e != nullptr);
      CHECK(e->term == c.term);
    }
  }
}
