// The Reddit and App Store presets on hand-written pages in each site's format.
#include "sources/app_store/app_store_parse.hpp"
#include "sources/generic/dates.hpp"
#include "sources/reddit/reddit_parse.hpp"
#include "sources/source.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/unit/sources/parse_input.hpp"

using namespace otklik;
using otklik::test::read_fixture;

namespace {

ParseInput input(const std::string& body, std::string base) {
  return test::parse_input(body, std::move(base), "s", "", *make_utc(2026, 11, 23, 12, 0, 0));
}

}  // namespace

TEST_CASE("Reddit search results become mentions; link posts speak through their title", "[sources][reddit]") {
  const std::string body = read_fixture("reddit/search.json");
  auto page = parse_reddit_listing(input(body, "https://www.reddit.com/search.json?q=rocketbank&sort=new"));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 2);  // the comment (t1) is not a post
  const Mention& a = page->mentions[0];
  CHECK(a.external_id == "t3_1gx0001");
  CHECK(a.title == "Rocketbank double charge, no refund");
  CHECK(a.text.rfind("They charged my card twice", 0) == 0);
  CHECK(a.text.find("Edit: still no refund.") != std::string::npos);
  CHECK(a.author == "quiet_otter_42");
  CHECK(a.author_id == "https://www.reddit.com/user/quiet_otter_42");
  CHECK(a.url == "https://www.reddit.com/r/personalfinance/comments/1gx0001/rocketbank_double_charge_no_refund/");
  CHECK(a.published == TimePoint{std::chrono::seconds{1763890800}});
  const Mention& b = page->mentions[1];
  CHECK(b.text == "Rocketbank app has been down all morning");
  CHECK(b.author.empty());  // [deleted]
  CHECK(b.author_id.empty());
}

TEST_CASE("Reddit answers that are not a listing fail clearly", "[sources][reddit]") {
  CHECK_FALSE(parse_reddit_listing(input("{\"message\": \"Too Many Requests\", \"error\": 429}", "u")).has_value());
  CHECK_FALSE(parse_reddit_listing(input("<html>", "u")).has_value());
  auto empty = parse_reddit_listing(input(R"({"kind":"Listing","data":{"children":[]}})", "u"));
  REQUIRE(empty);
  CHECK(empty->mentions.empty());
}

TEST_CASE("App Store reviews carry their rating, version and author", "[sources][app_store]") {
  const std::string body = read_fixture("app_store/reviews.json");
  auto page = parse_app_store_reviews(
      input(body, "https://itunes.apple.com/ru/rss/customerreviews/page=1/id=1000000000/sortby=mostrecent/json"));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 2);
  const Mention& a = page->mentions[0];
  CHECK(a.external_id == "11000000001");
  CHECK(a.rating == std::optional<double>(1.0));
  CHECK(a.title == "5.12.0 · Не входит после обновления");
  CHECK(a.text.find("вылетает на экране входа") != std::string::npos);
  CHECK(a.author == "Марина_77");
  CHECK(a.author_id == "https://itunes.apple.com/ru/reviews/id1000000001");
  CHECK(a.published == make_utc(2026, 11, 23, 4, 14, 5));
  CHECK(page->mentions[1].rating == std::optional<double>(5.0));
}

TEST_CASE("App Store pages: one entry, none, the app's own entry, not a feed", "[sources][app_store]") {
  auto one = parse_app_store_reviews(input(
      R"({"feed":{"entry":{"id":{"label":"9"},"im:rating":{"label":"2"},"title":{"label":"Медленно"},"content":{"label":"Долго грузится"}}}})",
      "u"));
  REQUIRE(one);
  REQUIRE(one->mentions.size() == 1);
  CHECK(one->mentions[0].rating == std::optional<double>(2.0));
  auto none = parse_app_store_reviews(input(R"({"feed":{"title":{"label":"x"}}})", "u"));
  REQUIRE(none);
  CHECK(none->mentions.empty());
  auto app = parse_app_store_reviews(input(R"({"feed":{"entry":[{"im:name":{"label":"App"},"id":{"label":"1"}}]}})", "u"));
  REQUIRE(app);
  CHECK(app->mentions.empty());
  CHECK_FALSE(parse_app_store_reviews(input("[]", "u")).has_value());
}

TEST_CASE("the registry knows the reddit_search and app_store presets", "[sources][reddit][app_store]") {
  const SourceRegistry r = SourceRegistry::with_builtin_types();
  CHECK(r.find("reddit_search") != nullptr);
  CHECK(r.find("app_store") != nullptr);
}
