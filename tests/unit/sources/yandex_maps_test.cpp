// The Yandex Maps preset on a hand-written organisation reviews page in Yandex's markup.
#include "sources/generic/block_page.hpp"
#include "sources/generic/dates.hpp"
#include "sources/yandex_maps/yandex_maps_parse.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/unit/sources/parse_input.hpp"

using namespace otklik;
using otklik::test::read_fixture;

namespace {

const char* const kPage = "https://yandex.ru/maps/org/roketbank/1000000001/reviews/";

ParseInput input(const std::string& body) {
  return test::parse_input(body, kPage, "ym", "Рокетбанк", *make_utc(2026, 11, 24, 12, 0, 0), "utf-8");
}

/// One review card in Yandex's markup around `inner` (rating, date, body…).
std::string card(const std::string& inner) {
  return "<div class=\"business-reviews-card-view__review\"><div class=\"business-review-view\" itemprop=\"review\" "
         "itemscope=\"\"><div class=\"business-review-view__author-name\" itemprop=\"author\"><a "
         "class=\"business-review-view__link\" href=\"https://yandex.ru/maps/user/u1\"><span "
         "itemprop=\"name\">Тест</span></a></div>" +
         inner + "</div></div>";
}

std::string org_page(const std::string& cards) {
  return "<html><head><meta charset=\"utf-8\"></head><body><div class=\"orgpage-header-view\"><h1>Банк</h1></div>"
         "<div class=\"business-reviews-card-view\">" +
         cards + "</div></body></html>";
}

}  // namespace

TEST_CASE("a Yandex Maps reviews page becomes its reviews with text", "[sources][yandex_maps]") {
  const std::string body = read_fixture("yandex_maps/reviews.html");
  auto page = parse_yandex_maps(input(body));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 3);  // the stars-only review has no text

  const Mention& a = page->mentions[0];
  CHECK(a.source == "ym");
  CHECK(a.brand == "Рокетбанк");
  CHECK(a.fetched == make_utc(2026, 11, 24, 12, 0, 0));
  CHECK(a.external_id == "k3v7q1w9e5r2t8y4u6i0o1p3@" +
                             std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                make_utc(2026, 11, 23, 7, 41, 12)->time_since_epoch())
                                                .count()));
  CHECK(a.url == kPage);
  CHECK(a.author == "Ольга Пример");
  CHECK(a.author_id == "https://yandex.ru/maps/user/k3v7q1w9e5r2t8y4u6i0o1p3");
  CHECK(a.title.empty());
  CHECK(a.text ==
        "Отделение на Тверской: очередь 40 минут, работает одно окно из четырёх.\n"
        "Карту перевыпускали две недели, в итоге выдали с ошибкой в фамилии.");
  CHECK(a.rating == std::optional<double>(2.0));
  REQUIRE(a.published);
  CHECK(std::chrono::floor<std::chrono::seconds>(*a.published) == make_utc(2026, 11, 23, 7, 41, 12));
  CHECK(a.company_reply ==
        "Ольга, здравствуйте! Приносим извинения за ожидание. Карту с верной фамилией перевыпустим бесплатно — "
        "напишите нам в чат приложения.");

  const Mention& b = page->mentions[1];
  CHECK(b.author == "Dmitry Sample");
  CHECK(b.text == "Opened an account in ten minutes, the manager spoke English. Great service!");
  CHECK(b.rating == std::optional<double>(5.0));
  CHECK(b.published == make_utc(2026, 11, 20, 15, 3, 0));
  CHECK(b.company_reply.empty());

  // No profile link and no machine date: the content hash, the stars' label for the rating, and a
  // collapsed answer whose text the page does not hold.
  const Mention& c = page->mentions[2];
  CHECK(c.external_id.rfind("h:", 0) == 0);
  CHECK(c.author == "Анонимный отзыв");
  CHECK(c.author_id.empty());
  CHECK(c.text == "Банкомат у метро съел карту, вернули через неделю.");
  CHECK(c.rating == std::optional<double>(3.0));
  CHECK_FALSE(c.published);
  CHECK(c.company_reply.empty());

  REQUIRE(page->warnings.size() == 1);
  CHECK(page->warnings[0].find("skipped") != std::string::npos);
}

TEST_CASE("Yandex Maps ratings: the microdata value, else the stars' label", "[sources][yandex_maps]") {
  struct Case {
    const char* markup;
    std::optional<double> expected;
  };
  const Case cases[] = {
      {"<span itemprop=\"reviewRating\"><meta itemprop=\"ratingValue\" content=\"4.0\"></span>", 4.0},
      {"<div class=\"business-rating-badge-view__stars _spacing_normal\" aria-label=\"Оценка 1 Из 5\"></div>", 1.0},
      {"<div class=\"business-rating-badge-view__stars\" aria-label=\"Оценка 2 Из 5\"></div>"
       "<span itemprop=\"reviewRating\"><meta itemprop=\"ratingValue\" content=\"3.0\"></span>",
       3.0},
      {"<span itemprop=\"reviewRating\"><meta itemprop=\"ratingValue\" content=\"9\"></span>", 5.0},  // clamped
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.markup);
    const std::string body =
        org_page(card(std::string(c.markup) + "<div itemprop=\"reviewBody\">Нормально</div>"));
    auto page = parse_yandex_maps(input(body));
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 1);
    CHECK(page->mentions[0].rating == c.expected);
  }
}

TEST_CASE("Yandex Maps: hostile review text is reduced to plain valid UTF-8", "[sources][yandex_maps]") {
  const std::string body = org_page(card(
      "<div itemprop=\"reviewBody\"><script>alert('x')</script><img src=x onerror=alert(1)>Плохо \xff\xfe"
      "<i>обслужили</i></div><div class=\"business-review-comment-content__bubble\"><style>p{}</style>Извините"
      "</div>"));
  auto page = parse_yandex_maps(input(body));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  const Mention& m = page->mentions[0];
  CHECK(m.text.find("alert") == std::string::npos);
  CHECK(m.text.find('<') == std::string::npos);
  CHECK(m.text.find("Плохо") != std::string::npos);
  CHECK(m.text.find("обслужили") != std::string::npos);
  CHECK(m.text.find("\xff") == std::string::npos);
  CHECK(m.company_reply == "Извините");
  CHECK(m.external_id.rfind("h:", 0) == 0);  // no date: the content hash
}

TEST_CASE("Yandex Maps: no reviews, captcha and foreign pages", "[sources][yandex_maps]") {
  SECTION("an organisation without reviews is an empty page") {
    auto page = parse_yandex_maps(input(org_page("")));
    REQUIRE(page);
    CHECK(page->mentions.empty());
    CHECK(page->warnings.empty());
  }
  SECTION("SmartCaptcha is a block page, never an empty page of reviews") {
    const std::string captcha =
        "<!DOCTYPE html><html><head><title>Вы не робот?</title></head><body><form action=\"/checkcaptcha?key=k1&amp;"
        "retpath=https%3A%2F%2Fyandex.ru%2Fmaps%2Forg%2F1000000001%2Freviews%2F\" method=\"post\"><div "
        "class=\"CheckboxCaptcha\"><input type=\"checkbox\" id=\"js-button\"> Я не робот</div></form>"
        "<p>Нам очень жаль, но запросы с вашего устройства похожи на автоматические.</p></body></html>";
    CHECK(detect_block_page(200, "text/html; charset=utf-8", captcha) == std::optional<std::string>("captcha page"));
    auto page = parse_yandex_maps(input(captcha));
    REQUIRE_FALSE(page);
    CHECK(page.error().code == make_error_code(errc::parse_failed));
  }
  SECTION("a page that is not an organisation's fails with the URL and the reason") {
    auto page = parse_yandex_maps(input("<html><body><p>Страница не найдена</p></body></html>"));
    REQUIRE_FALSE(page);
    CHECK(page.error().code == make_error_code(errc::parse_failed));
    CHECK(page.error().detail.rfind(kPage, 0) == 0);
    CHECK(page.error().detail.find("not a Yandex Maps organisation page") != std::string::npos);
  }
  SECTION("an empty body fails") {
    CHECK_FALSE(parse_yandex_maps(input("")));
  }
}

TEST_CASE("Yandex Maps: the first page's URL", "[sources][yandex_maps]") {
  CHECK(yandex_maps_url("1000000001") == "https://yandex.ru/maps/org/1000000001/reviews/");
  CHECK(yandex_maps_url("a b/c") == "https://yandex.ru/maps/org/a%20b%2Fc/reviews/");
}
