// The VK newsfeed.search preset on a hand-written answer in the API's format.
#include "sources/vk/vk_parse.hpp"

#include "sources/generic/dates.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/unit/sources/parse_input.hpp"

using namespace otklik;
using otklik::test::read_fixture;

namespace {

ParseInput input(const std::string& body) {
  return test::parse_input(body, "https://api.vk.com/method/newsfeed.search?q=rocketbank&count=200&extended=1&v=5.199",
                           "vk", "Рокетбанк", *make_utc(2026, 12, 4, 12, 0, 0));
}

}  // namespace

TEST_CASE("VK search posts carry their author, wall link and date, reposts speak through the original",
          "[sources][vk]") {
  const std::string body = read_fixture("vk/search.json");
  auto page = parse_vk_search(input(body));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 3);
  const Mention& a = page->mentions[0];
  CHECK(a.external_id == "481200771_5012");
  CHECK(a.url == "https://vk.com/wall481200771_5012");
  CHECK(a.author == "Ольга Тимофеева");
  CHECK(a.author_id == "https://vk.com/olga.timofeeva_spb");
  CHECK(a.published == TimePoint(std::chrono::seconds(1764810000)));
  CHECK(a.text.find("списал деньги за обслуживание") != std::string::npos);
  CHECK(a.brand == "Рокетбанк");
  CHECK(a.source == "vk");
  CHECK_FALSE(a.rating.has_value());

  const Mention& community = page->mentions[1];
  CHECK(community.external_id == "-219004411_221");
  CHECK(community.url == "https://vk.com/wall-219004411_221");
  CHECK(community.author == "Финансы без воды");
  CHECK(community.author_id == "https://vk.com/fin_bez_vody");

  const Mention& repost = page->mentions[2];
  CHECK(repost.external_id == "602918344_93");
  CHECK(repost.author == "Artem Kuznetsov");
  CHECK(repost.author_id == "https://vk.com/id602918344");  // no screen name: the numeric profile
  CHECK(repost.text == "Rocketbank app has been down since the morning: transfers hang on \"processing\".");

  REQUIRE(page->warnings.size() == 1);
  CHECK(page->warnings[0] == "item 602918344_94: skipped, no text (a photo or video alone)");
}

TEST_CASE("VK search pages follow next_from until there is none", "[sources][vk]") {
  const std::string url = input("").base_url;
  const std::string body = read_fixture("vk/search.json");
  CHECK(next_vk_search_page(url, body, {}) ==
        std::optional<std::string>(url + "&start_from=4/-219004411_77"));
  CHECK_FALSE(next_vk_search_page(url, R"({"response":{"items":[],"count":0,"total_count":0}})", {}));
  CHECK_FALSE(next_vk_search_page(url, R"({"error":{"error_code":6,"error_msg":"Too many requests per second"}})", {}));
  CHECK_FALSE(next_vk_search_page(url, "not json", {}));
  CHECK(vk_search_url("рокетбанк OR rocketbank") ==
        "https://api.vk.com/method/newsfeed.search?q=%D1%80%D0%BE%D0%BA%D0%B5%D1%82%D0%B1%D0%B0%D0%BD%D0%BA%20OR%20"
        "rocketbank&count=200&extended=1&v=5.199");
}

TEST_CASE("VK API errors are told apart: for good, rate limits, the rest", "[sources][vk]") {
  struct Case {
    int code;
    errc expected;
  };
  const Case cases[] = {{5, errc::permanent},      {15, errc::permanent},     {17, errc::permanent},
                        {6, errc::rate_limited},   {9, errc::rate_limited},   {29, errc::rate_limited},
                        {10, errc::protocol_error}, {100, errc::protocol_error}};
  for (const auto& c : cases) {
    CAPTURE(c.code);
    const std::string body = R"({"error":{"error_code":)" + std::to_string(c.code) +
                             R"(,"error_msg":"Something went wrong","request_params":[{"key":"method","value":"newsfeed.search"}]}})";
    auto page = parse_vk_search(input(body));
    REQUIRE_FALSE(page);
    CHECK(page.error().code == make_error_code(c.expected));
    CHECK(page.error().detail == "VK API error " + std::to_string(c.code) + ": Something went wrong");
  }
}

TEST_CASE("VK answers that are empty, malformed or hostile", "[sources][vk]") {
  auto empty = parse_vk_search(input(R"({"response":{"items":[],"count":0,"total_count":0}})"));
  REQUIRE(empty);
  CHECK(empty->mentions.empty());
  auto nothing = parse_vk_search(input(R"({"response":{"count":0}})"));
  REQUIRE(nothing);
  CHECK(nothing->mentions.empty());

  struct Bad {
    const char* body;
    const char* message;
  };
  const Bad bad[] = {
      {"<html>502 Bad Gateway</html>", "not JSON"},
      {"[1,2]", "not a VK API answer (not a JSON object)"},
      {R"({"ok":true})", "not a VK API answer (no \"response\" or \"error\" object)"},
      {R"({"response":{"items":{"id":1}}})", "VK \"items\" is not an array"},
  };
  for (const auto& b : bad) {
    CAPTURE(b.body);
    auto page = parse_vk_search(input(b.body));
    REQUIRE_FALSE(page);
    CHECK(page.error().code == make_error_code(errc::parse_failed));
    CHECK(page.error().detail.find(b.message) != std::string::npos);
  }

  auto odd = parse_vk_search(input(
      "{\"response\":{\"items\":[\"x\",{\"id\":1},{\"id\":2,\"owner_id\":3,\"text\":\"<script>alert(1)</script>плохо \xff\xfe"
      "обслуживают\"}]}}"));
  REQUIRE(odd);
  REQUIRE(odd->mentions.size() == 1);
  CHECK(odd->mentions[0].text.find("<script>") == std::string::npos);
  CHECK(odd->mentions[0].text.find("обслуживают") != std::string::npos);
  CHECK(odd->mentions[0].author_id == "https://vk.com/id3");
  CHECK(odd->warnings.size() == 2);
}
