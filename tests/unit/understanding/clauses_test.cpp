// Clause splitting: where a complaint's points begin and end, in Russian and English.
#include "daemon/understanding/clause_shape.hpp"
#include "daemon/understanding/clauses.hpp"
#include "daemon/understanding/word_set.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace otklik::understanding;

namespace {

std::vector<std::string> pieces(std::string_view text) {
  std::vector<std::string> out;
  for (const Span& s : split_clauses(text)) {
    REQUIRE(s.begin < s.end);
    REQUIRE(s.end <= text.size());
    out.emplace_back(text.substr(s.begin, s.end - s.begin));
  }
  return out;
}

}  // namespace

TEST_CASE("clauses split where a new point begins", "[understanding][clauses]") {
  struct Case {
    const char* text;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"Нахамил менеджер в отделении, ждал час в очереди, навязали страховку.",
       {"Нахамил менеджер в отделении", "ждал час в очереди", "навязали страховку"}},
      {"Ждал час в очереди; кассир грубил.", {"Ждал час в очереди", "кассир грубил"}},
      {"Деньги списали дважды, а вернуть отказываются", {"Деньги списали дважды", "а вернуть отказываются"}},
      {"Курьер опоздал на два часа, да ещё и нагрубил", {"Курьер опоздал на два часа", "да ещё и нагрубил"}},
      {"Менеджер, который меня обслуживал, был груб", {"Менеджер, который меня обслуживал, был груб"}},
      {"Сказали, что деньги вернут через неделю", {"Сказали, что деньги вернут через неделю"}},
      {"Купил хлеб, молоко, сыр — всё просрочено", {"Купил хлеб, молоко, сыр", "всё просрочено"}},
      {"Отделение на Ленина, 5 работает медленно", {"Отделение на Ленина, 5 работает медленно"}},
      {"Здравствуйте, пишу по поводу кредита.", {"Здравствуйте, пишу по поводу кредита"}},
      {"1) нахамили\n2) ждал час в очереди\n3) навязали страховку",
       {"нахамили", "ждал час в очереди", "навязали страховку"}},
      {"1. Долго ждал.\n2. Не извинились.", {"Долго ждал", "Не извинились"}},
      {"- грязные столы\n- официант хамил\n• еда холодная", {"грязные столы", "официант хамил", "еда холодная"}},
      {"Он сказал (кстати, очень грубо, прямо в лицо), что ничем не поможет",
       {"Он сказал (кстати, очень грубо, прямо в лицо), что ничем не поможет"}},
      {"The courier was two hours late, and the box was crushed.", {"The courier was two hours late", "and the box was crushed"}},
      {"I waited an hour on hold; nobody answered.", {"I waited an hour on hold", "nobody answered"}},
      {"The manager who served me was rude", {"The manager who served me was rude"}},
      {"They said that the refund would come, but it never did",
       {"They said that the refund would come", "but it never did"}},
      {"Hello, I am writing about my order.", {"Hello, I am writing about my order"}},
      {"Очень плохо!!! Никому не советую!", {"Очень плохо", "Никому не советую"}},
      {"Сказал «приходите завтра, всё будет», но ничего не было",
       {"Сказал «приходите завтра, всё будет»", "но ничего не было"}},
      {"Ушёл без покупки, потому что кассир грубил", {"Ушёл без покупки, потому что кассир грубил"}},
      {"Кассир нагрубил – менеджер не извинился", {"Кассир нагрубил", "менеджер не извинился"}},
      {"* нет сдачи\n* касса закрыта", {"нет сдачи", "касса закрыта"}},
      {"Ждал курьера три часа… Никто не позвонил", {"Ждал курьера три часа", "Никто не позвонил"}},
      {"Ужасный сервис, never again, the manager was rude", {"Ужасный сервис", "never again", "the manager was rude"}},
      {"Приложение вылетает, the app crashes every time", {"Приложение вылетает", "the app crashes every time"}},
      {"I left because the cashier was rude", {"I left because the cashier was rude"}},
      {"Ждал 1,5 часа в очереди", {"Ждал 1,5 часа в очереди"}},
      {"Ужас 😡", {"Ужас 😡"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(pieces(c.text) == c.expected);
  }
}

TEST_CASE("a bare and / but / и / а / но splits two clauses, not two words", "[understanding][clauses]") {
  struct Case {
    const char* text;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      // Both sides have a subject and a verb of their own: two points.
      {"My refund never arrived and support keeps sending the same canned reply",
       {"My refund never arrived", "and support keeps sending the same canned reply"}},
      {"The courier was rude and the pizza was cold", {"The courier was rude", "and the pizza was cold"}},
      {"I waited an hour on hold and nobody answered", {"I waited an hour on hold", "and nobody answered"}},
      {"I called twice but they never called back", {"I called twice", "but they never called back"}},
      {"Waited forty minutes and then they lost our order", {"Waited forty minutes", "and then they lost our order"}},
      {"The app crashed and it's been like that for a week", {"The app crashed", "and it's been like that for a week"}},
      {"Ждал курьера три часа а он так и не приехал", {"Ждал курьера три часа", "а он так и не приехал"}},
      {"Заказ привезли помятым и курьер даже не извинился", {"Заказ привезли помятым", "и курьер даже не извинился"}},
      {"Кассир нахамил но менеджер не извинился", {"Кассир нахамил", "но менеджер не извинился"}},
      {"Деньги списали дважды и никто не хочет их вернуть", {"Деньги списали дважды", "и никто не хочет их вернуть"}},
      // One subject, or words rather than clauses: whole.
      {"The staff were fast and friendly", {"The staff were fast and friendly"}},
      {"I waited and waited", {"I waited and waited"}},
      {"They forgot the bread and butter", {"They forgot the bread and butter"}},
      {"They charged me twice and refused a refund", {"They charged me twice and refused a refund"}},
      {"The fries and the burger were cold", {"The fries and the burger were cold"}},
      {"We ordered the soup and the fried chicken", {"We ordered the soup and the fried chicken"}},
      {"I left because the cashier was rude and the queue did not move",
       {"I left because the cashier was rude and the queue did not move"}},
      {"Кассир грубил и кричал на покупателей", {"Кассир грубил и кричал на покупателей"}},
      {"Ждали и ждали", {"Ждали и ждали"}},
      {"Дёшево но невкусно", {"Дёшево но невкусно"}},
      {"Персонал и администратор вели себя нагло", {"Персонал и администратор вели себя нагло"}},
      {"Сказали, что деньги вернут и карту разблокируют", {"Сказали, что деньги вернут и карту разблокируют"}},
      {"Он сказал «приходите завтра и всё будет готово»", {"Он сказал «приходите завтра и всё будет готово»"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(pieces(c.text) == c.expected);
  }
}

TEST_CASE("nothing to split: empty, marks only, list numbers only", "[understanding][clauses]") {
  CHECK(split_clauses("").empty());
  CHECK(split_clauses("   \n\n ").empty());
  CHECK(split_clauses("1. 2. 3.").empty());
  CHECK(split_clauses("!!! ,,, ;;;").empty());
}

TEST_CASE("hostile text stays linear and in bounds", "[understanding][clauses]") {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "ждал час в очереди, кассир грубил; ";
  const auto spans = split_clauses(big);
  CHECK(spans.size() == 40000);
  for (const auto& s : spans) REQUIRE(s.end <= big.size());

  const char raw[] = "плохо\xff\xfe, ужасно\0 обслуживают, никогда больше";
  std::string junk(raw, sizeof raw);
  for (const auto& s : split_clauses(junk)) CHECK(s.end <= junk.size());

  // One sentence of a million commas that never split (single words): still linear.
  std::string commas;
  while (commas.size() < 1'000'000) commas += "хлеб, ";
  const auto one = split_clauses(commas);
  REQUIRE(one.size() == 1);
  CHECK(one[0].begin == 0);

  // A million bare "and"s between words that never make a clause: still linear, one piece.
  std::string ands = "I waited";
  while (ands.size() < 1'000'000) ands += " and waited";
  CHECK(split_clauses(ands).size() == 1);

  std::string emoji;
  for (int i = 0; i < 100000; ++i) emoji += "😡";
  CHECK(split_clauses(emoji).size() <= 1);
}

namespace {
constexpr std::array<std::string_view, 12> kTestWords{"и", "а", "но", "which", "that", "потому", "поскольку",
                                                      "however", "ещё", "x", "да еще", "z"};
}  // namespace

TEST_CASE("listed and its filter answer what comparing with each word answers", "[understanding][clauses]") {
  // The filter turns words away before the set is asked: it must never turn a listed word away.
  // Asked of the listed words, every one-byte change, every prefix and extension of them, words of
  // other scripts, an empty word and a NUL.
  std::vector<std::string> asked = {"", std::string(1, '\0'), "и ", "ии", "whic", "whichh", "Which", "т", "€", "😀"};
  for (const std::string_view w : kTestWords) {
    asked.emplace_back(w);
    for (std::size_t n = 0; n <= w.size(); ++n) asked.emplace_back(w.substr(0, n));
    for (std::size_t i = 0; i < w.size(); ++i)
      for (const unsigned char delta : {1, 2, 0x20, 0x80}) {
        std::string changed(w);
        changed[i] = static_cast<char>(static_cast<unsigned char>(changed[i]) ^ delta);
        asked.push_back(changed);
      }
    asked.push_back(std::string(w) + "а");
  }
  constexpr WordFilter filter = word_filter(kTestWords);
  for (const std::string& w : asked) {
    CAPTURE(w);
    const bool in = std::find(kTestWords.begin(), kTestWords.end(), w) != kTestWords.end();
    CHECK(listed<kTestWords>(w) == in);
    if (in) CHECK(filter.may_hold(w));
  }
}

TEST_CASE("verb shapes of Russian words, whatever letter they end in", "[understanding][clauses]") {
  // russian_shape turns away a word by its last letter before it compares endings: words ending
  // in each letter it looks for, and in others.
  struct Case {
    std::string_view word;
    VerbShape shape;
  };
  const Case cases[] = {
      {"ждал", VerbShape::form},       {"нахамил", VerbShape::form},   {"вернулась", VerbShape::form},
      {"разбилось", VerbShape::form},  {"отказались", VerbShape::form}, {"нахамился", VerbShape::form},
      {"была", VerbShape::form},       {"было", VerbShape::form},       {"ждали", VerbShape::form},
      {"пришли", VerbShape::form},     {"ушла", VerbShape::form},       {"помогла", VerbShape::form},
      {"привезли", VerbShape::form},   {"говорит", VerbShape::form},    {"молчат", VerbShape::form},
      {"отвечают", VerbShape::form},   {"врут", VerbShape::form},       {"ждет", VerbShape::form},
      {"разбирается", VerbShape::form}, {"не", VerbShape::marker},      {"нет", VerbShape::marker},
      {"есть", VerbShape::marker},     {"персонал", VerbShape::none},   {"ответ", VerbShape::none},
      {"стол", VerbShape::none},       {"банкомат", VerbShape::none},   {"очередь", VerbShape::none},
      {"деньги", VerbShape::none},     {"быстро", VerbShape::none},     {"клиент", VerbShape::none},
      {"банк", VerbShape::none},       {"карту", VerbShape::none},      {"хороший", VerbShape::none},
      {"деньгами", VerbShape::none},   {"русская", VerbShape::none},    {"русские", VerbShape::none},
      {"л", VerbShape::none},          {"т", VerbShape::none},          {"ждалx", VerbShape::none},
      {"was", VerbShape::marker},      {"arrived", VerbShape::form},    {"the", VerbShape::none},
  };
  for (const Case& c : cases) {
    CAPTURE(c.word);
    CHECK(verb_shape(c.word) == c.shape);
  }
}
