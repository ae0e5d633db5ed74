// WordList (rules_internal.hpp): the filtered word lists of the sentence-wide rules must answer
// exactly what a compare with each listed word answers, for listed words, near misses (same
// length, same first or last byte, a prefix or an extension) and words of other scripts.
#include "daemon/sentiment/rules_internal.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace {

using otklik::sentiment::rules::one_of;
using otklik::sentiment::rules::word_list;

constexpr auto kMixed = word_list("calls", "emails", "times", "раз", "раза", "дважды", "up", "all", "overall", "a");

bool linear(std::string_view w) {
  for (const std::string_view x : {"calls", "emails", "times", "раз", "раза", "дважды", "up", "all", "overall", "a"})
    if (w == x) return true;
  return false;
}

}  // namespace

TEST_CASE("a WordList holds exactly its words", "[sentiment][word_list]") {
  std::vector<std::string> words = {"calls", "emails", "times", "раз", "раза", "дважды", "up", "all", "overall", "a",
                                    "",      "b",      "call",  "callz", "xalls", "emailss", "time", "tim",  "раз ",
                                    "разы",  "рaз",    "дважд", "дваждыы", "UP", "ups", "al", "alll", "overalls",
                                    "verall", "\xFF"};
  words.emplace_back("a\0", 2);  // a NUL after a listed word
  // Every listed word with one byte changed at each position, and cut at each length.
  for (const std::string_view w : {"calls", "emails", "times", "раз", "раза", "дважды", "up", "all", "overall"}) {
    for (std::size_t i = 0; i < w.size(); ++i) {
      std::string changed(w);
      changed[i] = static_cast<char>(changed[i] + 1);
      words.push_back(changed);
      words.emplace_back(w.substr(0, i));
    }
  }
  for (const std::string& w : words) {
    INFO('"' << w << '"');
    CHECK(one_of(w, kMixed) == linear(w));
  }
  CHECK(one_of("emails", kMixed));
  CHECK_FALSE(one_of("email", kMixed));
}
