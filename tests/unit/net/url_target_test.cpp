#include "daemon/net/url_target.hpp"

#include "tests/support/catch_result.hpp"

using namespace otklik;

TEST_CASE("parse_http_url takes http(s) URLs apart", "[net][url]") {
  struct Case {
    std::string url;
    bool tls;
    std::string host, port, host_header, target, authority;
    bool ip_literal;
  };
  const Case cases[] = {
      {"http://example.org", false, "example.org", "80", "example.org", "/", "example.org:80", false},
      {"https://Example.ORG/feed?x=1&y=%20#frag", true, "example.org", "443", "example.org", "/feed?x=1&y=%20",
       "example.org:443", false},
      {"https://example.org:8443/a/b", true, "example.org", "8443", "example.org:8443", "/a/b", "example.org:8443",
       false},
      {"http://127.0.0.1:8080/x", false, "127.0.0.1", "8080", "127.0.0.1:8080", "/x", "127.0.0.1:8080", true},
      {"https://[::1]:9443/", true, "::1", "9443", "[::1]:9443", "/", "[::1]:9443", true},
      {"https://example.org:443/", true, "example.org", "443", "example.org", "/", "example.org:443", false},
      {"HTTP://example.org?q", false, "example.org", "80", "example.org", "/?q", "example.org:80", false},
  };
  for (const auto& c : cases) {
    INFO(c.url);
    auto t = parse_http_url(c.url);
    REQUIRE(t);
    CHECK(t->tls == c.tls);
    CHECK(t->host == c.host);
    CHECK(t->port == c.port);
    CHECK(t->host_header == c.host_header);
    CHECK(t->target == c.target);
    CHECK(t->authority() == c.authority);
    CHECK(t->ip_literal == c.ip_literal);
  }
}

TEST_CASE("parse_http_url rejects other schemes and broken URLs", "[net][url]") {
  struct Case {
    std::string url;
    errc code;
  };
  const Case cases[] = {
      {"ftp://example.org/file", errc::unsupported_scheme},
      {"file:///etc/hosts", errc::unsupported_scheme},
      {"example.org/feed", errc::invalid_input},
      {"http://", errc::invalid_input},
      {"http://exa mple.org/", errc::invalid_input},
      {"", errc::invalid_input},
  };
  for (const auto& c : cases) {
    INFO(c.url);
    auto t = parse_http_url(c.url);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == make_error_code(c.code));
  }
}

TEST_CASE("resolve_redirect resolves Location against the answering URL", "[net][url]") {
  struct Case {
    std::string base, location, expected;
  };
  const Case cases[] = {
      {"http://a.example/b/c/d?q", "e", "http://a.example/b/c/e"},
      {"http://a.example/b/c/d?q", "../e?x=1", "http://a.example/b/e?x=1"},
      {"http://a.example/b/c/d?q", "/root", "http://a.example/root"},
      {"http://a.example/b/c/d?q", "?only", "http://a.example/b/c/d?only"},
      {"https://a.example/b", "//cdn.example/x", "https://cdn.example/x"},
      {"https://a.example/b", "http://other.example/x#frag", "http://other.example/x"},
      {"http://127.0.0.1:1234/r/1", "/r/2", "http://127.0.0.1:1234/r/2"},
  };
  for (const auto& c : cases) {
    INFO(c.base << " + " << c.location);
    auto r = resolve_redirect(c.base, c.location);
    REQUIRE(r);
    CHECK(*r == c.expected);
  }
  for (std::string bad : {"ftp://example.org/x", "javascript:alert(1)", "file:///etc/passwd", "http://exa mple/",
                          "mailto:a@b.c"}) {
    INFO(bad);
    auto r = resolve_redirect("https://a.example/", bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::bad_redirect));
  }
}

TEST_CASE("file_url_path percent-decodes the path", "[net][url]") {
  CHECK(file_url_path("file:///tmp/a%20b/feed.xml").value() == "/tmp/a b/feed.xml");
  CHECK(file_url_path("file://localhost/tmp/x").value() == "/tmp/x");
  CHECK(file_url_path("file:///tmp/%D0%BE%D1%82%D0%B7%D1%8B%D0%B2.txt").value() == "/tmp/отзыв.txt");
  CHECK_FALSE(file_url_path("file://remote.example/tmp/x"));
  CHECK_FALSE(file_url_path("http://example.org/x"));
}
