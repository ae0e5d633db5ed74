// The vbr.ru preset on hand-written reviews pages in the site's markup.
#include "sources/vyberu/vyberu_parse.hpp"
#include "sources/generic/dates.hpp"
#include "daemon/config/config_load.hpp"
#include "sources/source.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/unit/sources/parse_input.hpp"

#include <filesystem>

using namespace otklik;
using otklik::test::read_fixture;
using namespace std::chrono_literals;

namespace {

const char* const kFirst = "https://www.vbr.ru/banki/rocketbank/otzivy/";
const char* const kSecond = "https://www.vbr.ru/banki/rocketbank/otzivy/?page=2";
const char* const kSecondPath = "https://www.vbr.ru/banki/rocketbank/otzivy/2/";

ParseInput input(const std::string& body, std::string url = kFirst) {
  return test::parse_input(body, std::move(url), "vbr", "Рокетбанк", *make_utc(2026, 11, 24, 12, 0, 0), "utf-8");
}

std::string card(const std::string& inner) {
  return "<html><body><div class=\"reviews-list\"><div class=\"reviews-card -emoji\" data-id=\"7\">" + inner +
         "</div></div></body></html>";
}

const SourceRegistry& registry() {
  static const SourceRegistry r = SourceRegistry::with_builtin_types();
  return r;
}

LoadedConfig load(const std::string& sources) {
  const std::string text = "[daemon]\nstate = \"s.db\"\n[[source]]\nname = \"s\"\n" + sources +
                           "\n[[channel]]\nname = \"c\"\ntype = \"console\"\n[[route]]\nchannel = \"c\"\n";
  return load_config_text(text, std::filesystem::temp_directory_path(), &registry());
}

std::string problem_at(const LoadedConfig& l, std::string_view key) {
  for (const auto& p : l.problems)
    if (!p.warning && p.key == key) return p.message;
  return {};
}

}  // namespace

TEST_CASE("vbr.ru review cards become mentions with the bank's answer", "[sources][vyberu]") {
  const std::string body = read_fixture("vyberu/page1.html");
  auto page = parse_vyberu(input(body));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 3);  // the card without text is skipped

  const Mention& a = page->mentions[0];
  CHECK(a.source == "vbr");
  CHECK(a.brand == "Рокетбанк");
  CHECK(a.fetched == make_utc(2026, 11, 24, 12, 0, 0));
  CHECK(a.external_id == "vbr-412345");
  CHECK(a.url == kFirst);  // no link of its own: the bank's reviews page
  CHECK(a.title == "Заблокировали карту в отпуске");
  CHECK(a.subject.empty());
  CHECK(a.author == "Марина К.");
  CHECK(a.rating == std::optional<double>(1.0));
  CHECK(a.published == make_utc(2026, 11, 22, 21, 0, 0));  // 23.11.2026, midnight in Moscow
  CHECK(a.text ==
        "Карту заблокировали прямо в отпуске, оплатить отель было нечем.\n"
        "На горячей линии ждала 40 минут, оператор ничего не объяснил.\n"
        "Разблокировали только через три дня, комиссию за перевод не вернули.");  // «Показать полностью» dropped
  CHECK(a.company_reply == "Марина, здравствуйте! Приносим извинения.\nКомиссию вернём до 30.11, обращение № 4411.");

  const Mention& b = page->mentions[1];
  CHECK(b.external_id == "vbr-412301");
  CHECK(b.author == "Alexey");
  CHECK(b.title == "Удобный вклад");
  CHECK(b.rating == std::optional<double>(5.0));
  CHECK(b.published == make_utc(2026, 11, 21, 21, 0, 0));
  CHECK(b.text == "Открыл вклад онлайн за пять минут, ставка как в рекламе. Спасибо! 🙂");
  CHECK(b.company_reply.empty());

  const Mention& c = page->mentions[2];
  CHECK(c.external_id == "vbr-412270");
  CHECK(c.title == "Страховка в графике платежей дважды");
  CHECK_FALSE(c.rating);  // no grade shown
  CHECK(c.author == "Сергей П.");
  CHECK(c.company_reply == "Сергей, график пересчитан, новый отправлен в приложение.");  // «Ответ банка» dropped

  REQUIRE(page->warnings.size() == 1);
  CHECK(page->warnings[0] == "review 412288: skipped, no text");
}

TEST_CASE("vbr.ru: the older card layout", "[sources][vyberu]") {
  const std::string body =
      "<html><body><div class=\"reviews-list\">"
      "<div class=\"reviews-card -emoji\">"
      "<span class=\"avatar-title\">Ирина</span><span class=\"avatar-title-date\">23.11.2026 10:15</span>"
      "<span class=\"avatar-title-text\">Кредитная карта</span><div class=\"rating-star-simple\">2</div>"
      "<a class=\"reviews-card-title\" href=\"/banki/rocketbank/otzivy/398001/\">Льготный период посчитали неверно</a>"
      "<div class=\"reviews-text\">Льготный период посчитали с даты выпуска.</div>"
      "<div class=\"full hidden\">Проценты начислили за весь месяц.</div>"
      "<div class=\"reviews-answer\"><div class=\"reviews-answer-title\">Ответ банка</div>"
      "<div class=\"reviews-answer-text\">Проценты сторнированы.</div></div>"
      "</div></div></body></html>";
  auto page = parse_vyberu(input(body, kSecondPath));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  const Mention& m = page->mentions[0];
  CHECK(m.external_id == "vbr-398001");  // the number in the review's link
  CHECK(m.url == "https://www.vbr.ru/banki/rocketbank/otzivy/398001/");
  CHECK(m.title == "Льготный период посчитали неверно");
  CHECK(m.subject == "Кредитная карта");  // with a title of its own, the line under the name is the topic
  CHECK(m.author == "Ирина");
  CHECK(m.published == make_utc(2026, 11, 23, 7, 15, 0));
  CHECK(m.text == "Льготный период посчитали с даты выпуска.\nПроценты начислили за весь месяц.");
  CHECK(m.company_reply == "Проценты сторнированы.");
  CHECK(m.rating == std::optional<double>(2.0));
}

TEST_CASE("vbr.ru cards: ids, texts, grades and answers", "[sources][vyberu]") {
  struct Case {
    const char* name;
    std::string body;
    std::string id;
    std::string text;
    std::optional<double> rating;
    std::string reply;
    std::size_t warnings;
  };
  const Case cases[] = {
      {"data-review-id, the hidden rest inside the text",
       "<html><body><div class=\"reviews-card\" data-review-id=\"55\"><div class=\"reviews-text\"><span "
       "class=\"teaser\">Начало.</span><span class=\"full hidden\"> Конец.</span></div></div></body></html>",
       "vbr-55", "Начало. Конец.", std::nullopt, "", 0},
      {"the id from the review's link",
       "<html><body><div class=\"reviews-card\"><a class=\"reviews-title\" href=\"/banki/x/otzivy/9001/\">Т</a>"
       "<div class=\"reviews-text\">Текст</div><div class=\"rating-star-simple\"> 4 </div></div></body></html>",
       "vbr-9001", "Текст", 4.0, "", 0},
      {"grade out of range is clamped", card("<div class=\"reviews-text\">Т</div><div class=\"rating-star-simple\">7</div>"),
       "vbr-7", "Т", 5.0, "", 0},
      {"a grade that is not a number", card("<div class=\"reviews-text\">Т</div><div class=\"rating-star-simple\">—</div>"),
       "vbr-7", "Т", std::nullopt, "", 1},
      {"an answer block without a heading",
       card("<div class=\"reviews-text\">Т</div><div class=\"reviews-answer\"><p>Ответ дан в чате.</p></div>"), "vbr-7",
       "Т", std::nullopt, "Ответ дан в чате.", 0},
      {"hostile markup is reduced to text",
       card("<div class=\"reviews-text\"><script>steal()</script>Списали \xff комиссию<iframe "
            "src=\"https://evil.example\"></iframe></div>"),
       "vbr-7", "Списали \xEF\xBF\xBD комиссию", std::nullopt, "", 0},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto page = parse_vyberu(input(c.body));
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 1);
    const Mention& m = page->mentions[0];
    CHECK(m.external_id == c.id);
    CHECK(m.text == c.text);
    CHECK(m.rating == c.rating);
    CHECK(m.company_reply == c.reply);
    CHECK(page->warnings.size() == c.warnings);
  }
}

TEST_CASE("vbr.ru dates as the site shows them", "[sources][vyberu]") {
  const TimePoint now = *make_utc(2026, 11, 24, 12, 0, 0);  // 15:00 in Moscow
  struct Case {
    const char* text;
    std::optional<TimePoint> expected;
  };
  const Case cases[] = {
      {"23.11.2026", make_utc(2026, 11, 22, 21, 0, 0)},
      {"23.11.2026 10:15", make_utc(2026, 11, 23, 7, 15, 0)},
      {"23.11.2026 в 10:15", make_utc(2026, 11, 23, 7, 15, 0)},
      {"23 ноября 2026", make_utc(2026, 11, 22, 21, 0, 0)},
      {"3 мая 2026 г.", make_utc(2026, 5, 2, 21, 0, 0)},
      {"23 ноября 2026, 10:15", make_utc(2026, 11, 23, 7, 15, 0)},
      {"сегодня в 09:30", make_utc(2026, 11, 24, 6, 30, 0)},
      {"Сегодня", make_utc(2026, 11, 23, 21, 0, 0)},
      {"вчера в 23:50", make_utc(2026, 11, 23, 20, 50, 0)},
      {"позавчера", std::nullopt},
      {"вчера в полдень", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(parse_vyberu_date(c.text, now) == c.expected);
  }
  // Past 21:00 UTC it is already the next day in Moscow.
  CHECK(parse_vyberu_date("сегодня в 00:10", *make_utc(2026, 11, 24, 22, 30, 0)) == make_utc(2026, 11, 24, 21, 10, 0));

  auto page = parse_vyberu(input(card("<span class=\"avatar-title-date\">вчера, 18:40</span><div class=\"reviews-text\">Т</div>")));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].published == make_utc(2026, 11, 23, 15, 40, 0));
  auto bad = parse_vyberu(input(card("<span class=\"avatar-title-date\">давно</span><div class=\"reviews-text\">Т</div>")));
  REQUIRE(bad);
  REQUIRE(bad->warnings.size() == 1);
  CHECK(bad->warnings[0] == "review 7: unparsable date \"давно\"");
}

TEST_CASE("vbr.ru: pages without cards", "[sources][vyberu]") {
  auto empty = parse_vyberu(input("<html><head><link rel=\"canonical\" href=\"https://www.vbr.ru/banki/x/otzivy/\"></head>"
                                  "<body><div class=\"reviews-list\"></div></body></html>"));
  REQUIRE(empty);
  CHECK(empty->mentions.empty());
  CHECK(empty->warnings.empty());

  auto other = parse_vyberu(input("<html><body><p>Страница не найдена</p></body></html>"));
  REQUIRE_FALSE(other);
  CHECK(other.error().code == make_error_code(errc::parse_failed));
  CHECK(other.error().detail == std::string(kFirst) + ": not a vbr.ru reviews page (no review cards)");
}

TEST_CASE("vbr.ru paging: ?page=N+1 while the pager has a next page", "[sources][vyberu]") {
  const std::string first = read_fixture("vyberu/page1.html");
  const std::string last = read_fixture("vyberu/page2_last.html");
  auto page1 = parse_vyberu(input(first));
  REQUIRE(page1);
  CHECK(next_vyberu_page(kFirst, first, *page1) == std::optional<std::string>(kSecond));
  CHECK(next_vyberu_page("https://www.vbr.ru/banki/rocketbank/otzivy/?sort=date", first, *page1) ==
        std::optional<std::string>("https://www.vbr.ru/banki/rocketbank/otzivy/?sort=date&page=2"));
  auto page2 = parse_vyberu(input(last, kSecond));
  REQUIRE(page2);
  REQUIRE(page2->mentions.size() == 1);
  CHECK(page2->mentions[0].title == "Перевод по СБП шёл двое суток");
  CHECK(page2->mentions[0].url == kFirst);
  CHECK_FALSE(next_vyberu_page(kSecond, last, *page2));  // the "next" button is disabled

  // The older layout: …/otzivy/N/ links, and an address of that form keeps it.
  const std::string linked = "<html><body><a href=\"/banki/rocketbank/otzivy/3/\">3</a></body></html>";
  CHECK(next_vyberu_page(kSecondPath, linked, *page2) ==
        std::optional<std::string>("https://www.vbr.ru/banki/rocketbank/otzivy/3/"));
  CHECK(next_vyberu_page(kFirst, "<html><body><a href=\"/banki/rocketbank/otzivy/2/\">2</a></body></html>", *page2) ==
        std::optional<std::string>(kSecond));

  // No pager: a full page (ten reviews) goes on, a short one ends; an empty page always ends.
  ParsedPage full;
  full.mentions.resize(10);
  const std::string no_pager = "<html><body><div class=\"reviews-list\"></div></body></html>";
  CHECK(next_vyberu_page("https://www.vbr.ru/banki/rocketbank/otzivy/?page=4", no_pager, full) ==
        std::optional<std::string>("https://www.vbr.ru/banki/rocketbank/otzivy/?page=5"));
  CHECK_FALSE(next_vyberu_page(kFirst, no_pager, *page1));
  CHECK_FALSE(next_vyberu_page(kFirst, first, ParsedPage{}));
  CHECK_FALSE(next_vyberu_page("https://www.vbr.ru/banki/rocketbank/", first, *page1));  // not a reviews page

  CHECK(vyberu_url("rocketbank") == kFirst);
  CHECK(vyberu_url("a b") == "https://www.vbr.ru/banki/a%20b/otzivy/");
}

TEST_CASE("vyberu in the config: the bank's name builds the URL", "[sources][vyberu]") {
  const auto loaded = load("type = \"vyberu\"\nbank = \"rocketbank\"");
  REQUIRE(loaded.config);
  const SourceConfig& s = loaded.config->sources.at(0);
  CHECK(s.url == kFirst);
  CHECK(s.interval == 2h);
  CHECK(registry().site_name("vyberu") == "Выберу.ру");
  CHECK(registry().create(s) != nullptr);

  const auto missing = load("type = \"vyberu\"");
  CHECK_FALSE(missing.config);
  CHECK(problem_at(missing, "source[\"s\"].bank") ==
        "is required for source type \"vyberu\" (the bank's name in its vbr.ru address, e.g. \"gazprombank\"), "
        "unless url is given");
  const auto pages = load("type = \"vyberu\"\nbank = \"x\"\nmax_pages = 6");
  CHECK(problem_at(pages, "source[\"s\"].max_pages") == "expected an integer from 1 to 5");
}
