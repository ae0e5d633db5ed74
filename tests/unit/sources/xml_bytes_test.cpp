// Repairing the bytes of an XML document before libxml2 reads them (sources/generic/xml_bytes.hpp).
#include "sources/generic/xml_bytes.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"

#include <optional>
#include <string>

using namespace otklik;

TEST_CASE("the encoding an XML declaration names", "[rss][encoding]") {
  struct Case {
    std::string body;
    std::string expected;
  };
  const Case cases[] = {
      {R"(<?xml version="1.0" encoding="windows-1251"?><rss/>)", "windows-1251"},
      {"<?xml version='1.0' encoding='koi8-r' standalone='yes'?><rss/>", "koi8-r"},
      {"\xEF\xBB\xBF<?xml version=\"1.0\" encoding = \"UTF-8\"?><feed/>", "UTF-8"},
      {R"(<?xml version="1.0"?><rss/>)", ""},
      {"<rss version=\"2.0\"/>", ""},
      {R"(<?xml version="1.0" encoding="utf-8")", ""},  // the declaration never ends
      {"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    CHECK(declared_xml_encoding(c.body) == c.expected);
  }
}

TEST_CASE("invalid byte sequences become U+FFFD in the document's own charset", "[rss][encoding]") {
  struct Case {
    const char* what;
    std::string body;
    std::string charset;
    std::optional<std::string> utf8;  ///< nullopt: nothing to repair, or not repaired
    std::size_t replaced = 0;
    std::size_t first_line = 0;
  };
  const std::string koi8 = otklik::test::read_fixture("rss/rss_koi8r_no_declaration.xml");
  const Case cases[] = {
      {"valid UTF-8 is left alone", "<t>Привет</t>", "UTF-8", std::nullopt},
      {"a stray Latin-1 byte", "<t>caf\xE9</t>", "UTF-8", "<t>caf\uFFFD</t>", 1, 1},
      {"a lead byte without its continuation", "a\n\nb \xD0 c", "utf-8", "a\n\nb \uFFFD c", 1, 3},
      {"a sequence cut at the end", "ok\xE2\x82", "UTF-8", "ok\uFFFD\uFFFD", 2, 1},
      {"an overlong form", "<t>\xC0\xAF</t>", "UTF-8", "<t>\uFFFD\uFFFD</t>", 2, 1},
      {"a UTF-16 surrogate in UTF-8", "<t>\xED\xA0\x80</t>", "UTF-8", "<t>\uFFFD\uFFFD\uFFFD</t>", 3, 1},
      {"a genuine U+FFFD is valid", "<t>\xEF\xBF\xBD</t>", "UTF-8", std::nullopt},
      {"the UTF-8 byte order mark is dropped", "\xEF\xBB\xBF<t>\xFF</t>", "UTF-8", "<t>\uFFFD</t>", 1, 1},
      {"no charset means UTF-8", "<t>\xFF</t>", "", "<t>\uFFFD</t>", 1, 1},
      {"windows-1251 is decoded as windows-1251", "<t>\xCF\xF0\xE8\xE2\xE5\xF2</t>", "windows-1251", std::nullopt},
      {"only the byte windows-1251 lacks is replaced", "<t>\xCF\xF0\xE8\x98\xE2\xE5\xF2</t>", "windows-1251",
       "<t>При\uFFFDвет</t>", 1, 1},
      {"an unknown charset is not repaired", "<t>\xFF</t>", "x-no-such-charset", std::nullopt},
      {"a koi8-r document taken as UTF-8 is not in that charset at all", koi8, "UTF-8", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const auto repaired = repair_bytes(c.body, c.charset);
    REQUIRE(repaired.has_value() == c.utf8.has_value());
    if (!repaired) continue;
    CHECK(repaired->utf8 == *c.utf8);
    CHECK(repaired->replaced == c.replaced);
    CHECK(repaired->first_line == c.first_line);
  }
}

TEST_CASE("a few bad bytes in a mostly ASCII document are still repaired", "[rss][encoding]") {
  // Eight stray bytes and no other non-ASCII letters, but in a document of some size: a review
  // pasted in Latin-1, not a document in another charset.
  std::string body = "<rss><channel>";
  for (int i = 0; i < 40; ++i) body += "<item><title>Plain English review number " + std::to_string(i) + "</title></item>";
  body += "<item><title>cr\xE8me br\xFBl\xE9" "e, caf\xE9, na\xEFve, d\xE9j\xE0 vu, Jo\xEBl</title></item></channel></rss>";
  const auto repaired = repair_bytes(body, "UTF-8");
  REQUIRE(repaired);
  CHECK(repaired->replaced == 8);
  CHECK(repaired->utf8.find("cr\uFFFDme br\uFFFDl\uFFFDe") != std::string::npos);
}
