// Whole-word phrase matching: the deny-list, familiarity and "already said" checks.
#include "daemon/replies/phrase_match.hpp"

#include <catch2/catch.hpp>

using namespace otklik::replies;

TEST_CASE("deny-list phrases match as whole words, any case, ё as е, within one sentence", "[replies][deny]") {
  struct Case {
    const char* text;
    const char* phrase;
    bool found;
  };
  const Case cases[] = {
      {"Это не к нам.", "это не к нам", true},
      {"ЭТО НЕ К НАМ", "это не к нам", true},
      {"Это — не к нам, увы", "это не к нам", true},
      {"это не к намёкам", "это не к нам", false},
      {"Это не. К нам пришли", "это не к нам", false},  // a sentence break in between
      {"это не\nк нам", "это не к нам", false},
      {"Всё хорошо", "все хорошо", true},
      {"все хорошо", "всё хорошо", true},
      {"Ты прав", "ты", true},
      {"Тыква вкусная", "ты", false},
      {"Спасибо, тебе", "тебе", true},
      {"Please contact support.", "please contact support", true},
      {"please contact supporting staff", "please contact support", false},
      {"Hey mate!", "mate", true},
      {"We estimate", "mate", false},
      {"Нам очень жаль, в следующий раз постараемся лучше.", "нам очень жаль, в следующий раз постараемся лучше",
       true},
      {"нам очень жаль в следующий раз постараемся лучше", "нам очень жаль, в следующий раз постараемся лучше",
       true},
      {"что-то", "то", true},  // a hyphen splits words, as in the scorer
      {"anything", "", false},
  };
  for (const auto& c : cases) {
    INFO(c.text << " / " << c.phrase);
    CHECK(find_phrases(c.text, {c.phrase}).empty() == !c.found);
  }
}

TEST_CASE("found phrases are named once each, in the list's order", "[replies][deny]") {
  const std::vector<std::string> list = {"ты", "это не к нам", "дружище"};
  CHECK(find_phrases("Дружище, это не к нам. Ты понял? Ты!", list) ==
        std::vector<std::string>{"ты", "это не к нам", "дружище"});
  CHECK(find_phrases("Вы правы.", list).empty());
}

TEST_CASE("a sentence is already said when its words are in the earlier answer", "[replies][deny]") {
  CHECK(said_in("Благодарим Вас за отзыв.", "Здравствуйте! БЛАГОДАРИМ вас за отзыв! Разберёмся."));
  CHECK(said_in("Разберёмся", "Здравствуйте! Благодарим вас за отзыв! Разберёмся."));
  CHECK_FALSE(said_in("Благодарим Вас за отзыв и за терпение.", "Благодарим вас за отзыв."));
  CHECK_FALSE(said_in("за отзыв", "Благодарим вас за отзывчивость."));
  CHECK_FALSE(said_in("...", "..."));
  CHECK(normalised_words("  Ёлка,  ЁЖ!  ") == "елка еж");
}
