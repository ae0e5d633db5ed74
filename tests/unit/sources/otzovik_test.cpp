// The otzovik.com preset on hand-written windows-1251 list pages in the site's markup.
#include "sources/generic/block_page.hpp"
#include "sources/generic/dates.hpp"
#include "sources/otzovik/otzovik_parse.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/unit/sources/parse_input.hpp"

using namespace otklik;
using otklik::test::read_fixture;

namespace {

const char* const kFirst = "https://otzovik.com/reviews/roketbank/";

ParseInput input(const std::string& body, std::string charset = "windows-1251", std::string url = kFirst) {
  return test::parse_input(body, std::move(url), "otzovik", "Рокетбанк", *make_utc(2026, 11, 24, 12, 0, 0),
                           std::move(charset));
}

/// A UTF-8 otzovik.com page around one card's inner markup.
std::string page_with(const std::string& card) {
  return "<html><head><meta charset=\"utf-8\"></head><body><a href=\"https://otzovik.com/\">otzovik</a>"
         "<div class=\"item status4\" itemprop=\"review\">" +
         card + "</div></body></html>";
}

}  // namespace

TEST_CASE("an otzovik.com list page becomes its review teasers", "[sources][otzovik]") {
  const std::string body = read_fixture("otzovik/page1_cp1251.html");
  // The charset from Content-Type, or none (then the page's <meta> says windows-1251).
  for (const char* charset : {"windows-1251", ""}) {
    CAPTURE(charset);
    auto page = parse_otzovik(input(body, charset));
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 3);  // the card without a teaser is skipped

    const Mention& a = page->mentions[0];
    CHECK(a.source == "otzovik");
    CHECK(a.brand == "Рокетбанк");
    CHECK(a.fetched == make_utc(2026, 11, 24, 12, 0, 0));
    CHECK(a.external_id == "10000001");
    CHECK(a.url == "https://otzovik.com/review_10000001.html");
    CHECK(a.author == "marina_k_example");
    CHECK(a.author_id == "https://otzovik.com/profile/marina_k_example");
    CHECK(a.title == "Списали деньги за обслуживание, которое обещали бесплатным");
    CHECK(a.text ==
          "Оформила карту по акции «бесплатно навсегда». Через три месяца списали 199 рублей за обслуживание, в "
          "поддержке ответили, что акция \"закончилась\"...");
    CHECK(a.rating == std::optional<double>(1.0));
    CHECK(a.published == make_utc(2026, 11, 23, 7, 15, 0));
    CHECK(a.company_reply.empty());  // official comments are on the review's own page

    const Mention& b = page->mentions[1];
    CHECK(b.external_id == "10000002");
    CHECK(b.title == "Удобное приложение");
    CHECK(b.text.find("Good app, recommend.") != std::string::npos);
    CHECK(b.rating == std::optional<double>(5.0));
    CHECK(b.published == make_utc(2026, 11, 21, 15, 30, 0));

    const Mention& c = page->mentions[2];  // no microdata: the shown date and the score's text
    CHECK(c.external_id == "10000004");
    CHECK(c.author_id == "https://otzovik.com/profile/ivan_example");
    CHECK(c.rating == std::optional<double>(3.0));
    CHECK(c.published == make_utc(2026, 11, 2));

    REQUIRE(page->warnings.size() == 1);
    CHECK(page->warnings[0].find("skipped") != std::string::npos);
  }
}

TEST_CASE("otzovik.com paging follows the next-page link to the last page", "[sources][otzovik]") {
  const std::string first = read_fixture("otzovik/page1_cp1251.html");
  const std::string last = read_fixture("otzovik/page2_last_cp1251.html");
  const ParsedPage none;
  CHECK(next_otzovik_page(kFirst, first, none) == std::optional<std::string>("https://otzovik.com/reviews/roketbank/2/"));
  CHECK_FALSE(next_otzovik_page("https://otzovik.com/reviews/roketbank/2/", last, none));
  CHECK_FALSE(next_otzovik_page(kFirst, "", none));

  auto page = parse_otzovik(input(last, "windows-1251", "https://otzovik.com/reviews/roketbank/2/"));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].external_id == "9999001");
  CHECK(page->mentions[0].text == "Курьер переносил доставку четыре раза.");
  CHECK(page->mentions[0].published == make_utc(2026, 10, 1, 6, 0, 0));
}

TEST_CASE("otzovik.com ratings: the score's text, else the microdata", "[sources][otzovik]") {
  struct Case {
    const char* markup;
    std::optional<double> expected;
  };
  const Case cases[] = {
      {"<div class=\"rating-score tooltip-right\"><span>4</span></div>", 4.0},
      {"<div itemprop=\"reviewRating\"><meta itemprop=\"worstRating\" content=\"1\"><meta itemprop=\"ratingValue\" "
       "content=\"2\"></div>",
       2.0},
      {"<div class=\"rating-score\"><span>0</span></div>", 0.0},
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.markup);
    auto page = parse_otzovik(input(page_with(std::string(c.markup) + "<div class=\"review-teaser\">Текст</div>"), ""));
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 1);
    CHECK(page->mentions[0].rating == c.expected);
  }
}

TEST_CASE("otzovik.com: hostile teaser text is reduced to plain valid UTF-8", "[sources][otzovik]") {
  auto page = parse_otzovik(input(
      page_with("<a class=\"review-title\" href=\"/review_5.html\"><script>x()</script>Заголовок</a>"
                "<div class=\"review-teaser\"><script>document.cookie</script><b>Ужасно</b> \xff\xfe обслуживают"
                "<img src=x onerror=alert(1)></div>"),
      "utf-8"));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  const Mention& m = page->mentions[0];
  CHECK(m.external_id == "5");
  CHECK(m.title == "Заголовок");
  CHECK(m.text.find("cookie") == std::string::npos);
  CHECK(m.text.find('<') == std::string::npos);
  CHECK(m.text.find("Ужасно") != std::string::npos);
  CHECK(m.text.find("обслуживают") != std::string::npos);
  CHECK(m.text.find('\xff') == std::string::npos);
}

TEST_CASE("otzovik.com: empty lists, block pages and foreign pages", "[sources][otzovik]") {
  SECTION("an otzovik.com page without reviews is an empty page") {
    auto page = parse_otzovik(input(
        "<html><body><h1 class=\"product-name\">Новый банк</h1><div class=\"footer\">otzovik.com</div></body></html>",
        "utf-8"));
    REQUIRE(page);
    CHECK(page->mentions.empty());
  }
  SECTION("a captcha page is a block page") {
    const std::string captcha =
        "<html><head><title>Доступ ограничен</title></head><body><p>Подтвердите, что вы не робот.</p>"
        "<div class=\"g-recaptcha\" data-sitekey=\"k\"></div></body></html>";
    CHECK(detect_block_page(403, "text/html", captcha));
  }
  SECTION("a page that is not otzovik.com's fails with the URL and the reason") {
    auto page = parse_otzovik(input("<html><body><p>Hello</p></body></html>", "utf-8"));
    REQUIRE_FALSE(page);
    CHECK(page.error().code == make_error_code(errc::parse_failed));
    CHECK(page.error().detail.rfind(kFirst, 0) == 0);
    CHECK(page.error().detail.find("not an otzovik.com reviews page") != std::string::npos);
  }
}

TEST_CASE("otzovik.com: the first page's URL", "[sources][otzovik]") {
  CHECK(otzovik_url("roketbank") == kFirst);
  CHECK(otzovik_url("bank/x y") == "https://otzovik.com/reviews/bank%2Fx%20y/");
}
