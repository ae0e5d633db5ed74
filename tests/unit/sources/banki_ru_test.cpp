// The banki.ru preset on hand-written pages of the responses list in the site's JSON shape.
#include "sources/banki_ru/banki_ru_parse.hpp"
#include "sources/generic/dates.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/unit/sources/parse_input.hpp"

using namespace otklik;
using otklik::test::read_fixture;

namespace {

const char* const kFirst = "https://www.banki.ru/services/responses/list/ajax/?page=1&is_countable=on&bank=rocketbank";

ParseInput input(const std::string& body, std::string url = kFirst) {
  return test::parse_input(body, std::move(url), "banki", "Рокетбанк", *make_utc(2026, 11, 24, 12, 0, 0), "utf-8");
}

}  // namespace

TEST_CASE("banki.ru responses become mentions with the bank's answer", "[sources][banki_ru]") {
  const std::string body = read_fixture("banki_ru/page1.json");
  auto page = parse_banki_ru(input(body));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 3);  // the response without text is skipped

  const Mention& a = page->mentions[0];
  CHECK(a.source == "banki");
  CHECK(a.brand == "Рокетбанк");
  CHECK(a.fetched == make_utc(2026, 11, 24, 12, 0, 0));
  CHECK(a.external_id == "12400001");
  CHECK(a.url == "https://www.banki.ru/services/responses/bank/response/12400001/");
  CHECK(a.title == "Заблокировали карту без объяснения причин");
  CHECK(a.text ==
        "Утром карта перестала работать, в приложении «операции ограничены».\n"
        "В чате третий день отвечают шаблонами, деньги на зарплату недоступны.");
  CHECK(a.author == "klient_2026");
  CHECK(a.author_id.empty());
  CHECK(a.rating == std::optional<double>(1.0));
  CHECK(a.published == make_utc(2026, 11, 23, 7, 15, 0));  // 10:15 in Moscow
  CHECK(a.company_reply == "Здравствуйте! Ограничение снято 24.11, приносим извинения.\nС уважением, служба заботы.");

  const Mention& b = page->mentions[1];
  CHECK(b.external_id == "12399870");
  CHECK(b.author == "Anna_K");
  CHECK(b.text == "Opened a deposit online in five minutes, the rate matched the website. Thank you!");
  CHECK(b.rating == std::optional<double>(5.0));
  CHECK(b.published == make_utc(2026, 11, 22, 20, 40, 5));
  CHECK(b.company_reply.empty());

  const Mention& c = page->mentions[2];
  CHECK(c.external_id == "12399750");
  CHECK_FALSE(c.rating);  // grade null: no stars given
  CHECK(c.text == "Почему льготный период посчитали с даты выпуска, а не с даты покупки?");
  CHECK(c.author == "Сергей П.");

  REQUIRE(page->warnings.size() == 1);
  CHECK(page->warnings[0] == "item 12399800: skipped, no text");
}

TEST_CASE("banki.ru grades and dates", "[sources][banki_ru]") {
  struct Case {
    const char* fields;
    std::optional<double> rating;
    std::optional<TimePoint> published;
    std::size_t warnings;
  };
  const Case cases[] = {
      {R"("grade": 3, "dateCreate": "2026-01-01 02:30:00")", 3.0, make_utc(2025, 12, 31, 23, 30, 0), 0},
      {R"("grade": "4", "dateCreate": "2026-06-15 00:00:00")", 4.0, make_utc(2026, 6, 14, 21, 0, 0), 0},
      {R"("grade": 9)", 5.0, std::nullopt, 0},
      {R"("grade": null)", std::nullopt, std::nullopt, 0},
      {R"("grade": "много", "dateCreate": "вчера")", std::nullopt, std::nullopt, 2},
  };
  for (const auto& c : cases) {
    CAPTURE(c.fields);
    const std::string body = std::string(R"({"data":[{"id":1,"text":"Текст",)") + c.fields + "}]}";
    auto page = parse_banki_ru(input(body));
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 1);
    CHECK(page->mentions[0].rating == c.rating);
    CHECK(page->mentions[0].published == c.published);
    CHECK(page->warnings.size() == c.warnings);
  }
}

TEST_CASE("banki.ru: hostile text is reduced to plain valid UTF-8", "[sources][banki_ru]") {
  const std::string body =
      "{\"data\":[{\"id\":\"77\",\"title\":\"<b>Жалоба</b>\",\"text\":\"<script>steal()</script><p>Списали "
      "\xff\xfe комиссию</p><iframe src=\\\"https://evil.example\\\"></iframe>\",\"agentAnswerText\":"
      "\"<style>x{}</style>Разберёмся\"}]}";
  auto page = parse_banki_ru(input(body));
  // Boost.JSON rejects invalid UTF-8 inside strings: such a body is not JSON at all.
  REQUIRE_FALSE(page);
  CHECK(page.error().code == make_error_code(errc::parse_failed));

  const std::string clean =
      "{\"data\":[{\"id\":\"77\",\"title\":\"<b>Жалоба</b>\",\"text\":\"<script>steal()</script><p>Списали "
      "\\u0000комиссию</p><iframe src=\\\"https://evil.example\\\"></iframe>\",\"agentAnswerText\":"
      "\"<style>x{}</style>Разберёмся\"}]}";
  auto ok = parse_banki_ru(input(clean));
  REQUIRE(ok);
  REQUIRE(ok->mentions.size() == 1);
  const Mention& m = ok->mentions[0];
  CHECK(m.external_id == "77");
  CHECK(m.title == "Жалоба");
  CHECK(m.text == "Списали комиссию");
  CHECK(m.company_reply == "Разберёмся");
}

TEST_CASE("banki.ru: empty pages and bodies that are not the list", "[sources][banki_ru]") {
  auto empty = parse_banki_ru(input(R"({"data":[],"hasMorePages":false})"));
  REQUIRE(empty);
  CHECK(empty->mentions.empty());
  CHECK(empty->warnings.empty());

  struct Case {
    const char* body;
    const char* reason;
  };
  const Case cases[] = {
      {"<html><body>Доступ ограничен</body></html>", "not JSON"},
      {R"({"error":"Not found"})", "no \"data\" array"},
      {R"({"data":{"id":1}})", "no \"data\" array"},
      {"[1,2]", "no \"data\" array"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    auto page = parse_banki_ru(input(c.body));
    REQUIRE_FALSE(page);
    CHECK(page.error().code == make_error_code(errc::parse_failed));
    CHECK(page.error().detail.rfind(kFirst, 0) == 0);
    CHECK(page.error().detail.find(c.reason) != std::string::npos);
  }
}

TEST_CASE("banki.ru paging: page=N+1 while hasMorePages", "[sources][banki_ru]") {
  const std::string first = read_fixture("banki_ru/page1.json");
  const std::string last = read_fixture("banki_ru/page2_last.json");
  const ParsedPage none;
  CHECK(next_banki_ru_page(kFirst, first, none) ==
        std::optional<std::string>(
            "https://www.banki.ru/services/responses/list/ajax/?page=2&is_countable=on&bank=rocketbank"));
  CHECK(next_banki_ru_page("https://www.banki.ru/services/responses/list/ajax/?bank=x&page=7", first, none) ==
        std::optional<std::string>("https://www.banki.ru/services/responses/list/ajax/?bank=x&page=8"));
  CHECK(next_banki_ru_page("https://www.banki.ru/services/responses/list/ajax/?bank=x", first, none) ==
        std::optional<std::string>("https://www.banki.ru/services/responses/list/ajax/?bank=x&page=2"));
  CHECK_FALSE(next_banki_ru_page(kFirst, last, none));
  CHECK_FALSE(next_banki_ru_page(kFirst, "not json", none));
  CHECK_FALSE(next_banki_ru_page(kFirst, R"({"data":[]})", none));

  auto page = parse_banki_ru(input(last, "https://www.banki.ru/services/responses/list/ajax/?page=2&is_countable=on&bank=rocketbank"));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].company_reply.empty());  // "agentAnswerText": null
  CHECK(page->mentions[0].rating == std::optional<double>(2.0));
}

TEST_CASE("banki.ru: the first page's URL", "[sources][banki_ru]") {
  CHECK(banki_ru_url("rocketbank") == kFirst);
  CHECK(banki_ru_url("a&b c") ==
        "https://www.banki.ru/services/responses/list/ajax/?page=1&is_countable=on&bank=a%26b%20c");
  CHECK(banki_ru_response_url("123") == "https://www.banki.ru/services/responses/bank/response/123/");
}
