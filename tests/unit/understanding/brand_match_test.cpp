// Brand matching in free text: every way a brand is written, the guards against look-alikes, and
// spans that point at the words as written.
#include "daemon/understanding/brand_eval.hpp"
#include "daemon/understanding/brand_match.hpp"

#include <catch2/catch.hpp>
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"


using namespace otklik::understanding;

namespace {

/// The brands of tests/fixtures/brands/brands.toml.
std::vector<BrandSpec> test_brands() {
  return {
      {"Рокетбанк", {"Rocketbank", "Рокет банк"}, {}, true},
      {"Сбербанк", {"Сбер", "Sber", "Sberbank", "СберБанк Онлайн"}, {"сберечь", "сбережения", "сберегать"}, true},
      {"Тинькофф", {"Tinkoff", "Т-Банк", "T-Bank"}, {}, true},
      {"МТС", {"MTS"}, {}, true},
      {"Озон", {"Ozon", "Ozon.ru"}, {"озоновый слой", "запах озона", "озоновая дыра"}, true},
      {"Додо Пицца", {"Dodo Pizza", "Додо"}, {}, true},
      {"Вкусно — и точка", {"Вкусно и точка"}, {"было вкусно и точка"}, true},
      {"Аэрофлот", {"Aeroflot"}, {}, true},
  };
}

const BrandMatcher& matcher() {
  static const BrandMatcher m(test_brands());
  return m;
}

}  // namespace

TEST_CASE("brands are found however they are written", "[understanding][brands]") {
  struct Case {
    const char* text;
    const char* brand;
    const char* form;
    const char* how;
  };
  const Case cases[] = {
      {"Опять Рокетбанк списал деньги", "Рокетбанк", "Рокетбанк", "exact"},
      {"опять рокетбанк", "Рокетбанк", "рокетбанк", "exact"},
      {"В СБЕРЕ очередь", "Сбербанк", "СБЕРЕ", "inflection"},
      {"служба поддержки Рокетбанка молчит", "Рокетбанк", "Рокетбанка", "inflection"},
      {"с Рокетбанком больше не связываюсь", "Рокетбанк", "Рокетбанком", "inflection"},
      {"в Тинькоффе навязали страховку", "Тинькофф", "Тинькоффе", "inflection"},
      {"заказал в Додо Пиццу", "Додо Пицца", "Додо Пиццу", "inflection"},
      {"Ёлки, Озоне опять задержка", "Озон", "Озоне", "inflection"},
      {"рокет банк заблокировал карту", "Рокетбанк", "рокет банк", "exact"},  // an alias
      {"в рокет банке хамят", "Рокетбанк", "рокет банке", "inflection"},
      {"додопицца опоздала", "Додо Пицца", "додопицца", "split"},
      {"Sber опять лежит", "Сбербанк", "Sber", "exact"},
      {"в приложении Сбер Онлайн", "Сбербанк", "Сбер", "exact"},
      {"Tinkoff не отвечает", "Тинькофф", "Tinkoff", "exact"},
      {"Тинькоф не отвечает", "Тинькофф", "Тинькоф", "translit"},
      {"летал Aeroflot", "Аэрофлот", "Aeroflot", "exact"},
      {"у Rocketbanka опять сбой", "Рокетбанк", "Rocketbanka", "translit"},
      {"Рокербанк заблокировал карту", "Рокетбанк", "Рокербанк", "typo"},
      {"Покер банк опять списал комиссию", "Рокетбанк", "Покер банк", "typo"},
      {"Рокки банк — ужас", "Рокетбанк", "Рокки банк", "typo"},
      {"в Рокербанке хамят", "Рокетбанк", "Рокербанке", "typo"},
      {"Аэрофот задержал рейс", "Аэрофлот", "Аэрофот", "typo"},
      {"МТС опять без связи", "МТС", "МТС", "exact"},
      {"у mts нет сети", "МТС", "mts", "exact"},
      {"Вкусно и точка: холодная картошка", "Вкусно — и точка", "Вкусно и точка", "exact"},
      {"у МТСа опять авария", "МТС", "МТСа", "inflection"},      // an abbreviation's ending
      {"в МТСе сказали ждать", "МТС", "МТСе", "inflection"},
      {"мтсовская симка не ловит", "МТС", "мтсовская", "inflection"},  // relational adjective
      {"со сбербанковской карты", "Сбербанк", "сбербанковской", "inflection"},
      {"аэрофлотовский рейс задержан", "Аэрофлот", "аэрофлотовский", "inflection"},
      {"Ozon's seller support is useless", "Озон", "Ozon's", "exact"},  // possessive
      {"@tinkoffbank ответьте в личку", "Тинькофф", "@tinkoffbank", "handle"},
      {"@ozon помогите", "Озон", "@ozon", "handle"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    const auto m = matcher().match(c.text);
    REQUIRE(m.has_value());
    CHECK(m->brand == c.brand);
    CHECK(m->form == c.form);
    CHECK(m->how == c.how);
    CHECK(std::string(c.text).substr(m->begin, m->end - m->begin) == m->form);
  }
}

TEST_CASE("look-alikes and other companies are not brands", "[understanding][brands]") {
  const char* texts[] = {
      "решил сберечь нервы и ушёл",
      "сбережения тают",
      "после грозы стоял запах озона",
      "озоновый слой истончается",
      "было вкусно и точка",
      "играли в покер до утра",
      "запустили ракету",
      "рокот мотора",
      "ВТБ опять заблокировал карту",
      "Альфа-банк не отвечает",
      "Билайн без связи",
      "заказ на Wildberries задерживается",
      "МТСБанк прислал смс",
      "у мтса",            // an abbreviation's ending only after capitals
      "@rocketman спасибо",  // a handle must start with a whole name
      "@mts",              // names shorter than four letters are no handle prefix
      "озонировали салон",
      "мой любимый рокер",
      "the rocket launch was delayed",
      "",
  };
  for (const char* t : texts) {
    CAPTURE(t);
    const auto m = matcher().match(t);
    INFO((m ? m->brand + " / " + m->form + " / " + m->how : std::string("no match")));
    CHECK_FALSE(m.has_value());
  }
}

TEST_CASE("the guard of one brand does not hide another mention of it", "[understanding][brands]") {
  const auto m = matcher().match("запах озона в квартире, а заказ с Озона так и не привезли");
  REQUIRE(m.has_value());
  CHECK(m->brand == "Озон");
  CHECK(m->form == "Озона");
  CHECK(m->begin > 20);
}

TEST_CASE("a brand with typos switched off matches only its forms", "[understanding][brands]") {
  const BrandMatcher strict({{"Рокетбанк", {}, {}, false}});
  CHECK_FALSE(strict.match("Рокербанк заблокировал карту").has_value());
  CHECK(strict.match("Рокетбанка заблокировал карту").has_value());
}

TEST_CASE("match_all lists each brand once, in text order", "[understanding][brands]") {
  const auto all = matcher().match_all("Перешёл из Сбера в Тинькофф, а МТС тут ни при чём");
  REQUIRE(all.size() == 3);
  CHECK(all[0].brand == "Сбербанк");
  CHECK(all[1].brand == "Тинькофф");
  CHECK(all[2].brand == "МТС");
}

TEST_CASE("edit distance and allowances", "[understanding][brands]") {
  CHECK(edit_distance(U"рокетбанк", U"рокербанк", 2) == 1);
  CHECK(edit_distance(U"рокетбанк", U"покербанк", 2) == 2);
  CHECK(edit_distance(U"abcd", U"abdc", 2) == 1);  // a transposition is one edit
  CHECK(edit_distance(U"abc", U"xyzabc", 2) == 3);  // gives up above the limit
  CHECK(typo_allowance(3) == 0);
  CHECK(typo_allowance(4) == 0);
  CHECK(typo_allowance(5) == 1);
  CHECK(typo_allowance(7) == 1);
  CHECK(typo_allowance(8) == 2);
}

TEST_CASE("hostile text does not slow or crash the brand matcher", "[understanding][brands]") {
  std::string big;
  while (big.size() < 1'000'000) big += "покер ракета рокот озоновый слой сберечь нервы ";
  CHECK_FALSE(matcher().match(big).has_value());
  big += " и Рокербанк";
  const auto m = matcher().match(big);
  REQUIRE(m.has_value());
  CHECK(m->form == "Рокербанк");
  const char raw[] = "Рокет\xff\xfe банк\0";
  std::string junk(raw, sizeof raw);
  CHECK(matcher().match(junk).has_value());
}

TEST_CASE("brand rows: parsing and scoring", "[understanding][brands][eval]") {
  const std::vector<std::string> names{"Рокетбанк", "Озон"};
  auto rows = parse_brand_rows("# c\nРокетбанк\tРокербанк хамит\n-\tзапах озона\nОзон\tпривет\n-\tОзон опять\n", "b.tsv", names);
  REQUIRE(rows);
  REQUIRE(rows->size() == 4);
  const BrandMatcher m({{"Рокетбанк", {}, {}, true}, {"Озон", {}, {"запах озона"}, true}});
  const auto r = evaluate_brands(m, names, *rows);
  CHECK(r.total.tp == 1);
  CHECK(r.total.fp == 1);  // "Озон опять" labelled without a brand
  CHECK(r.total.fn == 1);  // "привет" labelled Озон
  CHECK(r.mistakes.size() == 2);
  const std::string md = format_brand_report(r, 5);
  CHECK(md.find("| **all** | 1 | 1 | 1 | 0.50 | 0.50 | 0.50 |") != std::string::npos);
  auto bad = parse_brand_rows("Луна\tтекст\nнет табуляции\n", "b.tsv", names);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().detail.find("b.tsv:1: unknown brand \"Луна\"") != std::string::npos);
  CHECK(bad.error().detail.find("b.tsv:2: expected BRAND<TAB>TEXT") != std::string::npos);
}

TEST_CASE("the hand-labelled mentions are matched as measured in docs/understanding.md", "[understanding][brands][eval]") {
  const std::string text = otklik::test::read_fixture("brands/mentions.tsv");
  std::vector<std::string> names;
  for (const auto& b : test_brands()) names.push_back(b.name);
  auto rows = parse_brand_rows(text, "mentions.tsv", names);
  REQUIRE(rows);
  CHECK(rows->size() >= 200);
  const auto report = evaluate_brands(matcher(), names, *rows);
  INFO(format_brand_report(report, 20));
  // Measured 0.95 / 0.99; a change that loses ground here fails.
  CHECK(report.total.precision() >= 0.93);
  CHECK(report.total.recall() >= 0.97);
}

TEST_CASE("the independently written mentions are matched as measured in docs/understanding.md",
          "[understanding][brands][eval]") {
  const std::string text = otklik::test::read_fixture("brands/mentions_independent.tsv");
  std::vector<std::string> names;
  for (const auto& b : test_brands()) names.push_back(b.name);
  auto rows = parse_brand_rows(text, "mentions_independent.tsv", names);
  REQUIRE(rows);
  CHECK(rows->size() >= 200);
  const auto report = evaluate_brands(matcher(), names, *rows);
  INFO(format_brand_report(report, 20));
  // Measured 0.91 / 0.98 (0.90 / 0.91 before the adjective, abbreviation, possessive and handle
  // rules); a change that loses ground here fails.
  CHECK(report.total.precision() >= 0.89);
  CHECK(report.total.recall() >= 0.95);
}
