// The irecommend.ru preset on hand-written list pages in the site's markup.
#include "sources/generic/block_page.hpp"
#include "sources/generic/dates.hpp"
#include "sources/irecommend/irecommend_parse.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/unit/sources/parse_input.hpp"

using namespace otklik;
using otklik::test::read_fixture;

namespace {

const char* const kFirst = "https://irecommend.ru/content/bank-roketbank?new=1";

ParseInput input(const std::string& body, std::string url = kFirst) {
  return test::parse_input(body, std::move(url), "irec", "Рокетбанк", *make_utc(2026, 11, 24, 12, 0, 0), "utf-8");
}

/// An irecommend.ru list page around one item's inner markup.
std::string page_with(const std::string& item) {
  return "<html><head><meta charset=\"utf-8\"></head><body><a href=\"/\">irecommend.ru</a><ul "
         "class=\"list-comments\"><li class=\"item\"><div class=\"smTeaser\">" +
         item + "</div></li></ul></body></html>";
}

}  // namespace

TEST_CASE("an irecommend.ru list page becomes its review teasers", "[sources][irecommend]") {
  const std::string body = read_fixture("irecommend/page0.html");
  auto page = parse_irecommend(input(body));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 3);  // the photo report without a teaser is skipped

  const Mention& a = page->mentions[0];
  CHECK(a.source == "irec");
  CHECK(a.brand == "Рокетбанк");
  CHECK(a.fetched == make_utc(2026, 11, 24, 12, 0, 0));
  CHECK(a.external_id == "/content/ne-sovetuyu-kartu-zablokirovali-na-mesyats");
  CHECK(a.url == "https://irecommend.ru/content/ne-sovetuyu-kartu-zablokirovali-na-mesyats");
  CHECK(a.author == "nina-example");
  CHECK(a.author_id == "https://irecommend.ru/users/nina-example");
  CHECK(a.title == "Не советую: карту заблокировали на месяц");
  CHECK(a.text ==
        "Зарплатная карта была заблокирована без предупреждения, в отделении разводили руками. Деньги вернули "
        "только через 30 дней...");
  CHECK(a.rating == std::optional<double>(1.0));
  CHECK(a.published == make_utc(2026, 11, 23));
  CHECK(a.company_reply.empty());

  const Mention& b = page->mentions[1];
  CHECK(b.external_id == "/content/luchshii-keshbek");
  CHECK(b.text == "Cashback arrives on time and the app is fast. Рекомендую!");
  CHECK(b.rating == std::optional<double>(5.0));
  CHECK(b.published == make_utc(2026, 11, 20));

  const Mention& c = page->mentions[2];  // a guest: no profile; the date without a span
  CHECK(c.author == "Гость");
  CHECK(c.author_id.empty());
  CHECK(c.rating == std::optional<double>(3.0));
  CHECK(c.published == make_utc(2026, 11, 2));

  REQUIRE(page->warnings.size() == 1);
  CHECK(page->warnings[0].find("skipped") != std::string::npos);
}

TEST_CASE("irecommend.ru ratings count the filled stars", "[sources][irecommend]") {
  struct Case {
    const char* stars;
    std::optional<double> expected;
  };
  const Case cases[] = {
      {"<div class=\"starsRating\"><div class=\"star\"><div class=\"on\"></div></div><div class=\"star\"><div "
       "class=\"on\"></div></div><div class=\"star\"><div class=\"off\"></div></div></div>",
       2.0},
      {"<div class=\"starsRating\"><div class=\"star\"><div class=\"off\"></div></div></div>", 0.0},
      {"", std::nullopt},  // no stars at all: no rating, not zero
  };
  for (const auto& c : cases) {
    CAPTURE(c.stars);
    auto page = parse_irecommend(input(page_with(std::string(c.stars) + "<span class=\"reviewTeaserText\">Текст</span>")));
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 1);
    CHECK(page->mentions[0].rating == c.expected);
  }
}

TEST_CASE("irecommend.ru paging: page=N+1 while the pager has a next link", "[sources][irecommend]") {
  const std::string first = read_fixture("irecommend/page0.html");
  const std::string last = read_fixture("irecommend/page1_last.html");
  const ParsedPage none;
  CHECK(next_irecommend_page(kFirst, first, none) ==
        std::optional<std::string>("https://irecommend.ru/content/bank-roketbank?new=1&page=1"));
  CHECK(next_irecommend_page("https://irecommend.ru/content/bank-roketbank?new=1&page=4", first, none) ==
        std::optional<std::string>("https://irecommend.ru/content/bank-roketbank?new=1&page=5"));
  CHECK_FALSE(next_irecommend_page("https://irecommend.ru/content/bank-roketbank?new=1&page=1", last, none));
  CHECK_FALSE(next_irecommend_page(kFirst, "", none));

  auto page = parse_irecommend(input(last, "https://irecommend.ru/content/bank-roketbank?new=1&page=1"));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].external_id == "/content/dolgaya-dostavka-karty");
  CHECK(page->mentions[0].published == make_utc(2026, 10, 1));
}

TEST_CASE("irecommend.ru: hostile teaser text is reduced to plain valid UTF-8", "[sources][irecommend]") {
  auto page = parse_irecommend(input(page_with(
      "<div class=\"reviewTitle\"><a href=\"/content/x\">Титул<script>t()</script></a></div>"
      "<a class=\"reviewTextSnippet\" href=\"/content/x\"><span class=\"reviewTeaserText\"><script>alert(1)</script>"
      "<b>Обманули</b> \xc3\x28 с <iframe src=\"https://evil.example\"></iframe>вкладом</span></a>")));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  const Mention& m = page->mentions[0];
  CHECK(m.title == "Титул");
  CHECK(m.text.find("alert") == std::string::npos);
  CHECK(m.text.find('<') == std::string::npos);
  CHECK(m.text.find("Обманули") != std::string::npos);
  CHECK(m.text.find("вкладом") != std::string::npos);
  CHECK(m.text.find("\xc3\x28") == std::string::npos);
}

TEST_CASE("irecommend.ru: empty lists, block pages and foreign pages", "[sources][irecommend]") {
  SECTION("a product without reviews is an empty page") {
    auto page = parse_irecommend(input("<html><body><h1>Новый банк</h1><div id=\"footer\">irecommend.ru</div></body></html>"));
    REQUIRE(page);
    CHECK(page->mentions.empty());
  }
  SECTION("Cloudflare's challenge is a block page") {
    const std::string challenge =
        "<html><head><title>Just a moment...</title></head><body><div id=\"challenge-form\"></div>"
        "<script>window._cf_chl_opt={cType:'managed'};</script></body></html>";
    CHECK(detect_block_page(403, "text/html", challenge));
  }
  SECTION("a page that is not irecommend.ru's fails with the URL and the reason") {
    auto page = parse_irecommend(input("<html><body><p>Hello</p></body></html>"));
    REQUIRE_FALSE(page);
    CHECK(page.error().code == make_error_code(errc::parse_failed));
    CHECK(page.error().detail.rfind(kFirst, 0) == 0);
    CHECK(page.error().detail.find("not an irecommend.ru reviews page") != std::string::npos);
  }
}

TEST_CASE("irecommend.ru: the first page's URL", "[sources][irecommend]") {
  CHECK(irecommend_url("bank-roketbank") == kFirst);
  CHECK(irecommend_url("a b") == "https://irecommend.ru/content/a%20b?new=1");
}
