// Russian social posts and customer complaints (issue 19, second round): hand-written tables for
// the laughter recogniser and for the vocabulary of feelings, insults, slang, faults and requests.
#include "daemon/sentiment/engine.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "tests/unit/sentiment/label_table.hpp"
#include "daemon/sentiment/rules_internal.hpp"

#include <catch2/catch.hpp>

#include <string>

using otklik::Label;
using otklik::test::builtin_scorer;
using otklik::test::check_labels;
using otklik::test::explain;
using Case = otklik::test::LabelCase;

TEST_CASE("Russian laughter is recognised at any length", "[sentiment][ru_social]") {
  using otklik::sentiment::rules::russian_laughter;
  struct Word {
    std::string_view norm;
    bool laughter;
  };
  for (const Word& w : std::initializer_list<Word>{
           {"ахах", true},
           {"хаха", true},
           {"ахахахах", true},
           {"хахахахаха", true},
           {"ахаххаха", true},
           {"ахха", true},
           {"пхахах", true},
           {"бахаха", true},
           {"ах", false},      // a sigh
           {"аха", false},     // "I see"
           {"хах", false},     // too short to tell
           {"ахаа", false},    // one «х»: a drawn-out «аха»
           {"хата", false},    // a word with other letters
           {"пах", false},
           {"ахахаб", false},  // a letter after the laugh
           {"", false},
           {"haha", false},    // Latin: the lexicon's own entry
       }) {
    INFO(w.norm);
    CHECK(russian_laughter(w.norm) == w.laughter);
  }
}

TEST_CASE("laughter praises alone and is no praise inside a complaint", "[sentiment][ru_social]") {
  check_labels({
      {"ахахахах, вот это номер", Label::positive},
      {"хахахаха", Label::positive},
      {"пхахахах", Label::positive},
      {"Списали деньги дважды ахахахах", Label::negative},
      {"Опять не работает приложение хахахаха", Label::negative},
  });
}

TEST_CASE("general negative vocabulary of social posts", "[sentiment][ru_social]") {
  check_labels({
      {"Подонки, украли кошелек", Label::negative},
      {"Ппц, опять всё зависло", Label::negative},
      {"Заболела, лежу с температурой", Label::negative},
      {"Одиноко и тоскливо этой зимой", Label::negative},
      {"Скорбим, светлая память", Label::negative},
      {"Не смешно", Label::negative},
      {"Пошел ты со своими акциями", Label::negative},
      {"Какое-то днище, а не сервис", Label::negative},
      {"Вынос мозга с этой поддержкой", Label::negative},
      {"Жить не хочется после такого банка", Label::negative},
      // A cold, not the adjective «простой» (the stems meet).
      {"Вчера простыл", Label::negative},
      {"Простой интерфейс", Label::neutral},
  });
}

TEST_CASE("reproaching questions", "[sentiment][ru_social]") {
  check_labels({
      {"Ну почему это всегда со мной", Label::negative},
      {"Почему до сих пор нет ответа?", Label::negative},
      {"Надоели, сколько еще ждать", Label::negative},
      // A dare and a request for help are no complaints.
      {"А тебе слабо?", Label::neutral},
      {"Помогите найти зарядку", Label::neutral},
  });
}

TEST_CASE("faults of goods, food, cars and networks told in plain words", "[sentiment][ru_social]") {
  check_labels({
      {"Терминал сожрал карту", Label::negative},
      {"Интернет еле ловит", Label::negative},
      {"Мясо подали сырое", Label::negative},
      {"Двигатель стуканул на 80 тысячах", Label::negative},
      {"Не машина, а ведро с болтами", Label::negative},
      {"Обвесили на рынке", Label::negative},
      {"Кассир обсчитал, пробили дважды", Label::negative},
      {"Ждём уже сорок минут", Label::negative},
      {"Официант хамло", Label::negative},
  });
}

TEST_CASE("praise of social posts and short replies", "[sentiment][ru_social]") {
  check_labels({
      {"Сбер, красавцы!", Label::positive},
      {"Ресторан шикарен", Label::positive},
      {"Удачи на экзамене!", Label::positive},
      {"Сходите, не пожалеешь", Label::positive},
      {"Наконец-то починили интернет", Label::positive},
      {"Обажаю эту кофейню", Label::positive},
      {"Деньги пришли за минуту", Label::positive},
      {"Связь наладилась, так держать", Label::positive},
      // The same words with a fault or a negation between them are no praise.
      {"Всё работает через раз", Label::negative},
      {"Деньги так и не пришли", Label::negative},
  });
}

TEST_CASE("«не могу …» that praises", "[sentiment][ru_social]") {
  check_labels({
      {"Не могу нарадоваться на машину", Label::positive},
      {"Не могу дождаться выходных", Label::positive},
      {"Не могу не отметить отличный сервис", Label::positive},
      {"Не могу не отметить хамство персонала", Label::negative},
      // Without the praise after it, «не могу» stays a complaint.
      {"Не могу войти в приложение, не могу", Label::negative},
  });
}

TEST_CASE("faces drawn with eyes, and a lone sad bracket", "[sentiment][ru_social]") {
  check_labels({
      {"Опять забанили Т_Т", Label::negative},
      {"ну вот т_т", Label::negative},
      {"Забанен >_<", Label::negative},
      {"Спасибо за подарок ^_^", Label::positive},
      {"Привет ^^", Label::positive},
      {"Какая красота *_*", Label::positive},
      {"Опять дежурство в выходной, как всегда(", Label::negative},
      {"не кричи( соседи услышат", Label::negative},
      // Must not change: a bracket closed later on its line is a parenthesis, whatever the spaces.
      {"Отделение ( на Ленина) работает до семи", Label::neutral},
      {"Кресло( то, что у окна) продаю", Label::neutral},
      // Must not change: no face without both eyes, nor inside a word.
      {"Т_тестовый режим", Label::neutral},
      {"переменная a^_^b", Label::neutral},
  });
}

TEST_CASE("obscenity and insults of social posts", "[sentiment][ru_social]") {
  check_labels({
      {"Да пошли они все на хуй с такими ценами", Label::negative},
      {"Она шлюха и врунья", Label::negative},
      {"В магазине наебали со сдачей", Label::negative},
      {"Он опять выебывается перед всеми", Label::negative},
      {"Опять лагает, блеать", Label::negative},
      {"Ни хрена не работает", Label::negative},
      {"Мне насрать на твоё мнение", Label::negative},
      // Must not change: words that share letters with them.
      {"Поехали на хутор", Label::neutral},
      {"Запись на педикюр", Label::neutral},
      {"Купил сосиски", Label::neutral},
  });
}

TEST_CASE("loneliness, despair and bad luck", "[sentiment][ru_social]") {
  check_labels({
      {"Чувствую, что никому не нужна в этом городе", Label::negative},
      {"Вечером даже поговорить не с кем", Label::negative},
      {"У меня черная полоса с самого января", Label::negative},
      {"После таких новостей хочется умереть", Label::negative},
      {"Сплошная невезуха", Label::negative},
      {"На парах скукота", Label::negative},
      {"Нам хана", Label::negative},
      {"Сосед, ты меня бесишь своей музыкой", Label::negative},
  });
}

TEST_CASE("praise slang and affection of social posts", "[sentiment][ru_social]") {
  check_labels({
      {"Вратарь сегодня красава", Label::positive},
      {"Тащусь от этого сериала", Label::positive},
      {"Щенки такие няшки", Label::positive},
      {"Концерт был ахуенный", Label::positive},
      {"Сестра, горжусь твоей победой", Label::positive},
      {"Новая прошивка — круть", Label::positive},
      // Must not change: carbon monoxide is no fun, and dragging is not delight.
      {"Угарный газ опасен", Label::neutral},
      {"Тащить коробки на пятый этаж", Label::neutral},
  });
}

TEST_CASE("set phrases, requests and praise said with a negation", "[sentiment][ru_social]") {
  check_labels({
      {"Нет ничего лучше, чем просыпаться дома", Label::positive},
      {"Ржу не могу с этого видео", Label::positive},
      {"Не могу не поделиться этим рецептом", Label::neutral},
      {"Ставьте лайк, если согласны", Label::neutral},
      {"В первую очередь прочитайте правила", Label::neutral},
      {"Ночью разводят мосты", Label::neutral},
      {"Вечером играли в дурака на кухне", Label::neutral},
      {"Новый обвес на машину", Label::neutral},  // a body kit, not «обвесили»
      // Must not change: the fault words of these phrases still count alone.
      {"На рынке обвесили", Label::negative},
      {"Три часа в очереди", Label::negative},
      {"Нас развели на деньги", Label::negative},
  });
}

TEST_CASE("everyday misfortunes", "[sentiment][ru_social]") {
  check_labels({
      {"Вчера утопил телефон в озере", Label::negative},
      {"Вывихнул руку на тренировке", Label::negative},
      {"От этой песни хочется плакать", Label::negative},
      {"Он разбил мне сердце", Label::negative},
      {"Опять проспала", Label::negative},
      {"Жарища и духота", Label::negative},
      // Must not change: a mountain, not grief.
      {"Монастырь на горе Афон", Label::neutral},
  });
}

TEST_CASE("stems that met unrelated words", "[sentiment][ru_social]") {
  check_labels({
      {"Будем снимать фильм про школу", Label::neutral},  // to film, not «сняли деньги»
      {"Солнышко греет", Label::neutral},                 // warms, not «роутер греется»
      {"Обещаю позвонить завтра", Label::neutral},
      {"Купил наконец гитару, мечта идиота сбылась", Label::positive},
      {"Это греет душу", Label::positive},
      // Must not change: the customer's forms still complain.
      {"С карты сняли комиссию", Label::negative},
      {"Роутер греется как утюг", Label::negative},
      {"Обещали перезвонить и пропали", Label::negative},
  });
}

TEST_CASE("the grin :D counts, and a lone letter d does not", "[sentiment][ru_social]") {
  check_labels({
      {"Кот смешно чихает :D", Label::positive},
      {"Торт удался :DD", Label::positive},
      // Must not change: the letter alone is no face (it weighed +2.2 while ":D" never matched).
      {"Вариант d", Label::neutral},
      {"Plan D", Label::neutral},
  });
}

TEST_CASE("a smile beside a mild trouble keeps half its weight in Russian", "[sentiment][ru_social]") {
  check_labels({
      // Changed: one mild trouble and a smile is a joke, no complaint.
      {"Боюсь завтрашнего экзамена :)", Label::neutral},
      {"Ну вот, опять дождь)))", Label::neutral},
      {"Сессия, блин)))", Label::neutral},
      {"Трудный денёк выдался)))", Label::neutral},
      // Must not change: a clear complaint's smile or laughter is bitter.
      {"Привезли не то, ещё и холодную)))", Label::negative},
      {"Курьер опоздал на час :)", Label::negative},
      {"Опять сломался лифт)))", Label::negative},
      {"Списали деньги дважды ахахахах", Label::negative},
      // Must not change: thanks in a mild complaint, and English smiles and laughter.
      {"Спасибо, опять завис", Label::negative},
      {"Stuck in traffic again :)", Label::negative},
      {"Late again lol", Label::negative},
  });
  struct Pair {
    std::string_view with;     ///< a text with thanks, a smile or laughter
    std::string_view without;  ///< the same text without it
    bool raises;               ///< whether the addition raises the score
  };
  const auto& s = builtin_scorer();
  for (const Pair& p : std::initializer_list<Pair>{
           {"Сессия, блин)))", "Сессия, блин", true},
           {"Боюсь завтрашнего экзамена :)", "Боюсь завтрашнего экзамена", true},
           {"Трудный денёк выдался, ахахах", "Трудный денёк выдался", true},
           {"Привезли не то, ещё и холодную)))", "Привезли не то, ещё и холодную", false},
           {"Опять сломался лифт ахахах", "Опять сломался лифт", false},
           {"Спасибо, опять завис", "Опять завис", false},
           {"Stuck in traffic again :)", "Stuck in traffic again", false},
       }) {
    const double with = s.score(p.with).score;
    const double without = s.score(p.without).score;
    INFO(p.with << " " << with << " vs " << p.without << " " << without);
    CHECK((with > without) == p.raises);
  }
}
