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

TEST_CASE("Reddit search results become mentions, link posts speak through their title", "[sources][reddit]") {
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

TEST_CASE("App Store reviews from the XML feed carry their time", "[sources][app_store]") {
  const std::string body = read_fixture("app_store/reviews.xml");
  auto page = parse_app_store_reviews(
      input(body, "https://itunes.apple.com/ru/rss/customerreviews/page=1/id=1000000000/sortby=mostrecent/xml"));
  REQUIRE(page);
  struct Case {
    const char* id;
    double rating;
    const char* title;
    const char* text;
    const char* author;
    const char* author_id;
    std::optional<TimePoint> published;
  };
  const Case cases[] = {
      {"11000000001", 1, "5.12.0 · Не входит после обновления",
       "После обновления приложение вылетает на экране входа. Поддержка советует переустановить, не помогает. "
       "Верните старую версию!",
       "Марина_77", "https://itunes.apple.com/ru/reviews/id1000000001", make_utc(2026, 11, 23, 4, 14, 5)},
      {"11000000003", 3, "5.12.0 · Переводы & лимиты",
       "Переводы проходят, но лимиты урезали без предупреждения.\nПришлось звонить в поддержку: ждал 40 минут.",
       "Dmitry S.", "https://itunes.apple.com/ru/reviews/id1000000003", make_utc(2026, 11, 22, 15, 3, 41)},
      {"11000000002", 5, "5.11.3 · Удобно", "Всё быстро и понятно, спасибо.", "Oleg K.",
       "https://itunes.apple.com/ru/reviews/id1000000002", make_utc(2026, 11, 21, 16, 0, 0)},
  };
  REQUIRE(page->mentions.size() == std::size(cases));
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    const Case& c = cases[i];
    const Mention& m = page->mentions[i];
    CAPTURE(c.id);
    CHECK(m.external_id == c.id);
    CHECK(m.rating == std::optional<double>(c.rating));
    CHECK(m.title == c.title);
    CHECK(m.text == c.text);  // content type="text", not the HTML rendering next to it
    CHECK(m.author == c.author);
    CHECK(m.author_id == c.author_id);
    CHECK(m.published == c.published);
    CHECK(m.url == "https://itunes.apple.com/ru/review?id=1000000000&type=Purple%20Software");
  }
  CHECK(page->warnings.empty());
}

TEST_CASE("App Store XML pages: the app's own entry, HTML only, none, bad bytes, not a feed", "[sources][app_store]") {
  const std::string head = R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns:im="http://itunes.apple.com/rss" xmlns="http://www.w3.org/2005/Atom" xml:lang="ru"><title>iTunes Store</title>)";
  struct Case {
    const char* what;
    std::string entries;
    std::size_t mentions;
    std::string text;
  };
  const Case cases[] = {
      {"no entries: an empty page", "", 0, ""},
      {"the app's own entry is not a review",
       R"(<entry><id im:id="1000000000">https://apps.apple.com/ru/app/id1000000000</id><im:name>Рокетбанк</im:name></entry>)",
       0, ""},
      {"only the HTML rendering: reduced to text",
       R"(<entry><id>7</id><title>Медленно</title><im:rating>2</im:rating><updated>2026-11-20T10:00:00-07:00</updated>)"
       R"(<content type="html">&lt;table&gt;&lt;tr&gt;&lt;td&gt;Долго грузится&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</content></entry>)",
       1, "Долго грузится"},
      {"a stray byte in a review is replaced, the review kept",
       "<entry><id>8</id><title>t</title><content type=\"text\">\xD0\x9F\xD0\xBB\xD0\xBE\xD1\x85\xD0 \xD0\xBE</content>"
       "<im:rating>1</im:rating></entry>",
       1, "Плох\uFFFD о"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const std::string body = head + c.entries + "</feed>";
    auto page = parse_app_store_reviews(input(body, "u"));
    REQUIRE(page);
    REQUIRE(page->mentions.size() == c.mentions);
    if (c.mentions > 0) CHECK(page->mentions[0].text == c.text);
  }
  auto not_feed = parse_app_store_reviews(input("<html><body>Service unavailable</body></html>", "u"));
  REQUIRE_FALSE(not_feed);
  CHECK(not_feed.error().code == errc::parse_failed);
}

TEST_CASE("App Store's JSON form has no review dates: published stays empty", "[sources][app_store]") {
  // As Apple serves it: no `updated` in the entries. The store's first-seen time stands in for
  // the review's time (docs/sources.md#app_store).
  const std::string body = read_fixture("app_store/reviews_no_dates.json");
  auto page = parse_app_store_reviews(
      input(body, "https://itunes.apple.com/ru/rss/customerreviews/page=1/id=1000000000/sortby=mostrecent/json"));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 3);
  for (const auto& m : page->mentions) CHECK_FALSE(m.published.has_value());
  CHECK(page->mentions[0].title == "5.12.0 · Не входит после обновления");
  CHECK(page->mentions[1].text.find("лимиты урезали") != std::string::npos);
  CHECK(page->mentions[2].rating == std::optional<double>(5.0));
}

TEST_CASE("the registry knows the reddit_search and app_store presets", "[sources][reddit][app_store]") {
  const SourceRegistry r = SourceRegistry::with_builtin_types();
  CHECK(r.find("reddit_search") != nullptr);
  CHECK(r.find("app_store") != nullptr);
}
