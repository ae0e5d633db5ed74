#include "daemon/core/utf8.hpp"
#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/url_util.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/random_pieces.hpp"

#include <optional>
#include <string>

using namespace otklik;

TEST_CASE("RFC 822 dates", "[rss][dates]") {
  struct Case {
    const char* text;
    std::optional<TimePoint> expected;
  };
  const Case cases[] = {
      {"Tue, 10 Jun 2003 04:00:00 GMT", make_utc(2003, 6, 10, 4, 0, 0)},
      {"10 Jun 2003 04:00:00 GMT", make_utc(2003, 6, 10, 4, 0, 0)},
      {"Tue, 10 Jun 2003 04:00 +0300", make_utc(2003, 6, 10, 1, 0, 0)},
      {"Tue, 10 Jun 03 04:00:00 PDT", make_utc(2003, 6, 10, 11, 0, 0)},
      {"Sat, 1 Jan 2022 23:59:59 -0130", make_utc(2022, 1, 2, 1, 29, 59)},
      {"Mon, 04 Mar 2024 10:00:00 UT", make_utc(2024, 3, 4, 10, 0, 0)},
      {"Mon, 04 Mar 2024 10:00:00 Z", make_utc(2024, 3, 4, 10, 0, 0)},
      {"Mon, 04 Mar 2024 10:00:00 MSK", make_utc(2024, 3, 4, 7, 0, 0)},
      {"Mon, 04 Mar 2024", make_utc(2024, 3, 4)},
      {"31 Feb 2024 10:00:00 GMT", std::nullopt},
      {"yesterday", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(parse_rfc822_date(c.text) == c.expected);
  }
}

TEST_CASE("RFC 3339 / ISO 8601 dates", "[rss][dates]") {
  struct Case {
    const char* text;
    std::optional<TimePoint> expected;
  };
  const Case cases[] = {
      {"2003-12-13T18:30:02Z", make_utc(2003, 12, 13, 18, 30, 2)},
      {"2003-12-13T18:30:02.25Z", make_utc(2003, 12, 13, 18, 30, 2)},
      {"2003-12-13T18:30:02+01:00", make_utc(2003, 12, 13, 17, 30, 2)},
      {"2003-12-13T18:30:02-0500", make_utc(2003, 12, 13, 23, 30, 2)},
      {"2003-12-13 18:30", make_utc(2003, 12, 13, 18, 30, 0)},
      {"2003-12-13", make_utc(2003, 12, 13)},
      {"2003-13-13", std::nullopt},
      {"2003-12-13T18", std::nullopt},
      {"13.12.2003", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(parse_iso8601_date(c.text) == c.expected);
  }
}

TEST_CASE("automatic and formatted dates", "[html][json][dates]") {
  CHECK(parse_date_auto("1706875200") == make_utc(2024, 2, 2, 12, 0, 0));
  CHECK(parse_date_auto("1706875200000") == make_utc(2024, 2, 2, 12, 0, 0));
  CHECK(parse_date_auto("05.06.2024 14:20") == make_utc(2024, 6, 5, 14, 20, 0));
  CHECK(parse_date_auto("05.06.2024") == make_utc(2024, 6, 5));
  CHECK(parse_date_auto("5 июня 2024") == make_utc(2024, 6, 5));
  CHECK(parse_date_auto("12 March 2024 08:15") == make_utc(2024, 3, 12, 8, 15, 0));
  CHECK(parse_date_auto("Tue, 10 Jun 2003 04:00:00 GMT") == make_utc(2003, 6, 10, 4, 0, 0));
  CHECK_FALSE(parse_date_auto("вчера").has_value());
  CHECK(parse_date_format("2024/06/05 7:05", "%Y/%m/%d %H:%M") == make_utc(2024, 6, 5, 7, 5, 0));
  CHECK(parse_date_format("3 мая 2024 г.", "%d %B %Y г.") == make_utc(2024, 5, 3));
  CHECK(parse_date_format("Mar 3, 24", "%b %d, %y") == make_utc(2024, 3, 3));
  CHECK(parse_date_format("2024-06-05T10:00+03:00", "%Y-%m-%dT%H:%M%z") == make_utc(2024, 6, 5, 7, 0, 0));
  CHECK_FALSE(parse_date_format("2024-06-05 extra", "%Y-%m-%d").has_value());
  CHECK(valid_date_format("%d.%m.%Y %H:%M"));
  CHECK_FALSE(valid_date_format("%Q"));
  CHECK_FALSE(valid_date_format("%"));
}

TEST_CASE("HTML reduced to plain text", "[html-text]") {
  struct Case {
    const char* html;
    const char* text;
  };
  const Case cases[] = {
      {"<p>One</p><p>Two</p>", "One\nTwo"},
      {"a<br>b<br/>c", "a\nb\nc"},
      {"<div>x <script>var a = '<p>';</script>y<style>.c{}</style></div>", "x y"},
      {"Tom &amp; Jerry &mdash; &#8364;5 &lt;tag&gt;", "Tom & Jerry — €5 <tag>"},
      {"  lots\t\tof   <b>space</b>  ", "lots of space"},
      {"<ul><li>a</li><li>b</li></ul>", "a\nb"},
      {"<p>unclosed <i>tags", "unclosed tags"},
      {"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.html);
    CHECK(html_to_text(c.html) == c.text);
  }
  CHECK(clean_text("a < b and c > d") == "a < b and c > d");  // not markup: left alone
  CHECK(clean_text("AT&T rocks") == "AT&T rocks");
}

TEST_CASE("UTF-8 sanitising", "[html-text][security]") {
  using namespace std::string_literals;
  CHECK(printable_utf8("ok текст") == "ok текст");
  CHECK(printable_utf8("a\0b"s) == "ab");
  CHECK(printable_utf8("bad \xC3\x28") == "bad \xEF\xBF\xBD(");
  CHECK(printable_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(printable_utf8("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");
  CHECK(printable_utf8("cut \xF0\x9F") == "cut \xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(printable_utf8("r\r\nn") == "r\n\nn");
}

TEST_CASE("ratings and numbers", "[html][json]") {
  CHECK(parse_number("4") == 4.0);
  CHECK(parse_number(" 4,5 из 5") == 4.5);
  CHECK(parse_number("rated 3.0/5") == 3.0);
  CHECK_FALSE(parse_number("five").has_value());
  CHECK(normalise_rating(8, 10) == Approx(4.0));
  CHECK(normalise_rating(100, 100) == Approx(5.0));
  CHECK(normalise_rating(7, 5) == Approx(5.0));
  CHECK(normalise_rating(-1, 5) == Approx(0.0));
  CHECK_FALSE(normalise_rating(3, 0).has_value());
  CHECK(author_display_name("ivan@example.org (Ivan)") == "Ivan");
  CHECK(author_display_name("Just (a) name") == "Just (a) name");
}

TEST_CASE("URL resolution and Content-Type charset", "[rss][url]") {
  CHECK(resolve_url("https://a.example/x/feed.xml", "item/1") == "https://a.example/x/item/1");
  CHECK(resolve_url("https://a.example/x/feed.xml", "/item/1") == "https://a.example/item/1");
  CHECK(resolve_url("https://a.example/x/", "../y?q=1#f") == "https://a.example/y?q=1#f");
  CHECK(resolve_url("https://a.example/x/", "https://b.example/") == "https://b.example/");
  CHECK(resolve_url("https://a.example/x/", "  ") == "");
  CHECK(resolve_url("not a base", "rel/1") == "rel/1");
  CHECK(charset_from_content_type("text/xml; charset=KOI8-R") == "KOI8-R");
  CHECK(charset_from_content_type("application/rss+xml;Charset=\"windows-1251\"") == "windows-1251");
  CHECK(charset_from_content_type("text/html") == "");
}

namespace {

// The byte-at-a-time forms of printable_utf8 and collapse_whitespace: what the block-wise ones
// must give on every input.
std::string printable_reference(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size();) {
    const auto b = static_cast<unsigned char>(in[i]);
    if (b < 0x20 || b == 0x7F) {
      if (b == '\n' || b == '\t') out += static_cast<char>(b);
      else if (b == '\r') out += '\n';
      ++i;
      continue;
    }
    const std::size_t start = i;
    const char32_t cp = decode_utf8(in, i);
    if (cp == kReplacementChar && i - start == 1) out += "\xEF\xBF\xBD";
    else out.append(in.substr(start, i - start));
  }
  return out;
}

std::string collapse_reference(std::string_view in) {
  std::string out, line;
  auto flush = [&] {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (!line.empty()) out += (out.empty() ? "" : "\n") + line;
    line.clear();
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '\n' || c == '\r' || c == '\f' || c == '\v') flush();
    else if (c == ' ' || c == '\t' || (c == '\xC2' && i + 1 < in.size() && in[i + 1] == '\xA0')) {
      if (c == '\xC2') ++i;
      if (!line.empty() && line.back() != ' ') line += ' ';
    } else {
      line += c;
    }
  }
  flush();
  return out;
}

}  // namespace

TEST_CASE("printable_utf8 and collapse_whitespace give what the byte-at-a-time forms give", "[html-text]") {
  using namespace std::string_literals;
  const std::string cases[] = {
      "",
      "Очередь на сорок минут,   менеджер\tнахамил.\r\n\r\n  Второй абзац  ",
      "abcdefg\xD0\xBF and a pair across the edge",
      "abcdefg\xD0",
      "\xC0\xAF overlong, \xC1\xBF overlong, \xC2\x80 fine",
      "a\x7F" "bcdefghij\x01klmnop\x1Bq",
      "« quoted »\xC2\xA0no-break\xC2\xA0\xC2\xA0spaces\xC2",
      "emoji 😀 — dash \xED\xA0\x80 surrogate \xF4\x90\x80\x80 too high",
      "\f\v form feeds \n\n\n and    runs\t\t\tof blanks   ",
      "x\0y"s,
  };
  for (const std::string& c : cases) {
    INFO(c);
    CHECK(printable_utf8(c) == printable_reference(c));
    CHECK(collapse_whitespace(c) == collapse_reference(c));
  }
  test::Lcg rng(0x2545F4914F6CDD1DULL);
  const std::string_view pieces[] = {"a", "b", " ", "\t", "\n", "\r", "\f", "п", "«", "\xC2\xA0", "\xC2", "\xD0",
                                     "\xBF", "\x7F", "\x01", "—", "😀", "\xC0\x80", "\xED\xA0\x80", "word"};
  for (int n = 0; n < 20000; ++n) {
    const std::string s = test::random_pieces(rng, pieces, 30);
    INFO(n);
    REQUIRE(printable_utf8(s) == printable_reference(s));
    REQUIRE(collapse_whitespace(s) == collapse_reference(s));
  }
}
