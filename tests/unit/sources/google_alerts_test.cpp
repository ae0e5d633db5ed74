// The Google Alerts preset: a hand-written alert feed in Google's Atom format, redirect links
// unwrapped to the pages, titles and snippets as text, ids and dates kept.
#include "sources/generic/dates.hpp"
#include "sources/google_alerts/google_alerts_parse.hpp"
#include "sources/source.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"

using namespace otklik;
using otklik::test::read_fixture;

TEST_CASE("a Google Alerts feed becomes mentions of the pages themselves", "[sources][google_alerts]") {
  const std::string body = read_fixture("google_alerts/alert.xml");
  ParseInput in;
  in.body = body;
  in.base_url = "https://www.google.com/alerts/feeds/00000000000000000000/1111111111111111111";
  in.source = "alerts";
  in.fetched = *make_utc(2026, 11, 23, 9, 20, 0);
  auto page = parse_google_alerts(in);
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 3);
  const Mention& m = page->mentions[0];
  CHECK(m.external_id == "tag:google.com,2013:googlealerts/feed:10000000000000000001");
  CHECK(m.url == "https://news.example.org/finance/2026/11/double-charges?ref=rss");
  CHECK(m.title == "Клиенты Рокетбанка жалуются на двойные списания");
  CHECK(m.text.find("деньги за покупки списываются дважды") != std::string::npos);
  CHECK(m.text.find("<b>") == std::string::npos);
  CHECK(m.published == make_utc(2026, 11, 23, 8, 40, 0));
  CHECK(m.author.empty());
  CHECK(m.source == "alerts");
  CHECK(page->mentions[1].url == "https://city.example.net/business/rocket-office");
  CHECK(page->mentions[1].title == "Rocketbank opens a new office in Kazan");
}

TEST_CASE("only Google redirect links are unwrapped, and only to web pages", "[sources][google_alerts]") {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"https://www.google.com/url?rct=j&sa=t&url=https://a.example/x&ct=ga", "https://a.example/x"},
      {"https://www.google.ru/url?q=https%3A%2F%2Fb.example%2Fy%3Fz%3D1&sa=U", "https://b.example/y?z=1"},
      {"https://google.com/url?url=http://c.example/", "http://c.example/"},
      {"https://www.google.com/url?url=javascript:alert(1)", "https://www.google.com/url?url=javascript:alert(1)"},
      {"https://www.google.com/search?q=https://d.example", "https://www.google.com/search?q=https://d.example"},
      {"https://evil.example/url?url=https://e.example", "https://evil.example/url?url=https://e.example"},
      {"https://notgoogle.com/url?url=https://e.example", "https://notgoogle.com/url?url=https://e.example"},
      {"https://news.example/article", "https://news.example/article"},
      {"not a url", "not a url"},
      {"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(unwrap_google_redirect(c.in) == c.out);
  }
}

TEST_CASE("a feed that is not XML fails with a parse error", "[sources][google_alerts]") {
  ParseInput in;
  in.body = "<html><body>Sign in</body>";
  CHECK_FALSE(parse_google_alerts(in).has_value());
}

TEST_CASE("the registry knows the google_alerts preset", "[sources][google_alerts]") {
  const SourceRegistry r = SourceRegistry::with_builtin_types();
  const SourceType* t = r.find("google_alerts");
  REQUIRE(t != nullptr);
  CHECK(t->keys.empty());
  CHECK(t->description.find("match_brands") != std::string::npos);
}
