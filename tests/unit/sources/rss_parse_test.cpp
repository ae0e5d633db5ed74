#include "sources/generic/dates.hpp"
#include "sources/generic/rss_parse.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"

#include <chrono>

using namespace otklik;
using otklik::test::read_fixture;

namespace {

const TimePoint kFetched = *make_utc(2024, 6, 1, 12, 0, 0);

Result<ParsedPage> parse_fixture(const std::string& name, const std::string& base_url,
                                 const std::string& charset = "") {
  const std::string body = read_fixture("rss/" + name);
  ParseInput in;
  in.body = body;
  in.charset = charset;
  in.base_url = base_url;
  in.source = "feed";
  in.brand = "acme";
  in.fetched = kFetched;
  return parse_rss(in);
}

Result<ParsedPage> parse_text(std::string_view body, const std::string& charset = "") {
  ParseInput in;
  in.body = body;
  in.charset = charset;
  in.base_url = "https://feed.example/rss";
  in.source = "feed";
  return parse_rss(in);
}

}  // namespace

TEST_CASE("RSS 0.91 with a remote DOCTYPE parses without loading it", "[rss]") {
  auto page = parse_fixture("rss091.xml", "http://bakery.example/rss.xml");
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 2);
  const Mention& m = page->mentions[0];
  CHECK(m.title == "Stale croissants again");
  CHECK(m.url == "http://bakery.example/reviews/17");
  CHECK(m.external_id == "http://bakery.example/reviews/17");
  CHECK(m.text == "The croissants were stale and the coffee was cold. Café staff ignored us.");
  CHECK(m.source == "feed");
  CHECK(m.brand == "acme");
  CHECK(m.fetched == kFetched);
  CHECK_FALSE(m.rating.has_value());
  CHECK(page->mentions[1].text == "Best rye in town & friendly people.");
}

TEST_CASE("RSS 1.0 (RDF) items with dc:creator and dc:date", "[rss]") {
  auto page = parse_fixture("rss10_rdf.xml", "https://forum.example/rss");
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 2);
  CHECK(page->mentions[0].author == "mila_k");
  CHECK(page->mentions[0].external_id == "https://forum.example/t/501");
  CHECK(page->mentions[0].published == make_utc(2024, 3, 5, 6, 15, 0));
  CHECK(page->mentions[1].published == make_utc(2024, 3, 6));
  CHECK(page->mentions[1].text == "Arrived a day early, well packed.");
}

TEST_CASE("RSS 2.0 with CDATA, escaped HTML, content:encoded, missing ids and bad items", "[rss]") {
  auto page = parse_fixture("rss20_cdata.xml", "https://reviews.example/acme/feed");
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 4);

  const Mention& cdata = page->mentions[0];
  CHECK(cdata.external_id == "acme-1001");
  CHECK(cdata.title == "Card blocked & no answer");
  CHECK(cdata.author == "Ivan Petrov");
  CHECK(cdata.text == "My card was blocked for no reason.\nSupport did not answer\nfor three days.");
  CHECK(cdata.published == make_utc(2024, 3, 5, 14, 30, 0));

  const Mention& escaped = page->mentions[1];
  CHECK(escaped.url == "https://reviews.example/acme/r/1002");
  CHECK(escaped.external_id == escaped.url);
  CHECK(escaped.author == "Anna");
  CHECK(escaped.text == "Fast transfer, polite staff & a good app.\none\ntwo");
  CHECK(escaped.published == make_utc(2024, 3, 6, 7, 0, 0));

  const Mention& encoded = page->mentions[2];
  CHECK(encoded.external_id == "https://reviews.example/acme/r/1003");
  CHECK(encoded.url == "https://reviews.example/acme/r/1003");  // a permalink guid stands in for <link>
  CHECK(encoded.text == "The full text of the review.");
  CHECK(encoded.published == make_utc(2024, 3, 7, 13, 0, 0));  // EST = UTC-5

  const Mention& no_id = page->mentions[3];
  CHECK(no_id.external_id.starts_with("h:"));
  CHECK(no_id.external_id.size() == 34);
  CHECK(no_id.text == "Only a description, no id, no link.");
  CHECK_FALSE(no_id.published.has_value());

  REQUIRE(page->warnings.size() == 2);
  CHECK(page->warnings[0].find("unparsable date") != std::string::npos);
  CHECK(page->warnings[1].find("skipped") != std::string::npos);

  // The hash id is stable across polls.
  auto again = parse_fixture("rss20_cdata.xml", "https://reviews.example/acme/feed");
  REQUIRE(again);
  CHECK(again->mentions[3].external_id == no_id.external_id);
}

TEST_CASE("Atom with xml:base, relative links, html/xhtml content and feed author", "[rss][atom]") {
  auto page = parse_fixture("atom_xml_base.xml", "https://blog.example/feed.atom");
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 3);
  const Mention& first = page->mentions[0];
  CHECK(first.title == "Refund refused");
  CHECK(first.url == "https://blog.example/news/posts/42");
  CHECK(first.external_id == "tag:blog.example,2024:42");
  CHECK(first.author == "Olga");
  CHECK(first.text == "They refused the refund.\nNever again.");
  CHECK(first.published == make_utc(2024, 4, 1, 8, 0, 0));  // published wins over updated

  const Mention& second = page->mentions[1];
  CHECK(second.url == "https://blog.example/archive/2024/item-43.html");
  CHECK(second.author == "Shop editors");
  CHECK(second.text == "Delivery was\nquick.");  // plain text keeps its line breaks
  CHECK(second.published == make_utc(2024, 4, 3, 8, 30, 0));

  const Mention& third = page->mentions[2];
  CHECK(third.url == "https://other.example/abs");
  CHECK(third.text == "First line.\nSecond line.");
}

TEST_CASE("encodings: declaration, HTTP charset, BOM", "[rss][encoding]") {
  SECTION("windows-1251 from the XML declaration (HTTP charset ignored then)") {
    auto page = parse_fixture("rss_windows1251.xml", "https://r.example/", "utf-8");
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 1);
    CHECK(page->mentions[0].title == "Ужасное обслуживание");
    CHECK(page->mentions[0].author == "Сергей");
    CHECK(page->mentions[0].text == "Ждали час, официант нагрубил.");
  }
  SECTION("koi8-r from the HTTP Content-Type charset when there is no declaration") {
    auto page = parse_fixture("rss_koi8r_no_declaration.xml", "https://r.example/", "KOI8-R");
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 1);
    CHECK(page->mentions[0].title == "Холодная пицца");
    CHECK(page->mentions[0].text == "Пицца приехала холодной.");
  }
  SECTION("koi8-r bytes without any charset are not valid UTF-8: parse_failed") {
    auto page = parse_fixture("rss_koi8r_no_declaration.xml", "https://r.example/");
    REQUIRE_FALSE(page);
    CHECK(page.error().code == errc::parse_failed);
  }
  SECTION("an unknown HTTP charset is ignored") {
    auto page = parse_fixture("rss_utf8_bom.xml", "https://r.example/", "x-no-such-charset");
    REQUIRE(page);
  }
  SECTION("UTF-8 byte order mark") {
    auto page = parse_fixture("rss_utf8_bom.xml", "https://r.example/", "windows-1251");
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 1);
    CHECK(page->mentions[0].title == "Привет");
    CHECK(page->mentions[0].text == "Отзыв с BOM: всё плохо.");
  }
}

TEST_CASE("malformed and truncated XML is parse_failed, not partial", "[rss]") {
  auto page = parse_fixture("truncated.xml", "https://r.example/");
  REQUIRE_FALSE(page);
  CHECK(page.error().code == errc::parse_failed);
  CHECK(page.error().detail.find("line") != std::string::npos);

  for (std::string_view bad : {std::string_view(""), std::string_view("not xml at all"),
                               std::string_view("<rss><channel><item></channel></rss>")}) {
    auto r = parse_text(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::parse_failed);
  }
}

TEST_CASE("well-formed XML that is not a feed is parse_failed", "[rss]") {
  auto r = parse_text("<?xml version=\"1.0\"?><html><body>hi</body></html>");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::parse_failed);
  CHECK(r.error().detail.find("<html>") != std::string::npos);
}

TEST_CASE("an empty channel is a successful empty page", "[rss]") {
  auto r = parse_text("<rss version=\"2.0\"><channel><title>t</title></channel></rss>");
  REQUIRE(r);
  CHECK(r->mentions.empty());
  CHECK(r->warnings.empty());
}

TEST_CASE("external entities are refused without reading the file or the network", "[rss][security]") {
  for (const char* name : {"xxe_file.xml", "xxe_http.xml", "xxe_parameter.xml"}) {
    CAPTURE(name);
    auto page = parse_fixture(name, "https://evil.example/feed");
    REQUIRE_FALSE(page);
    CHECK(page.error().code == errc::parse_failed);
    CHECK(page.error().detail.find("external entity") != std::string::npos);
    CHECK(page.error().detail.find("root:") == std::string::npos);
  }
}

TEST_CASE("nested entity expansion (billion laughs) fails fast", "[rss][security]") {
  const auto start = std::chrono::steady_clock::now();
  auto page = parse_fixture("billion_laughs.xml", "https://evil.example/feed");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(page);
  CHECK(page.error().code == errc::parse_failed);
  CHECK(elapsed < std::chrono::seconds(2));
}

TEST_CASE("internal entities are left unexpanded", "[rss][security]") {
  auto page = parse_fixture("internal_entity.xml", "https://r.example/");
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].text == "Visible text more text");
}

TEST_CASE("hostile bytes in a feed never crash the parser", "[rss][security]") {
  SECTION("a NUL byte inside an item") {
    std::string body = "<rss><channel><item><title>a";
    body += '\0';
    body += "b</title></item></channel></rss>";
    auto r = parse_text(body);
    CHECK_FALSE(r);
  }
  SECTION("invalid UTF-8 inside an item") {
    auto r = parse_text("<rss><channel><item><title>bad \xC3\x28 \xFF bytes</title></item></channel></rss>");
    if (r) {
      REQUIRE(r->mentions.size() == 1);
      CHECK(r->mentions[0].title.find('\xFF') == std::string::npos);
    } else {
      CHECK(r.error().code == errc::parse_failed);
    }
  }
  SECTION("escaped HTML carrying NUL-like and control characters") {
    auto r = parse_text("<rss><channel><item><description>&lt;p&gt;x&#1;y&lt;/p&gt;</description></item>"
                        "</channel></rss>");
    if (r) {
      for (const auto& m : r->mentions) CHECK(m.text.find('\x01') == std::string::npos);
    }
  }
}
