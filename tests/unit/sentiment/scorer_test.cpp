#include "daemon/config/config.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "tests/support/catch_result.hpp"

#include <filesystem>
#include <fstream>
#include <thread>

using otklik::Label;
using otklik::Lang;

namespace {

const otklik::Scorer& scorer() {
  static const auto s = otklik::make_builtin_scorer();  // immutable once built
  return *s;
}

std::filesystem::path temp_file(const std::string& name, const std::string& content) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("otklik-sentiment-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::create_directories(dir);
  const auto path = dir / "extra.tsv";
  std::ofstream(path) << content;
  return path;
}

}  // namespace

TEST_CASE("labels and languages print and parse", "[sentiment]") {
  for (const Label l : {Label::negative, Label::neutral, Label::positive})
    CHECK(otklik::parse_label(otklik::to_string(l)) == l);
  for (const Lang l : {Lang::automatic, Lang::ru, Lang::en, Lang::other})
    CHECK(otklik::parse_lang(otklik::to_string(l)) == l);
  CHECK_FALSE(otklik::parse_label("mixed"));
  CHECK_FALSE(otklik::parse_lang("de"));
}

TEST_CASE("the scorer gives label, score, confidence, sentences and why", "[sentiment]") {
  const std::string text = "Отличный банк. Но в отделении нахамили!";
  const auto s = scorer().score(text);
  CHECK(s.label == Label::negative);
  CHECK(s.score < 0);
  CHECK(s.score >= -1);
  CHECK(s.confidence > 0);
  CHECK(s.confidence <= 1);
  CHECK(s.lang == Lang::ru);
  REQUIRE(s.sentences.size() == 2);
  CHECK(text.substr(s.sentences[0].begin, s.sentences[0].end - s.sentences[0].begin) == "Отличный банк.");
  CHECK(text.substr(s.sentences[1].begin, s.sentences[1].end - s.sentences[1].begin) ==
        "Но в отделении нахамили!");
  CHECK(s.sentences[0].label == Label::positive);
  CHECK(s.sentences[1].label == Label::negative);
  REQUIRE_FALSE(s.why.empty());
  CHECK(s.why.front().term == "нахамили");
  CHECK(s.why.front().weight < 0);
  for (std::size_t i = 1; i < s.why.size(); ++i)
    CHECK(std::abs(s.why[i - 1].weight) >= std::abs(s.why[i].weight));
}

TEST_CASE("empty and sentiment-free texts are neutral", "[sentiment]") {
  for (const std::string_view text : {"", "   ", "Сбербанк открыл отделение на Ленина", "The bank opened at 9"}) {
    const auto s = scorer().score(text);
    INFO(text);
    CHECK(s.label == Label::neutral);
    CHECK(s.score == 0);
    CHECK(s.why.empty());
  }
}

TEST_CASE("scoring is deterministic and safe from several threads", "[sentiment]") {
  const std::string a = "Ужасный сервис, деньги не вернули, больше никогда!!!";
  const std::string b = "Great food, friendly staff, would come back :)";
  const auto ra = scorer().score(a);
  const auto rb = scorer().score(b);
  CHECK(scorer().score(a) == ra);
  bool same = true;
  auto work = [&](const std::string& text, const otklik::Sentiment& expected, bool& ok) {
    for (int i = 0; i < 2000; ++i) ok = ok && scorer().score(text) == expected;
  };
  bool ok1 = true;
  bool ok2 = true;
  std::thread t1(work, std::cref(a), std::cref(ra), std::ref(ok1));
  std::thread t2(work, std::cref(b), std::cref(rb), std::ref(ok2));
  t1.join();
  t2.join();
  CHECK(same);
  CHECK(ok1);
  CHECK(ok2);
  CHECK(ra.label == Label::negative);
  CHECK(rb.label == Label::positive);
}

TEST_CASE("extra lexicon files add to and override the built-in ones", "[sentiment]") {
  const auto path = temp_file("override", "# comment\nхороший\t-3\t\tthis project's own reading\nблагодать\t3\n");
  otklik::SentimentConfig cfg;
  cfg.lexicons = {"extra.tsv"};
  auto made = otklik::make_lexicon_scorer(cfg, path.parent_path());
  REQUIRE(made);
  const auto& s = **made;
  CHECK(s.score("Хороший банк").label == Label::negative);
  CHECK(s.score("Благодать").label == Label::positive);
  CHECK(scorer().score("Хороший банк").label == Label::positive);
  std::filesystem::remove_all(path.parent_path());
}

TEST_CASE("bad extra lexicon files and languages are reported", "[sentiment]") {
  otklik::SentimentConfig cfg;
  cfg.lexicons = {"/nonexistent/otklik/lexicon.tsv"};
  auto missing = otklik::make_lexicon_scorer(cfg, "/");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == otklik::errc::io_error);

  const auto path = temp_file("malformed", "хорошо\tmany\n");
  cfg.lexicons = {path.string()};
  auto malformed = otklik::make_lexicon_scorer(cfg, "/");
  REQUIRE_FALSE(malformed);
  CHECK(malformed.error().code == otklik::errc::invalid_input);
  CHECK(malformed.error().detail.find(":1:") != std::string::npos);
  std::filesystem::remove_all(path.parent_path());

  otklik::SentimentConfig bad_lang;
  bad_lang.lang = "de";
  CHECK_FALSE(otklik::make_lexicon_scorer(bad_lang, "/"));
}

// Hand-written Russian review sentences (cars, restaurants, service): the review vocabulary of
// ru.tsv — complaint and fault words, fused negatives, phrases, praise and verdicts.
TEST_CASE("Russian review vocabulary: complaints, faults and praise", "[sentiment][ru]") {
  struct Case {
    std::string_view text;
    Label label;
  };
  const Case cases[] = {
      {"Через год начались поломки: вышел из строя генератор, потом сдох стартер.", Label::negative},
      {"Кузов ржавеет, пластик дребезжит, печка не греет.", Label::negative},
      {"Машина капризная, зимой не заводится, коробка дёргается.", Label::negative},
      {"Салон тесноват, шумоизоляция никакая, расход большой.", Label::negative},
      {"Официант перепутал заказ, суп принесли холодным.", Label::negative},
      {"Ждали больше часа, про нас забыли, даже не извинились.", Label::negative},
      {"Мясо резиновое, салат заветренный, хлеб чёрствый.", Label::negative},
      {"Сервис на нуле, персонал неприветливый и нерасторопный.", Label::negative},
      {"Остался неприятный осадок, туда больше не пойдём.", Label::negative},
      {"Ожидали большего, восторга не вызвало.", Label::negative},
      {"Деньги потрачены впустую, пустая трата времени.", Label::negative},
      {"Недоработка на недоработке, всё сделано топорно.", Label::negative},
      {"Машина неприхотливая и экономичная, за три года ни одной поломки.", Label::positive},
      {"За пять лет никогда не подводила.", Label::positive},
      {"Никаких нареканий, доволен покупкой.", Label::positive},
      {"Официанты расторопные и доброжелательные, кухня отменная.", Label::positive},
      {"Уютненько, порции большие, цены адекватные.", Label::positive},
      {"Превзошло все ожидания, обязательно вернёмся ещё не раз.", Label::positive},
      {"Долго ждать не пришлось, всё принесли горячим.", Label::positive},
      {"Запчасти недорогие, расход небольшой, в целом доволен.", Label::positive},
      {"Машина надёжная и экономичная. Из минусов — жёсткая подвеска. В целом доволен.", Label::positive},
      {"Раньше было вкуснее, повар уже не тот, есть места получше.", Label::negative},
      {"Списали деньги дважды, в поддержке кормят завтраками.", Label::negative},
      {"Оператор вежливо всё объяснил, вопрос решили за пять минут.", Label::positive},
      {"Приложение постоянно вылетает и выдаёт ошибку.", Label::negative},
      {"Интернет летает, связь ловит везде.", Label::positive},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(scorer().score(c.text).label == c.label);
  }
}

// Words whose Snowball stem is shared with an evaluative lemma must not pick up its weight.
TEST_CASE("Russian stem look-alikes of evaluative words stay neutral", "[sentiment][ru]") {
  struct Case {
    std::string_view text;
    std::string_view word;  // the look-alike, as written in the text
  };
  const Case cases[] = {
      {"Машина уверенно держит дорогу.", "дорогу"},                   // дорогой (expensive) / дорога
      {"Заменил тормоза и колодки.", "тормоза"},                      // тормозит (lags) / тормоза
      {"В общих чертах расскажу о машине.", "чертах"},                // чёрт / черты
      {"Подводя итог, расскажу про салон.", "Подводя"},               // подводит / подводить итог
      {"Руль приходится крутить двумя руками.", "крутить"},           // круто (cool) / крутить
      {"Берегите здоровье.", "здоровье"},                             // здорово (great) / здоровье
      {"Как вы понимаете, это седан.", "понимаете"},                  // понимающий / понимать
      {"Мне досталась машина от отца.", "досталась"},                 // достало (fed up) / достаться
      {"Накрутил сто тысяч километров.", "Накрутил"},                 // накрутили (overcharged) / пробег
      {"Страна выпуска — Корея.", "Страна"},                          // странный (strange) / страна
      {"Совет директоров банка собрался в пятницу.", "Совет"},        // советую (I recommend) / совет
      {"Добрый день! Пишу про свою машину.", "Добрый"},               // добрый (kind) / greeting
      {"Благодаря новому мотору расход стал меньше.", "Благодаря"},   // благодарю / благодаря
      {"Пусть машина постоит в гараже.", "Пусть"},                    // пустой (empty) / пусть
      {"Мастерская работает до семи.", "Мастерская"},                 // мастерски / мастерская
      {"Служба безопасности банка позвонила.", "безопасности"},      // безопасный / безопасность
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const auto s = scorer().score(c.text);
    CHECK(s.label != Label::negative);
    for (const auto& why : s.why) CHECK(why.term != c.word);
  }
}
