// Cue bits (cue_words.hpp): every word a sentence-wide rule waits for carries its rule's bit, words
// of no list carry none, and the rules fire in the sentence that holds their words and in no other.
#include "daemon/sentiment/cue_words.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "tests/unit/sentiment/label_table.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace {

namespace rules = otklik::sentiment::rules;
using otklik::test::builtin_scorer;

template <std::size_t N>
void check_list(const rules::WordList<N>& list, std::uint32_t bit) {
  for (const std::string_view w : list.words()) {
    INFO('"' << w << '"');
    CHECK((rules::cue_bits(w) & bit) == bit);
  }
}

bool gives_reason(std::string_view text, std::string_view rule) {
  for (const auto& w : builtin_scorer().score(text).why)
    if (w.term == rule) return true;
  return false;
}

}  // namespace

TEST_CASE("every word a rule waits for carries the rule's cue bit", "[sentiment][cues]") {
  check_list(rules::kWaitCues, rules::kCueWait);
  check_list(rules::kFindCues, rules::kCueFind);
  check_list(rules::kFoodWords, rules::kCueFood);
  check_list(rules::kRepeatCues, rules::kCueRepeat);
  check_list(rules::kRussianDurationUnits, rules::kCueDuration);
  check_list(rules::kEnglishDurationUnits, rules::kCueDuration);
  check_list(rules::kFaultMarkers, rules::kCueMarker);
  check_list(rules::kOtherFaultMarkers, rules::kCueMarker);
  check_list(rules::kSummaryWords, rules::kCueMarker);
  check_list(rules::kSolvedEnglish, rules::kCueSolved);
  check_list(rules::kSolvedRussian, rules::kCueSolved);
  check_list(rules::kSolvedRussianAfter, rules::kCueSolved);
  check_list(rules::kZero, rules::kCueSolved);
  CHECK(rules::cue_bits("still") == (rules::kCueWait | rules::kCueStill));
  CHECK(rules::cue_bits("was") == rules::kCueFind);
}

TEST_CASE("words of no list carry no cue bit", "[sentiment][cues]") {
  for (const std::string_view w : {"", "the", "service", "day", "week", "minute", "waite", "waitedd", "Waited", "stil",
                                   "минуты", "неделя", "раз-два", "итого", "complain", "fix", "0.5", "00"}) {
    INFO('"' << w << '"');
    CHECK(rules::cue_bits(w) == 0);
  }
}

TEST_CASE("a rule fires in the sentence that holds its words, not in the one beside it", "[sentiment][cues]") {
  struct Case {
    std::string_view text;
    std::string_view rule;
    bool fires;
  };
  const Case cases[] = {
      {"We waited two hours for a table.", "long wait", true},
      {"Two hours. We waited.", "long wait", false},  // the wait and its length in two sentences
      {"Found a hair in my salad.", "something in the food", true},
      {"Found a hair in my hat. The salad was cold.", "something in the food", false},
      {"Called them three times about the bill.", "again and again", true},
      {"Called them about the bill. Three. Times.", "again and again", false},
      {"Tracking still hasn't updated in 9 days.", "dragging on for days", true},
      {"Tracking still hasn't updated. 9 days.", "dragging on for days", false},
      {"Ремонт идёт уже второй месяц.", "тянется днями", true},
      {"The app still won't open on my phone.", "still not", true},
      {"The app won't open. Still.", "still not", false},
  };
  for (const Case& c : cases) {
    INFO(c.text << " (" << c.rule << ")");
    CHECK(gives_reason(c.text, c.rule) == c.fires);
  }
}

TEST_CASE("fault lists and solved problems are found through their cue bits", "[sentiment][cues]") {
  // "Минусы:" opens a list of faults: the complaint after it weighs less than alone.
  const double listed = builtin_scorer().score("Минусы: шумно.").score;
  const double alone = builtin_scorer().score("Шумно.").score;
  CHECK(listed > alone);
  // "fixed my issue": a problem said to be solved is no complaint.
  CHECK(builtin_scorer().score("They fixed my issue right away").label != otklik::Label::negative);
  CHECK(builtin_scorer().score("They ignored my issue").label == otklik::Label::negative);
}
