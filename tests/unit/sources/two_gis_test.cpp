// The 2GIS preset on hand-written pages in the format of the public reviews API.
#include "sources/generic/dates.hpp"
#include "sources/two_gis/two_gis_parse.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/unit/sources/parse_input.hpp"

using namespace otklik;
using otklik::test::read_fixture;

namespace {

constexpr const char* kPageUrl =
    "https://public-api.reviews.2gis.com/2.0/branches/70000001099000001/reviews?limit=5&offset=0"
    "&is_advertiser=false&rated=true&sort_by=date_edited&key=k-1&locale=ru_RU";

ParseInput input(const std::string& body, std::string base = kPageUrl) {
  return test::parse_input(body, std::move(base), "2gis-pvz", "romashka", *make_utc(2026, 11, 23, 12, 0, 0));
}

}  // namespace

TEST_CASE("2GIS reviews carry every field, the official answer and warnings", "[sources][two_gis]") {
  const std::string body = read_fixture("two_gis/reviews.json");
  auto page = parse_two_gis(input(body));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 3);  // one hidden as spam, one without text

  const Mention& a = page->mentions[0];
  CHECK(a.source == "2gis-pvz");
  CHECK(a.brand == "romashka");
  CHECK(a.fetched == *make_utc(2026, 11, 23, 12, 0, 0));
  CHECK(a.external_id == "151000001");
  CHECK(a.url == "https://2gis.ru/reviews/70000001099000001/review/151000001");
  CHECK(a.author == "Светлана К.");
  CHECK(a.author_id == "a1b2c3d4e5f60001");
  CHECK(a.title.empty());
  CHECK(a.text ==
        "Третий раз прихожу за заказом — «ещё не пришёл», хотя в приложении статус «готов к выдаче».\n"
        "Оператор на горячей линии бросает трубку. Верните деньги!");
  CHECK(a.rating == std::optional<double>(1.0));
  CHECK(a.published == make_utc(2026, 11, 20, 11, 3, 11));  // +07:00, fraction dropped
  CHECK(a.company_reply ==
        "Светлана, приносим извинения. Заказ передан в службу качества,\nденьги вернём в течение трёх дней.");

  const Mention& b = page->mentions[1];
  CHECK(b.external_id == "151000002");
  CHECK(b.author == "Tom");
  CHECK(b.rating == std::optional<double>(5.0));
  CHECK(b.published == make_utc(2026, 11, 19, 0, 40, 0));  // created, not edited
  CHECK(b.company_reply.empty());

  const Mention& c = page->mentions[2];
  CHECK(c.external_id == "151000005");  // a numeric id
  CHECK(c.url == "https://2gis.ru/reviews/70000001099000001/review/151000005");  // built: no url of its own
  CHECK(c.author_id == "7c1d2e3f40005");  // public_id null → the user id
  CHECK(c.text == "Очередь на 40 минут, работает одно окно из трёх. Плохо.");
  CHECK(c.company_reply.empty());  // an empty answer is no answer

  REQUIRE(page->warnings.size() == 2);
  CHECK(page->warnings[0].find("151000003") != std::string::npos);
  CHECK(page->warnings[0].find("spam") != std::string::npos);
  CHECK(page->warnings[1].find("151000004") != std::string::npos);
  CHECK(page->warnings[1].find("no text") != std::string::npos);
}

TEST_CASE("2GIS ratings map onto 0..5 and odd values are left empty", "[sources][two_gis]") {
  struct Case {
    const char* rating;
    std::optional<double> expected;
    bool warns;
  };
  const Case cases[] = {
      {"1", 1.0, false}, {"3", 3.0, false}, {"5", 5.0, false}, {"\"4\"", 4.0, false},
      {"0", std::nullopt, true}, {"7", std::nullopt, true}, {"null", std::nullopt, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.rating);
    const std::string body = std::string(R"({"meta":{"code":200},"reviews":[{"id":"1","text":"ok","rating":)") +
                             c.rating + "}]}";
    auto page = parse_two_gis(input(body));
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 1);
    CHECK(page->mentions[0].rating == c.expected);
    CHECK(page->warnings.empty() == !c.warns);
  }
}

TEST_CASE("2GIS hostile text is reduced to clean text", "[sources][two_gis]") {
  const std::string body = "{\"reviews\":[{\"id\":\"9\",\"text\":\"<img src=x onerror=alert(1)>Bad\xff\xfe service<br>again\","
                           "\"rating\":1,\"user\":{\"name\":\"<i>Eve</i>\"}}]}";
  auto page = parse_two_gis(input(body));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].text == "Bad\xEF\xBF\xBD\xEF\xBF\xBD service\nagain");
  CHECK(page->mentions[0].author == "<i>Eve</i>");  // a name is kept as written, on one line
  CHECK(page->mentions[0].url == "https://2gis.ru/reviews/70000001099000001/review/9");  // branch from the URL
}

TEST_CASE("2GIS answers that are not a page of reviews fail clearly", "[sources][two_gis]") {
  struct Case {
    const char* body;
    errc code;
    const char* says;
  };
  const Case cases[] = {
      {"<html><body>502 Bad Gateway</body></html>", errc::parse_failed, "not JSON"},
      {"[1,2]", errc::parse_failed, "not a JSON object"},
      {R"({"items":[]})", errc::parse_failed, "no \"reviews\""},
      {R"({"meta":{"code":200},"reviews":{"id":"1"}})", errc::parse_failed, "not an array"},
      {R"({"meta":{"code":403,"error":{"type":"keyError","message":"Key is not valid"}}})", errc::http_status,
       "Key is not valid"},
      {R"({"meta":{"code":429,"error":{"type":"limitError"}}})", errc::rate_limited, "limitError"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    auto page = parse_two_gis(input(c.body));
    REQUIRE_FALSE(page.has_value());
    CHECK(page.error().code == make_error_code(c.code));
    CHECK(page.error().detail.find(c.says) != std::string::npos);
    CHECK(page.error().detail.rfind(kPageUrl, 0) == 0);
  }
  auto forbidden = parse_two_gis(input(R"({"meta":{"code":403,"error":{"message":"x"}}})"));
  REQUIRE_FALSE(forbidden.has_value());
  CHECK(forbidden.error().http_status == 403);
}

TEST_CASE("a 2GIS branch without reviews is an empty page", "[sources][two_gis]") {
  for (const char* body : {R"({"meta":{"code":200,"total_count":0},"reviews":[]})", R"({"meta":{"code":200}})",
                           R"({"meta":{"code":200},"reviews":null})"}) {
    CAPTURE(body);
    auto page = parse_two_gis(input(body));
    REQUIRE(page);
    CHECK(page->mentions.empty());
    CHECK(page->warnings.empty());
  }
}

TEST_CASE("2GIS pages go by offset, or by the API's next link", "[sources][two_gis]") {
  const std::string full = read_fixture("two_gis/reviews.json");
  const std::string last = read_fixture("two_gis/reviews_last.json");
  const ParsedPage unused;
  CHECK(next_two_gis_page(kPageUrl, full, unused) ==
        std::optional<std::string>(
            "https://public-api.reviews.2gis.com/2.0/branches/70000001099000001/reviews?limit=5&offset=5"
            "&is_advertiser=false&rated=true&sort_by=date_edited&key=k-1&locale=ru_RU"));
  // The last page: fewer reviews than the limit.
  const std::string second =
      "https://public-api.reviews.2gis.com/2.0/branches/70000001099000001/reviews?limit=5&offset=5&key=k-1";
  CHECK_FALSE(next_two_gis_page(second, last, unused));
  // A full page that reaches total_count is the last one too.
  CHECK_FALSE(next_two_gis_page("https://public-api.reviews.2gis.com/2.0/branches/1/reviews?limit=5&offset=2", full,
                                unused));
  // No limit in the URL: the API's default of 50, so five reviews are the last page.
  CHECK_FALSE(next_two_gis_page("https://public-api.reviews.2gis.com/2.0/branches/1/reviews", full, unused));
  CHECK_FALSE(next_two_gis_page(kPageUrl, R"({"meta":{"code":200},"reviews":[]})", unused));
  CHECK_FALSE(next_two_gis_page(kPageUrl, "not json", unused));

  const std::string linked =
      R"({"meta":{"code":200,"next_link":"https://public-api.reviews.2gis.com/2.0/branches/1/reviews?limit=5&offset_date=2026-11-16T19%3A45%3A00%2B07%3A00&key=k-1"},"reviews":[{"id":"1","text":"a"}]})";
  CHECK(next_two_gis_page(kPageUrl, linked, unused) ==
        std::optional<std::string>("https://public-api.reviews.2gis.com/2.0/branches/1/reviews?limit=5&offset_date="
                                   "2026-11-16T19%3A45%3A00%2B07%3A00&key=k-1"));
  const std::string elsewhere =
      R"({"meta":{"next_link":"https://evil.example/steal?key=k-1"},"reviews":[{"id":"1","text":"a"}]})";
  CHECK_FALSE(next_two_gis_page(kPageUrl, elsewhere, unused));
}

TEST_CASE("the 2GIS first page URL carries the branch and locale", "[sources][two_gis]") {
  CHECK(two_gis_url("70000001099000001", "ru_RU") ==
        "https://public-api.reviews.2gis.com/2.0/branches/70000001099000001/reviews?limit=50&offset=0"
        "&is_advertiser=false&fields=meta.providers,meta.branch_rating,meta.branch_reviews_count,meta.total_count,"
        "reviews.hiding_reason,reviews.is_verified&without_my_first_review=false&rated=true&sort_by=date_edited"
        "&locale=ru_RU");
  const std::string odd = two_gis_url("70/00 1", "");
  CHECK(odd.find("/branches/70%2F00%201/reviews?") != std::string::npos);
  CHECK(odd.find("&locale=ru_RU") != std::string::npos);
  CHECK(two_gis_url("1", "kk_KZ").find("&rated=true&sort_by=date_edited&locale=kk_KZ") != std::string::npos);
}
