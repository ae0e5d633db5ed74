#include "daemon/web/pages/html_escape.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace otklik::web;

TEST_CASE("escape makes text safe in text and in quoted attributes", "[web][escape]") {
  struct Case {
    std::string in, out;
  };
  const Case cases[] = {
      {"", ""},
      {"plain", "plain"},
      {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
      {"\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"},
      {"' onmouseover='x", "&#39; onmouseover=&#39;x"},
      {"a & b", "a &amp; b"},
      {"&amp;", "&amp;amp;"},
      {"line\nbreak\ttab\r", "line\nbreak\ttab\r"},
      {std::string("a\0b\x01" "c\x1f" "d\x7f" "e", 9), "abcde"},
      {"\xc2\x80x\xc2\x9fy", "xy"},                       // C1 controls dropped
      {"\xff", "\xef\xbf\xbd"},                           // invalid byte → U+FFFD
      {"\xd0\x9e\xd1\x87\xd0\xb5\xd1\x80\xd0\xb5\xd0\xb4\xd1\x8c", "Очередь"},
      {"\xf0\x9f\x98\xa1", "\xf0\x9f\x98\xa1"},           // emoji kept
      {"\xd0", "\xef\xbf\xbd"},                           // truncated sequence
  };
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(escape(c.in) == c.out);
  }
}

TEST_CASE("http_url accepts only absolute http(s) addresses", "[web][escape]") {
  struct Case {
    std::string url;
    bool ok;
  };
  const Case cases[] = {
      {"https://yandex.ru/maps/org/1", true},
      {"http://example.org", true},
      {"HTTPS://EXAMPLE.ORG/A", true},
      {"https://", false},
      {"javascript:alert(1)", false},
      {"JAVASCRIPT:alert(1)", false},
      {" https://example.org", false},
      {"https://exa mple.org", false},
      {"https://example.org/\n", false},
      {"data:text/html,<b>", false},
      {"//example.org", false},
      {"/case/1", false},
      {"ftp://example.org", false},
      {"", false},
  };
  for (const auto& c : cases) {
    INFO(c.url);
    CHECK(http_url(c.url).has_value() == c.ok);
  }
}

TEST_CASE("percent_encode keeps only unreserved characters", "[web][escape]") {
  CHECK(percent_encode("2026-W47") == "2026-W47");
  CHECK(percent_encode("a b/c?d&e") == "a%20b%2Fc%3Fd%26e");
  CHECK(percent_encode("отзывы") == "%D0%BE%D1%82%D0%B7%D1%8B%D0%B2%D1%8B");
  CHECK(percent_encode("x_y.z~") == "x_y.z~");
}
