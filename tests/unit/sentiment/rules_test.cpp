// Tables of hand-written sentences, one table per rule, in Russian and English.
#include "daemon/sentiment/lexicon_scorer.hpp"

#include <catch2/catch.hpp>

#include <string>

using otklik::Label;

namespace {

const otklik::Scorer& scorer() {
  static const auto s = otklik::make_builtin_scorer();
  return *s;
}

struct Case {
  std::string_view text;
  Label label;
};

void check_table(std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    const auto s = scorer().score(c.text);
    std::string why;
    for (const auto& w : s.why) why += w.term + "(" + std::to_string(w.weight) + ") ";
    INFO(c.text << " → " << otklik::to_string(s.label) << " " << s.score << " why: " << why);
    CHECK(s.label == c.label);
  }
}

double score(std::string_view text, std::optional<double> rating = std::nullopt) {
  return scorer().score(text, rating).score;
}

}  // namespace

TEST_CASE("negation flips, asymmetrically, both ways", "[sentiment]") {
  check_table({
      {"Сервис хороший", Label::positive},
      {"Сервис не хороший", Label::negative},
      {"Не понравилось обслуживание", Label::negative},
      {"The staff were not helpful", Label::negative},
      {"I didn't think the manual was helpful at all", Label::negative},
      {"The food was good", Label::positive},
      {"The food wasn't good", Label::negative},
      {"Никогда не обманывали", Label::positive},
  });
  // A negated negative is only weakly positive; a negated positive is a real negative.
  CHECK(score("не плохой") > 0);
  CHECK(score("не плохой") < score("хороший"));
  CHECK(score("не хороший") < 0);
  CHECK(std::abs(score("не хороший")) > std::abs(score("не плохой")));
  CHECK(score("not bad at all") > 0);
}

TEST_CASE("fused negatives and multiword expressions", "[sentiment]") {
  check_table({
      {"Неплохо", Label::positive},
      {"Она недовольна обслуживанием", Label::negative},
      {"Я недоволен", Label::negative},
      {"Всё прошло без проблем", Label::positive},
      {"Обслуживание не очень", Label::negative},
      {"Спасибо за ничего", Label::negative},
      {"Ни разу не подвёл", Label::positive},
      {"Качество оставляет желать лучшего", Label::negative},
      {"not bad", Label::positive},
      {"Thanks for nothing", Label::negative},
      {"I would not recommend this bank", Label::negative},
      {"Would not recommend", Label::negative},
      {"It leaves a lot to be desired", Label::negative},
  });
  CHECK(score("не очень хороший") < 0);
  CHECK(score("не очень хороший") > score("плохой"));
}

TEST_CASE("intensifiers and diminishers, damped with distance", "[sentiment]") {
  CHECK(score("очень хороший") > score("хороший"));
  CHECK(score("немного плохой") > score("плохой"));
  CHECK(score("extremely bad") < score("bad"));
  CHECK(score("slightly bad") > score("bad"));
  CHECK(score("very very good food") > score("good food"));
  // The further the booster, the less it adds.
  CHECK(score("очень хороший") > score("очень вроде хороший"));
}

TEST_CASE("contrast: the clause after but weighs more", "[sentiment]") {
  check_table({
      {"Еда вкусная, но официант нахамил", Label::negative},
      {"Официант нахамил, но еда вкусная и уютно", Label::positive},
      {"The room was nice but the staff were rude", Label::negative},
      {"Очереди большие, зато сотрудники вежливые и быстро помогли", Label::positive},
      {"Хотя интерьер красивый, еда ужасная", Label::negative},
      {"Although the price was good, the food was awful", Label::negative},
      {"Отличное место. Однако персонал хамит", Label::negative},
  });
}

TEST_CASE("emphasis: CAPS, exclamation marks and repeated letters", "[sentiment]") {
  CHECK(score("сервис УЖАСНЫЙ") < score("сервис ужасный"));
  CHECK(score("ужасный сервис!!!") < score("ужасный сервис"));
  CHECK(score("ужаааасный сервис") < score("ужасный сервис"));
  CHECK(score("sooo good") > score("so good") - 0.001);
  CHECK(score("good!!") > score("good"));
  // Shouting in every word does not count as emphasis of one word.
  CHECK(scorer().score("ВСЁ ХОРОШО").label == Label::positive);
}

TEST_CASE("questions are damped", "[sentiment]") {
  CHECK(score("Хороший банк?") < score("Хороший банк"));
  CHECK(score("Is it good?") < score("It is good"));
  CHECK(scorer().score("Почему опять не работает интернет?").label == Label::negative);
}

TEST_CASE("sarcasm patterns and politeness inside complaints", "[sentiment]") {
  check_table({
      {"Ну спасибо, опять списали деньги", Label::negative},
      {"Спасибо, деньги так и не вернули", Label::negative},
      {"Браво, опять нет связи", Label::negative},
      {"Thanks for nothing, the refund never came", Label::negative},
      {"Спасибо большое за помощь!", Label::positive},
      {"Thank you for the quick help", Label::positive},
      {"«Отличный» сервис: ждали час", Label::negative},
  });
}

TEST_CASE("warnings: a negated imperative", "[sentiment]") {
  check_table({
      {"Не покупайте здесь ничего", Label::negative},
      {"Не ведитесь на рекламу", Label::negative},
      {"Don't order the fish", Label::negative},
      {"Do not buy this phone", Label::negative},
      {"Never go there", Label::negative},
      {"Don't miss it!", Label::positive},
  });
}

TEST_CASE("customer-service vocabulary", "[sentiment]") {
  check_table({
      {"В отделении нахамили", Label::negative},
      {"Навязали страховку при кредите", Label::negative},
      {"С карты списали деньги", Label::negative},
      {"Заблокировали карту без объяснений", Label::negative},
      {"Час не дозвониться до поддержки", Label::negative},
      {"Весь день перекидывали с одного оператора на другого", Label::negative},
      {"Сказали «это не ко мне» и ушли", Label::negative},
      {"Кинули на деньги, мошенники", Label::negative},
      {"Ответ — отписка", Label::negative},
      {"The agent was rude", Label::negative},
      {"Got a canned reply again", Label::negative},
      {"I was on hold for an hour", Label::negative},
      {"They charged twice and there is no refund", Label::negative},
      {"Never again", Label::negative},
  });
}

TEST_CASE("profanity and insults are strong negatives", "[sentiment]") {
  check_table({
      {"Банк — говно", Label::negative},
      {"Операторы дебилы", Label::negative},
      {"This service sucks", Label::negative},
      {"What a bunch of idiots", Label::negative},
      {"Охуенно быстро всё сделали", Label::positive},
  });
}

TEST_CASE("emoji and emoticons", "[sentiment]") {
  check_table({
      {"😡😡😡", Label::negative},
      {"👍", Label::positive},
      {"Получил карту :)", Label::positive},
      {"Опять не работает :(", Label::negative},
      {"Спасибо)))", Label::positive},
      {"Интернета нет(((", Label::negative},
      {"Love it ❤️", Label::positive},
  });
  // Emoji are not negated, and a lone bracket is no smile in English.
  CHECK(score("не 👍") > 0);
  CHECK(score("fine (see below)") == score("fine see below"));
}

TEST_CASE("star ratings fuse with the text", "[sentiment]") {
  const std::string_view plain = "Заказ доставили";
  CHECK(scorer().score(plain).label == Label::neutral);
  CHECK(scorer().score(plain, 1.0).label == Label::negative);
  CHECK(scorer().score(plain, 2.0).label == Label::negative);
  CHECK(scorer().score(plain, 5.0).label == Label::positive);
  CHECK(scorer().score("Неплохо", 2.0).label == Label::negative);  // 1–2 stars win over mild praise
  CHECK(scorer().score("Превосходно, лучший магазин, всем рекомендую!", 2.0).label == Label::positive);
  CHECK(scorer().score("Ужасно, обманули", 5.0).label == Label::negative);
  const auto rated = scorer().score(plain, 1.0);
  REQUIRE_FALSE(rated.why.empty());
  CHECK(rated.why.front().term.find("rating") == 0);
}

TEST_CASE("negating prefixes turn praise around", "[sentiment]") {
  check_table({
      {"Фильм неинтересный и бесполезный", Label::negative},
      {"Совершенно неинтересный фильм", Label::negative},
      {"Суп безвкусный", Label::negative},
      {"The plot was uninteresting", Label::negative},
  });
  CHECK(score("Совершенно неинтересный фильм") < 0);
}

TEST_CASE("a missing thing in a review is a complaint", "[sentiment]") {
  check_table({
      {"No plot whatsoever", Label::negative},
      {"There was no chemistry between them", Label::negative},
      {"No problem at all, thanks", Label::positive},
      {"No doubt the best pizza in town", Label::positive},
  });
}

TEST_CASE("verdicts sum up a review", "[sentiment]") {
  const std::string_view long_negative =
      "Интерьер красивый. Музыка приятная. Официанты вежливые. Десерты вкусные. Больше не пойдём.";
  CHECK(scorer().score(long_negative).label == Label::negative);
  check_table({
      {"Советую не брать эту машину", Label::negative},
      {"Рекомендую поменять шины сразу", Label::neutral},
      {"Рекомендую!", Label::positive},
      {"We will be back", Label::positive},
      {"I recommend not buying it", Label::negative},
  });
}

TEST_CASE("quoted names are not praise, quoted praise in a complaint is irony", "[sentiment]") {
  check_table({
      {"Банк запустил вклад «Выгодный»", Label::positive},  // "запустил" only
      {"Тариф «Отличный» теперь в каждом салоне", Label::neutral},
      {"«Отличный» сервис: ждали час и нахамили", Label::negative},
  });
}

TEST_CASE("short Cyrillic stems match exact forms only", "[sentiment]") {
  // "запах" stems to "зап": it must not catch "запуск", "запустил".
  CHECK(scorer().score("Сбербанк запуск").label == Label::neutral);
  CHECK(scorer().score("Неприятный запах").label == Label::negative);
}

TEST_CASE("what a customer needs counts only when it is missing", "[sentiment]") {
  check_table({
      {"Связь в метро", Label::neutral},
      {"Нет мобильного интернета", Label::negative},
      {"Вчера не могла никому дозвониться", Label::negative},
      {"Без связи с утра", Label::negative},
      {"Связь отличная", Label::positive},
  });
}
