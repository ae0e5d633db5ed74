// The Google Places preset on hand-written answers of the legacy Place Details API and the
// Places API (New).
#include "sources/generic/dates.hpp"
#include "sources/google_places/google_places_parse.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/unit/sources/parse_input.hpp"

using namespace otklik;
using otklik::test::read_fixture;

namespace {

constexpr const char* kLegacyUrl =
    "https://maps.googleapis.com/maps/api/place/details/json?place_id=ChIJexamplePlaceId0001"
    "&fields=reviews,name,url&reviews_sort=newest&language=ru&key=k-1";
constexpr const char* kNewUrl = "https://places.googleapis.com/v1/places/ChIJexamplePlaceId0001?languageCode=ru";

ParseInput input(const std::string& body, std::string base = kLegacyUrl) {
  return test::parse_input(body, std::move(base), "gmaps-cafe", "veter", *make_utc(2026, 12, 1, 9, 0, 0));
}

}  // namespace

TEST_CASE("legacy Place Details reviews carry every field", "[sources][google_places]") {
  const std::string body = read_fixture("google_places/details_legacy.json");
  auto page = parse_google_places(input(body));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 3);  // the rating without text is skipped

  const Mention& a = page->mentions[0];
  CHECK(a.source == "gmaps-cafe");
  CHECK(a.brand == "veter");
  CHECK(a.fetched == *make_utc(2026, 12, 1, 9, 0, 0));
  CHECK(a.external_id == "104000000000000000001@1795845600");
  CHECK(a.url == "https://maps.google.com/?cid=1234567890123456789");
  CHECK(a.author == "Дарья Волкова");
  CHECK(a.author_id == "https://www.google.com/maps/contrib/104000000000000000001/reviews");
  CHECK(a.title.empty());
  CHECK(a.text ==
        "Заказала капучино на овсяном, принесли на обычном молоке. На просьбу переделать бариста нагрубил.\n"
        "Больше не приду.");
  CHECK(a.rating == std::optional<double>(1.0));
  CHECK(a.published == make_utc(2026, 11, 28, 6, 0, 0));
  CHECK(a.company_reply.empty());  // the API has no owner's replies

  const Mention& b = page->mentions[1];
  CHECK(b.author == "James Porter");
  CHECK(b.text == "Great flat white & quiet place to work. Staff were lovely.");
  CHECK(b.rating == std::optional<double>(5.0));
  CHECK(b.published == make_utc(2026, 11, 23, 6, 0, 0));
  CHECK(page->mentions[2].rating == std::optional<double>(2.0));

  REQUIRE(page->warnings.size() == 1);
  CHECK(page->warnings[0].find("Пётр") != std::string::npos);
  CHECK(page->warnings[0].find("no text") != std::string::npos);
}

TEST_CASE("Places API (New) reviews carry every field", "[sources][google_places]") {
  const std::string body = read_fixture("google_places/place_new.json");
  auto page = parse_google_places(input(body, kNewUrl));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 3);

  const Mention& a = page->mentions[0];
  CHECK(a.external_id == "places/ChIJexamplePlaceId0001/reviews/ChdDSUhNMG9nS0VJQ0FnSURfZXhhbXBsZTEQAQ");
  CHECK(a.url ==
        "https://www.google.com/maps/reviews/data=!4m6!14m5!1m4!2m3!1sChdDSUhNMG9nS0VJQ0FnSURfZXhhbXBsZTEQAQ!2m1!1s0x0:0x1");
  CHECK(a.author == "Алексей Смирнов");
  CHECK(a.author_id == "https://www.google.com/maps/contrib/105000000000000000001/reviews");
  CHECK(a.text.rfind("Ждали заказ 50 минут", 0) == 0);
  CHECK(a.rating == std::optional<double>(2.0));
  CHECK(a.published == make_utc(2026, 11, 20, 8, 15, 30));
  CHECK(a.company_reply.empty());
  CHECK(a.source == "gmaps-cafe");

  CHECK(page->mentions[1].text == "Отличная паста, быстро и вкусно.");  // the requested language
  const Mention& d = page->mentions[2];
  CHECK(d.text == "Rude staff at the counter.");  // no translation: the original, markup reduced
  CHECK(d.url == "https://www.google.com/maps/place/?q=place_id:ChIJexamplePlaceId0001");  // no link of its own
  CHECK(d.rating == std::optional<double>(1.0));

  REQUIRE(page->warnings.size() == 1);
  CHECK(page->warnings[0].find("ChdDSUhNMG9nS0VJQ0FnSURfZXhhbXBsZTMQAQ") != std::string::npos);
}

TEST_CASE("Google ratings map onto 0..5", "[sources][google_places]") {
  struct Case {
    const char* rating;
    std::optional<double> expected;
  };
  const Case cases[] = {{"1", 1.0}, {"4", 4.0}, {"5", 5.0}, {"4.5", 4.5}, {"0", std::nullopt}, {"6", std::nullopt}};
  for (const auto& c : cases) {
    CAPTURE(c.rating);
    const std::string legacy = std::string(R"({"status":"OK","result":{"reviews":[{"text":"t","time":1,"rating":)") +
                               c.rating + "}]}}";
    const std::string fresh = std::string(R"({"reviews":[{"name":"places/p/reviews/r","text":{"text":"t"},"rating":)") +
                              c.rating + "}]}";
    for (const auto& body : {legacy, fresh}) {
      auto page = parse_google_places(input(body));
      REQUIRE(page);
      REQUIRE(page->mentions.size() == 1);
      CHECK(page->mentions[0].rating == c.expected);
    }
  }
}

TEST_CASE("Google refusals fail with Google's own message", "[sources][google_places]") {
  struct Case {
    const char* body;
    errc code;
    const char* says;
    int http_status;
  };
  const Case cases[] = {
      {R"({"error_message":"The provided API key is invalid. ","html_attributions":[],"status":"REQUEST_DENIED"})",
       errc::permanent, "REQUEST_DENIED: The provided API key is invalid.", 0},
      {R"({"html_attributions":[],"status":"INVALID_REQUEST"})", errc::permanent, "INVALID_REQUEST", 0},
      {R"({"html_attributions":[],"status":"NOT_FOUND"})", errc::permanent, "NOT_FOUND", 0},
      {R"({"error_message":"You have exceeded your daily request quota","status":"OVER_QUERY_LIMIT"})",
       errc::rate_limited, "exceeded your daily request quota", 0},
      {R"({"html_attributions":[],"status":"UNKNOWN_ERROR"})", errc::http_status, "UNKNOWN_ERROR", 503},
      {R"({"status":"OK"})", errc::parse_failed, "without a \"result\"", 0},
      {R"({"error":{"code":403,"message":"Places API (New) has not been used in project 1 before","status":"PERMISSION_DENIED"}})",
       errc::http_status, "403 PERMISSION_DENIED: Places API (New) has not been used", 403},
      {R"({"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}})", errc::rate_limited,
       "Quota exceeded", 429},
      {"<!DOCTYPE html><html><title>Error 404 (Not Found)!!1</title></html>", errc::parse_failed, "not JSON", 0},
      {"[]", errc::parse_failed, "not a JSON object", 0},
      {R"({"candidates":[]})", errc::parse_failed, "not a Places API answer", 0},
      {R"({"reviews":"none"})", errc::parse_failed, "not an array", 0},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    auto page = parse_google_places(input(c.body));
    REQUIRE_FALSE(page.has_value());
    CHECK(page.error().code == make_error_code(c.code));
    CHECK(page.error().detail.find(c.says) != std::string::npos);
    CHECK(page.error().detail.rfind(kLegacyUrl, 0) == 0);
    CHECK(page.error().http_status == c.http_status);
  }
}

TEST_CASE("a place without reviews is an empty page in both APIs", "[sources][google_places]") {
  for (const char* body : {"{}", R"({"html_attributions":[],"status":"ZERO_RESULTS"})",
                           R"({"html_attributions":[],"result":{"name":"x","url":"u"},"status":"OK"})",
                           R"({"reviews":[]})"}) {
    CAPTURE(body);
    auto page = parse_google_places(input(body));
    REQUIRE(page);
    CHECK(page->mentions.empty());
    CHECK(page->warnings.empty());
  }
}

TEST_CASE("Google hostile text is reduced to clean text", "[sources][google_places]") {
  const std::string body =
      "{\"status\":\"OK\",\"result\":{\"reviews\":[{\"author_name\":\"X\",\"text\":\"<script>steal()</script>"
      "Awful\xc3\x28 coffee<p>never again</p>\",\"time\":1700000000,\"rating\":1}]}}";
  auto page = parse_google_places(input(body));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].text == "Awful\xEF\xBF\xBD( coffee\nnever again");
  CHECK(page->mentions[0].external_id.rfind("h:", 0) == 0);  // no contributor URL: a content hash
}

TEST_CASE("Google Places: the legacy first URL", "[sources][google_places]") {
  CHECK(google_places_url("ChIJexamplePlaceId0001", "ru") ==
        "https://maps.googleapis.com/maps/api/place/details/json?place_id=ChIJexamplePlaceId0001"
        "&fields=reviews,name,url&reviews_sort=newest&language=ru");
  CHECK(google_places_url("ChIJ x&y", "") ==
        "https://maps.googleapis.com/maps/api/place/details/json?place_id=ChIJ%20x%26y"
        "&fields=reviews,name,url&reviews_sort=newest");
  CHECK(google_places_url("p1", "en") ==
        "https://maps.googleapis.com/maps/api/place/details/json?place_id=p1&fields=reviews,name,url"
        "&reviews_sort=newest&language=en");
}
