// The Mastodon preset: a hand-written hashtag timeline page in the API's Status format.
#include "sources/generic/dates.hpp"
#include "sources/mastodon/mastodon_parse.hpp"
#include "sources/source.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"

using namespace otklik;
using otklik::test::read_fixture;

TEST_CASE("a hashtag timeline becomes mentions, boosts are skipped", "[sources][mastodon]") {
  const std::string body = read_fixture("mastodon/tag.json");
  ParseInput in;
  in.body = body;
  in.base_url = "https://social.example/api/v1/timelines/tag/rocketbank?limit=40";
  in.source = "mastodon";
  in.fetched = *make_utc(2026, 11, 23, 11, 0, 0);
  auto page = parse_mastodon_statuses(in);
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 2);
  const Mention& a = page->mentions[0];
  CHECK(a.external_id == "113500000000000003");
  CHECK(a.url == "https://social.example/@anna_k/113500000000000003");
  CHECK(a.text == "Третий день не могу войти в приложение #rocketbank, поддержка отвечает шаблонами. Ужасно.");
  CHECK(a.title.empty());
  CHECK(a.author == "Анна Котова");
  CHECK(a.author_id == "https://social.example/@anna_k");
  CHECK(a.published == make_utc(2026, 11, 23, 10, 15, 0));
  const Mention& b = page->mentions[1];
  CHECK(b.title == "жалоба");  // the content warning
  CHECK(b.text.find("Списали деньги дважды") == 0);
  CHECK(b.author == "ivan@other.example");  // no display name: the handle
  REQUIRE(page->warnings.size() == 1);
  CHECK(page->warnings[0] == "1 boosts skipped (their originals count)");
}

TEST_CASE("an instance that answers with an error object fails clearly", "[sources][mastodon]") {
  ParseInput in;
  in.body = R"({"error":"This method requires an authenticated user"})";
  in.base_url = "https://social.example/api/v1/timelines/tag/x";
  auto page = parse_mastodon_statuses(in);
  REQUIRE_FALSE(page);
  CHECK(page.error().message().find("not an array") != std::string::npos);
}

TEST_CASE("the registry knows the mastodon_tag preset", "[sources][mastodon]") {
  const SourceRegistry r = SourceRegistry::with_builtin_types();
  REQUIRE(r.find("mastodon_tag") != nullptr);
}

TEST_CASE("a search result's statuses become mentions, its pages go by max_id", "[sources][mastodon]") {
  const std::string body = read_fixture("mastodon/search.json");
  ParseInput in;
  in.body = body;
  in.base_url = "https://social.example/api/v2/search?q=rocketbank&type=statuses&resolve=false&limit=40";
  in.source = "mastodon-search";
  auto page = parse_mastodon_search(in);
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 2);
  CHECK(page->mentions[0].external_id == "113600000000000021");
  CHECK(page->mentions[0].author == "Quiet Otter");
  CHECK(page->mentions[0].text.find("froze my card") != std::string::npos);
  CHECK(page->mentions[1].author == "Лена");
  CHECK(page->mentions[1].url == "https://far.example/@lena/17");

  CHECK(mastodon_search_url("social.example", "рокетбанк OR rocketbank") ==
        "https://social.example/api/v2/search?q=%D1%80%D0%BE%D0%BA%D0%B5%D1%82%D0%B1%D0%B0%D0%BD%D0%BA%20OR%20rocketbank"
        "&type=statuses&resolve=false&limit=40");
  CHECK_FALSE(next_mastodon_search_page(in.base_url, body, {}));  // two of 40: the last page
  const std::string url2 = "https://social.example/api/v2/search?q=x&type=statuses&limit=2";
  CHECK(next_mastodon_search_page(url2, body, {}) == std::optional<std::string>(url2 + "&max_id=113600000000000017"));

  for (const char* bad : {R"({"error":"The access token is invalid"})", "[]", "nope"}) {
    CAPTURE(bad);
    in.body = bad;
    auto failed = parse_mastodon_search(in);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == make_error_code(errc::parse_failed));
  }
  in.body = R"({"error":"The access token is invalid"})";
  CHECK(parse_mastodon_search(in).error().detail.find("The access token is invalid") != std::string::npos);
  in.body = R"({"accounts":[],"statuses":[],"hashtags":[]})";
  auto empty = parse_mastodon_search(in);
  REQUIRE(empty);
  CHECK(empty->mentions.empty());
}
