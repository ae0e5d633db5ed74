// Loading templates: the shipped files, overrides per locale, and every kind of problem at once.
#include "daemon/replies/reply_book.hpp"

#include "daemon/understanding/topic_file.hpp"
#include "tests/unit/replies/book_fixture.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

using namespace otklik;
using namespace otklik::replies;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
  std::random_device rd;
  fs::path d = fs::temp_directory_path() / ("otklik-replies-" + std::to_string(rd()) + std::to_string(rd()));
  fs::create_directories(d);
  return d;
}

std::string problems_of(const std::string& ru) {
  auto book = make_reply_book({{"ru", "ru.toml", ru}}, {}, test::two_topics());
  return book ? "" : book.error().detail;
}

}  // namespace

TEST_CASE("the shipped templates load with the built-in taxonomy, every topic in both locales", "[replies][book]") {
  const ReplyBook& book = builtin_reply_book();
  REQUIRE(book.locales.size() == 2);
  for (const char* locale : {"ru", "en"}) {
    const LocaleTemplates* t = book.find(locale);
    REQUIRE(t != nullptr);
    for (const auto& topic : understanding::builtin_taxonomy().topics) {
      INFO(locale << " " << topic.id);
      REQUIRE(t->topic(topic.id) != nullptr);
      CHECK(t->topic(topic.id)->size() >= 2);
    }
    CHECK_FALSE(t->deny.empty());
    CHECK_FALSE(t->familiar.empty());
  }
  CHECK(book.find("en-GB") == book.find("en"));
  CHECK(book.find("de") == nullptr);
}

TEST_CASE("the issue's phrases are on the shipped deny-lists", "[replies][book]") {
  const ReplyBook& book = builtin_reply_book();
  auto has = [](const std::vector<std::string>& v, const std::string& p) {
    return std::find(v.begin(), v.end(), p) != v.end();
  };
  const LocaleTemplates& ru = *book.find("ru");
  const LocaleTemplates& en = *book.find("en");
  CHECK(has(ru.deny, "это не к нам"));
  CHECK(has(ru.deny, "обратитесь в поддержку"));
  CHECK(has(ru.deny, "нам очень жаль, в следующий раз постараемся лучше"));
  CHECK(has(ru.familiar, "ты"));
  CHECK(has(ru.familiar, "тебе"));
  CHECK(has(ru.familiar, "дружище"));
  CHECK(has(en.deny, "not our responsibility"));
  CHECK(has(en.deny, "please contact support"));
  CHECK(has(en.familiar, "buddy"));
  CHECK(has(en.familiar, "mate"));
}

TEST_CASE("each kind of template problem is reported with file and line", "[replies][book]") {
  struct Case {
    std::string extra;
    std::string topics_extra;
    std::string expected;  // a piece of the failure's detail
  };
  const Case cases[] = {
      {"bogus = [\"x.\"]", "", "ru.toml:13: bogus: unknown key"},
      {"", "nonexistent = [\"x.\"]", "topics.nonexistent: unknown topic"},
      {"", "money = [\"Вернём [[сумма]].\"]", ""},  // a built-in topic switched off: ignored
  };
  for (const auto& c : cases) {
    INFO(c.extra << c.topics_extra);
    const std::string detail = problems_of(test::ru_file(c.extra, c.topics_extra));
    if (c.expected.empty()) CHECK(detail.empty());
    else CHECK_THAT(detail, Catch::Contains(c.expected));
  }
}

TEST_CASE("every problem of a file is reported at once", "[replies][book]") {
  const std::string bad = R"(greeting_named = ["Здравствуйте!"]
greeting = ["Здравствуйте, {nmae}!"]
thanks = ["Спасибо за отзыв"]
apology = ["Приносим извинения: {claim}."]
claim = ["Вернём до [[дата."]
repeat = ["Вы уже писали нам {date}."]
next = ["Это не к нам."]
contact = ["Дружище, напиши нам: [[контакт]]."]
closing = ["С уважением."]
thanks_positive = ["Спасибо! Ваш [[менеджер]]."]
deny = ["это не к нам"]
familiar = ["дружище"]
colour = "red"
[topics]
waiting = []
)";
  const std::string detail = problems_of(bad);
  const std::vector<std::string> expected = {
      "ru.toml:1: greeting_named: must hold {name}",
      "ru.toml:2: greeting: unknown placeholder {nmae}",
      "ru.toml:3: thanks: must end a sentence",
      "ru.toml:4: apology: {claim} cannot be used here",
      "ru.toml:5: claim: unbalanced [[ ]]",
      "ru.toml:7: next: holds the deny-list phrase \"это не к нам\"",
      "ru.toml:8: contact: holds the familiarity word \"дружище\"",
      "ru.toml:10: thanks_positive: is posted without an agent",
      "ru.toml:13: colour: unknown key",
      "ru.toml:15: topics.waiting: must hold at least one entry",
      "topics: missing topics (each needs a template): rudeness",
  };
  for (const auto& e : expected) {
    INFO(e);
    CHECK_THAT(detail, Catch::Contains(e));
  }
}

TEST_CASE("a missing key and a TOML syntax error are problems", "[replies][book]") {
  CHECK_THAT(problems_of("greeting = [\"Здравствуйте!\"]\n[topics]\n"), Catch::Contains("thanks: missing"));
  CHECK_THAT(problems_of("greeting = [\n"), Catch::Contains("TOML syntax error"));
  CHECK_THAT(problems_of("greeting = \"Здравствуйте!\"\n"), Catch::Contains("greeting: expected a list"));
}

TEST_CASE("a topic the team added needs a template in the team's files, not in the built-in ones", "[replies][book]") {
  understanding::Taxonomy taxonomy = understanding::builtin_taxonomy();
  understanding::Topic parking;
  parking.id = "parking";
  parking.name = {"Парковка", "Parking"};
  taxonomy.topics.push_back(parking);
  auto builtin = load_reply_book(RepliesConfig{}, taxonomy);
  REQUIRE(builtin.has_value());
  CHECK((*builtin)->find("ru")->topic("parking") == nullptr);

  auto own = make_reply_book({{"ru", "ru.toml", test::ru_file(), false}}, {}, test::two_topics());
  REQUIRE(own.has_value());
  understanding::Taxonomy three = test::two_topics();
  three.topics.push_back(parking);
  auto missing = make_reply_book({{"ru", "ru.toml", test::ru_file(), false}}, {}, three);
  REQUIRE_FALSE(missing.has_value());
  CHECK_THAT(missing.error().detail, Catch::Contains("ru.toml:14: topics: missing topics (each needs a template): parking"));
}

TEST_CASE("[replies] deny adds phrases every locale checks its templates against", "[replies][book]") {
  auto ok = make_reply_book({{"ru", "ru.toml", test::ru_file()}}, {"ответим"}, test::two_topics());
  REQUIRE_FALSE(ok.has_value());
  CHECK_THAT(ok.error().detail, Catch::Contains("next: holds the deny-list phrase \"ответим\""));
  auto book = make_reply_book({{"ru", "ru.toml", test::ru_file()}}, {"не беспокойтесь"}, test::two_topics());
  REQUIRE(book.has_value());
  CHECK(book->find("ru")->deny.back() == "не беспокойтесь");
}

TEST_CASE("a templates folder replaces the locales it has, the others stay built-in", "[replies][book]") {
  const fs::path dir = temp_dir();
  std::ofstream(dir / "ru.toml") << test::ru_file();
  RepliesConfig config;
  config.templates = dir.string();
  config.deny = {"никогда"};
  auto book = load_reply_book(config, test::two_topics());
  REQUIRE(book.has_value());
  const LocaleTemplates* ru = (*book)->find("ru");
  const LocaleTemplates* en = (*book)->find("en");
  REQUIRE(ru != nullptr);
  REQUIRE(en != nullptr);
  CHECK(ru->origin == (dir / "ru.toml").string());
  CHECK(ru->variants(Slot::closing) == std::vector<std::string>{"С уважением, [[имя]]."});
  CHECK_THAT(en->origin, Catch::Contains("built-in"));
  CHECK(std::find(en->deny.begin(), en->deny.end(), "никогда") != en->deny.end());

  std::ofstream(dir / "de.toml") << "greeting = [\"Hallo!\"]\n";
  std::ofstream(dir / "en.toml") << "greeting = [\"Hi {nobody}\"]\n";
  auto bad = load_reply_book(config, test::two_topics());
  REQUIRE_FALSE(bad.has_value());
  CHECK_THAT(bad.error().detail, Catch::Contains("de.toml:1: : only ru.toml and en.toml are read"));
  CHECK_THAT(bad.error().detail, Catch::Contains("en.toml:1: greeting: unknown placeholder {nobody}"));
  fs::remove_all(dir);
}
