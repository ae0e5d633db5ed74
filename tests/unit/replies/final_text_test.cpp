// The check before an agent's text is published.
#include "daemon/replies/final_text.hpp"

#include "tests/unit/replies/book_fixture.hpp"

#include <catch2/catch.hpp>

using namespace otklik::replies;

TEST_CASE("a final text with blanks, deny-list phrases or familiarity may not be posted", "[replies][final]") {
  const ReplyBook book = test::two_topic_book();
  struct Case {
    const char* locale;
    const char* text;
    std::vector<std::string> problems;
  };
  const Case cases[] = {
      {"ru", "Здравствуйте! Деньги вернутся до 12 ноября.", {}},
      {"ru", "Деньги вернутся до [[дата возврата]], номер [[номер]].",
       {"заполните пропуск [[дата возврата]]", "заполните пропуск [[номер]]"}},
      {"ru", "Увы, ЭТО НЕ К НАМ. Обратитесь в поддержку!",
       {"уберите фразу «это не к нам»: она в списке запрещённых",
        "уберите фразу «обратитесь в поддержку»: она в списке запрещённых"}},
      {"ru", "Дружище, ты получишь деньги.", {"фамильярность: «ты»", "фамильярность: «дружище»"}},
      {"ru", "Тыква будет на складе завтра.", {}},
      {"en", "Sorry mate, it is not our responsibility. [[date]]",
       {"fill in the blank [[date]]", "remove the phrase \"not our responsibility\": it is on the deny-list",
        "too familiar: \"mate\""}},
      {"en", "   ", {"the answer is empty"}},
      // A locale without templates: every locale's lists apply.
      {"de", "Это не к нам, buddy.",
       {"уберите фразу «это не к нам»: она в списке запрещённых", "фамильярность: «buddy»"}},
  };
  for (const auto& c : cases) {
    INFO(c.locale << ": " << c.text);
    CHECK(final_text_problems(book, c.locale, c.text) == c.problems);
  }
}
