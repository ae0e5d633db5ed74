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

TEST_CASE("invalid bytes are repaired: every item is kept, once-per-source notice", "[rss][encoding]") {
  SECTION("a UTF-8 feed with Latin-1 bytes and a cut letter in one item") {
    auto page = parse_fixture("rss20_invalid_utf8.xml", "https://reviews.example.org/zvezda/feed");
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 3);
    CHECK(page->mentions[0].title == "Холодный суп");
    CHECK(page->mentions[2].text == "Всё принесли быстро, спасибо повару.");
    const Mention& bad = page->mentions[1];
    CHECK(bad.external_id == "zv-302");
    CHECK(bad.title == "Caf\uFFFD au lait was cold");
    CHECK(bad.author == "Jo\uFFFDl");
    CHECK(bad.text == "The cr\uFFFDme br\uFFFDl\uFFFDe was fine, but the waiter ignored us. Официант нагрубил \uFFFD и ушёл.");
    CHECK(bad.published == make_utc(2024, 6, 3, 7, 25, 0));
    CHECK(page->warnings.empty());
    REQUIRE(page->notices.size() == 1);
    CHECK(page->notices[0].key == "bytes_repaired");
    CHECK(page->notices[0].text.find("6 sequences replaced with U+FFFD") != std::string::npos);
    CHECK(page->notices[0].text.find("line 17") != std::string::npos);
    CHECK(page->notices[0].text.find("UTF-8") != std::string::npos);
  }
  SECTION("a windows-1251 feed stays windows-1251; only the byte it lacks is replaced") {
    auto page = parse_fixture("rss_windows1251_invalid.xml", "https://otzyvy.example.ru/zarya/rss", "utf-8");
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 2);
    CHECK(page->mentions[0].title == "Списали комиссию дважды");
    CHECK(page->mentions[0].author == "Ольга");
    CHECK(page->mentions[0].text == "Комиссию за перевод списали два раза \uFFFD вернуть отказались.");
    CHECK(page->mentions[1].text == "Счёт открыли за десять минут.");
    REQUIRE(page->notices.size() == 1);
    CHECK(page->notices[0].text.find("windows-1251: 1 sequence replaced") != std::string::npos);
  }
  SECTION("a valid feed carries no notice") {
    auto page = parse_fixture("rss_windows1251.xml", "https://r.example/");
    REQUIRE(page);
    CHECK(page->notices.empty());
  }
}

TEST_CASE("repair by charset: declaration, HTTP charset, the default UTF-8", "[rss][encoding]") {
  struct Case {
    const char* what;
    std::string body;
    std::string http_charset;
    std::string title;
  };
  const Case cases[] = {
      {"UTF-8 by default", "<rss><channel><item><title>bad \xFF byte</title></item></channel></rss>", "",
       "bad \uFFFD byte"},
      {"the HTTP charset when there is no declaration",
       "<rss><channel><item><title>\xCF\xEB\xEE\xF5\xEE \x98</title></item></channel></rss>", "windows-1251",
       "Плохо \uFFFD"},
      {"the declaration over the HTTP charset",
       "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss><channel><item><title>\xCF\xEB\xEE\xF5\xEE \x98</title>"
       "</item></channel></rss>",
       "utf-8", "Плохо \uFFFD"},
      {"Atom 1.0",
       "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>e1</id><title>x\xC3(y</title>"
       "<content type=\"html\">&lt;p&gt;ok&lt;/p&gt;</content></entry></feed>",
       "", "x\uFFFD(y"},
      {"bytes inside CDATA",
       "<rss><channel><item><title><![CDATA[cdata \xE9t\xE9]]></title></item></channel></rss>", "",
       "cdata \uFFFDt\uFFFD"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto page = parse_text(c.body, c.http_charset);
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 1);
    CHECK(page->mentions[0].title == c.title);
    CHECK(page->notices.size() == 1);
  }
}

TEST_CASE("repairing bytes keeps the XML protections", "[rss][security][encoding]") {
  SECTION("an external entity next to a bad byte is still refused") {
    for (const char* name : {"xxe_file.xml", "xxe_http.xml", "xxe_parameter.xml"}) {
      CAPTURE(name);
      const std::string body = read_fixture(std::string("rss/") + name) + "<!-- \xFF -->\n";
      auto page = parse_text(body);
      REQUIRE_FALSE(page);
      CHECK(page.error().detail.find("external entity") != std::string::npos);
      CHECK(page.error().detail.find("root:") == std::string::npos);
    }
  }
  SECTION("nested entities next to a bad byte still fail fast") {
    std::string body = read_fixture("rss/billion_laughs.xml");
    test::replace_all(body, "<title>Boom</title>", "<title>Boom \xFF</title>");
    const auto start = std::chrono::steady_clock::now();
    auto page = parse_text(body);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    REQUIRE_FALSE(page);
    CHECK(page.error().code == errc::parse_failed);
  }
  SECTION("an internal entity next to a bad byte stays unexpanded") {
    std::string body = read_fixture("rss/internal_entity.xml");
    test::replace_all(body, "Visible text", "Visible \xFF text");
    auto page = parse_text(body);
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 1);
    CHECK(page->mentions[0].text == "Visible \uFFFD text more text");
  }
  SECTION("a truncated feed with a bad byte is still parse_failed, not partial") {
    std::string body = read_fixture("rss/truncated.xml");
    body.insert(body.size() / 2, "\xFF");
    CHECK_FALSE(parse_text(body));
  }
}

TEST_CASE("Atom 0.3 feeds read like Atom 1.0", "[rss][atom]") {
  auto page = parse_fixture("atom03.xml", "http://zerno.example.org/atom.xml");
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 2);
  const Mention& first = page->mentions[0];
  CHECK(first.external_id == "tag:zerno.example.org,2005:1.123");
  CHECK(first.title == "Капучино остыл за минуту");
  CHECK(first.url == "http://zerno.example.org/archives/000123.html");  // alternate, not service.edit
  CHECK(first.author == "Алексей");
  CHECK(first.text == "Капучино принесли чуть тёплым, через минуту он остыл совсем.\nБариста сказал, что «так и задумано».");
  CHECK(first.published == make_utc(2005, 3, 1, 18, 15, 0));  // issued wins over created and modified
  const Mention& second = page->mentions[1];
  CHECK(second.author == "Редакция «Зерна»");  // the feed's author
  CHECK(second.text == "Круассаны свежие, кофе горячий.");
  CHECK(second.published == make_utc(2005, 3, 2, 8, 40, 0));
  CHECK(page->warnings.empty());
}

TEST_CASE("Atom 0.3 content modes and dates", "[rss][atom]") {
  auto page = parse_fixture("atom03_content_modes.xml", "http://zerno.example.org/all/atom.xml");
  REQUIRE(page);
  struct Case {
    const char* id;
    std::string text;
    std::optional<TimePoint> published;
  };
  const Case cases[] = {
      {"tag:zerno.example.org,2005:all.201", "Столик не убрали.\nПришлось ждать.", make_utc(2005, 3, 1, 6, 0, 0)},
      {"tag:zerno.example.org,2005:all.202", "Музыка слишком громкая.\nРазговаривать невозможно.",
       make_utc(2005, 3, 2, 12, 30, 0)},  // issued without a zone: UTC
      {"tag:zerno.example.org,2005:all.203", "Заказ через приложение потерялся.\nДеньги списали, кофе не приготовили.",
       make_utc(2005, 3, 3, 7, 45, 0)},  // created when there is no issued
      {"tag:zerno.example.org,2005:all.204", "Официант забыл про заказ.\nЖдали сорок минут.",
       make_utc(2005, 3, 4, 15, 20, 0)},  // modified when it is the only date
      {"tag:zerno.example.org,2005:all.205", "Чек не выдали.\nСдачу пересчитывали дважды.", make_utc(2005, 3, 5, 9, 10, 11)},
      {"tag:zerno.example.org,2005:all.206", "Пирожное было чёрствым.", make_utc(2005, 3, 5, 10, 20, 0)},
      {"tag:zerno.example.org,2005:all.207", "Кондиционер не работает.", make_utc(2005, 3, 5, 11, 0, 0)},
      {"tag:zerno.example.org,2005:all.208", "Тесно и душно.", make_utc(2005, 3, 5, 12, 0, 0)},
  };
  REQUIRE(page->mentions.size() == std::size(cases));
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    CAPTURE(cases[i].id);
    const Mention& m = page->mentions[i];
    CHECK(m.external_id == cases[i].id);
    CHECK(m.text == cases[i].text);
    CHECK(m.published == cases[i].published);
    CHECK(m.author == "Редакция");
    CHECK(m.url == "http://zerno.example.org/all/" + std::string(cases[i].id).substr(31) + ".html");
  }
  REQUIRE(page->warnings.size() == 1);  // the content that is not base64; its summary stands in
  CHECK(page->warnings[0].find("all.208") != std::string::npos);
  CHECK(page->warnings[0].find("base64") != std::string::npos);
}

TEST_CASE("UTF-16 feeds are left to libxml2's own decoding", "[rss][encoding]") {
  const std::string ascii = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss><channel><item><title>Wide</title>"
                            "</item></channel></rss>";
  std::string body = "\xFF\xFE";  // UTF-16LE byte order mark
  for (const char c : ascii) {
    body += c;
    body += '\0';
  }
  auto page = parse_text(body);
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].title == "Wide");
  CHECK(page->notices.empty());
}
