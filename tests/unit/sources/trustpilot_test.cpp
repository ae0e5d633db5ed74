// The Trustpilot preset on hand-written company pages in Trustpilot's Next.js markup.
#include "sources/generic/dates.hpp"
#include "sources/trustpilot/trustpilot_parse.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/unit/sources/parse_input.hpp"

using namespace otklik;
using otklik::test::read_fixture;

namespace {

constexpr const char* kPageUrl = "https://www.trustpilot.com/review/rocket-parcel.example?languages=all&sort=recency";

ParseInput input(const std::string& body, std::string base = kPageUrl) {
  return test::parse_input(body, std::move(base), "tp-rocket", "rocket", *make_utc(2026, 11, 23, 12, 0, 0), "utf-8");
}

/// A page whose __NEXT_DATA__ holds `page_props`.
std::string page_with(const std::string& page_props) {
  return "<html><head></head><body><div id=\"__next\"></div><script id=\"__NEXT_DATA__\" type=\"application/json\">"
         "{\"props\":{\"pageProps\":" + page_props + "},\"page\":\"/review/[businessUnit]\"}</script></body></html>";
}

}  // namespace

TEST_CASE("Trustpilot reviews carry every field and the company's reply", "[sources][trustpilot]") {
  const std::string body = read_fixture("trustpilot/company_page1.html");
  auto page = parse_trustpilot(input(body));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 3);  // one review has a title but no text

  const Mention& a = page->mentions[0];
  CHECK(a.source == "tp-rocket");
  CHECK(a.brand == "rocket");
  CHECK(a.fetched == *make_utc(2026, 11, 23, 12, 0, 0));
  CHECK(a.external_id == "6740a1b2c3d4e5f601234501");
  CHECK(a.url == "https://www.trustpilot.com/reviews/6740a1b2c3d4e5f601234501");
  CHECK(a.author == "Kate M.");
  CHECK(a.author_id == "https://www.trustpilot.com/users/5f1a2b3c4d5e6f7081920301");
  CHECK(a.title == "Parcel lost, support ignores me");
  CHECK(a.text == "My parcel has been \"in transit\" for three weeks.\nSupport closes my tickets without an answer. Avoid!");
  CHECK(a.rating == std::optional<double>(1.0));
  CHECK(a.published == make_utc(2026, 11, 20, 14, 3, 11));
  CHECK(a.company_reply == "Hi Kate, we are sorry. Your case is escalated, we will contact you within 24 hours.");

  const Mention& b = page->mentions[1];
  CHECK(b.title == "Быстро и удобно");
  CHECK(b.author == "Иван Петров");
  CHECK(b.rating == std::optional<double>(5.0));
  CHECK(b.company_reply.empty());

  const Mention& c = page->mentions[2];  // markup in user fields is reduced to text
  CHECK(c.title == "Worst courier");
  CHECK(c.text == "Courier threw the box over the fence.");
  CHECK(c.author == "Tom <img src=x>");  // a name is kept as written, never rendered as markup

  REQUIRE(page->warnings.size() == 1);
  CHECK(page->warnings[0].find("6740a1b2c3d4e5f601234503") != std::string::npos);
}

TEST_CASE("Trustpilot review links follow the country host", "[sources][trustpilot]") {
  const std::string body = read_fixture("trustpilot/company_page3.html");
  auto page = parse_trustpilot(input(body, "https://uk.trustpilot.com/review/rocket-parcel.example?page=3"));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 3);
  CHECK(page->mentions[1].url == "https://uk.trustpilot.com/reviews/6740a1b2c3d4e5f601234542");
  CHECK(page->mentions[1].author_id == "https://uk.trustpilot.com/users/5f1a2b3c4d5e6f7081920342");
  CHECK(page->mentions[1].company_reply == "Sorry Mark, we have improved our packaging.");
  CHECK(page->warnings.empty());
}

TEST_CASE("Trustpilot ratings map onto 0..5", "[sources][trustpilot]") {
  struct Case {
    const char* rating;
    std::optional<double> expected;
    bool warns;
  };
  const Case cases[] = {{"1", 1.0, false}, {"2", 2.0, false}, {"5", 5.0, false},
                        {"0", std::nullopt, true}, {"9", std::nullopt, true}, {"null", std::nullopt, false}};
  for (const auto& c : cases) {
    CAPTURE(c.rating);
    auto page = parse_trustpilot(input(page_with(std::string(R"({"reviews":[{"id":"r1","text":"t","rating":)") +
                                                 c.rating + "}]}")));
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 1);
    CHECK(page->mentions[0].rating == c.expected);
    CHECK(page->warnings.empty() == !c.warns);
  }
}

TEST_CASE("Trustpilot pages that are not a company's reviews fail clearly", "[sources][trustpilot]") {
  struct Case {
    std::string body;
    const char* says;
  };
  const Case cases[] = {
      {"<html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>",
       "no __NEXT_DATA__"},
      {"", "no __NEXT_DATA__"},
      {"<script id=\"__NEXT_DATA__\" type=\"application/json\">{\"props\":", "no __NEXT_DATA__"},  // cut short
      {"<script id=\"__NEXT_DATA__\" type=\"application/json\">{oops}</script>", "is not JSON"},
      {"<script id=\"__NEXT_DATA__\" type=\"application/json\">{\"props\":{}}</script>", "no props.pageProps"},
      {page_with(R"({"businessUnit":{"id":"x"}})"), "no \"reviews\" array"},
      {page_with(R"({"reviews":{"id":"x"}})"), "no \"reviews\" array"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    auto page = parse_trustpilot(input(c.body));
    REQUIRE_FALSE(page.has_value());
    CHECK(page.error().code == make_error_code(errc::parse_failed));
    CHECK(page.error().detail.find(c.says) != std::string::npos);
    CHECK(page.error().detail.rfind(kPageUrl, 0) == 0);
  }
}

TEST_CASE("a company without reviews is an empty page", "[sources][trustpilot]") {
  auto page = parse_trustpilot(input(page_with(
      R"({"reviews":[],"filters":{"pagination":{"currentPage":1,"perPage":20,"totalCount":0,"totalPages":0}}})")));
  REQUIRE(page);
  CHECK(page->mentions.empty());
  CHECK(page->warnings.empty());
}

TEST_CASE("Trustpilot hostile text is reduced to clean text", "[sources][trustpilot]") {
  // The attribute order differs and the JSON carries an invalid byte and escaped markup.
  const std::string body =
      "<SCRIPT type=\"application/json\" ID=\"__NEXT_DATA__\">{\"props\":{\"pageProps\":{\"reviews\":[{\"id\":\"r9\","
      "\"text\":\"\\u003cstyle\\u003ep{}\\u003c/style\\u003eBad\xff refund\\u003cbr\\u003epolicy\",\"rating\":1}]}}}"
      "</SCRIPT>";
  auto page = parse_trustpilot(input(body));
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].text == "Bad\xEF\xBF\xBD refund\npolicy");
}

TEST_CASE("Trustpilot pages go by page=N until totalPages", "[sources][trustpilot]") {
  const ParsedPage unused;
  const std::string first = read_fixture("trustpilot/company_page1.html");
  CHECK(next_trustpilot_page(kPageUrl, first, unused) ==
        std::optional<std::string>("https://www.trustpilot.com/review/rocket-parcel.example?languages=all&sort=recency&page=2"));
  CHECK(next_trustpilot_page("https://www.trustpilot.com/review/rocket-parcel.example?page=1&sort=recency", first, unused) ==
        std::optional<std::string>("https://www.trustpilot.com/review/rocket-parcel.example?page=2&sort=recency"));
  const std::string last = read_fixture("trustpilot/company_page3.html");
  CHECK_FALSE(next_trustpilot_page("https://www.trustpilot.com/review/rocket-parcel.example?page=3", last, unused));
  CHECK_FALSE(next_trustpilot_page(kPageUrl, page_with(R"({"reviews":[]})"), unused));
  CHECK_FALSE(next_trustpilot_page(kPageUrl, "<html>captcha</html>", unused));
}

TEST_CASE("the Trustpilot first page URL names the domain", "[sources][trustpilot]") {
  CHECK(trustpilot_url("rocket-parcel.example", "") == kPageUrl);
  CHECK(trustpilot_url("www.example.co.uk", "en") == "https://www.trustpilot.com/review/www.example.co.uk?languages=en&sort=recency");
  CHECK(trustpilot_url("a b/c", "ru") == "https://www.trustpilot.com/review/a%20b%2Fc?languages=ru&sort=recency");
}
