// Event-stream framing and the security headers added to every response.

#include "daemon/web/security_headers.hpp"
#include "daemon/web/web_types.hpp"

#include <catch2/catch.hpp>

using namespace otklik;
using namespace otklik::web;

TEST_CASE("server-sent events are framed line by line", "[web][sse]") {
  struct Case {
    std::string_view event, data, bytes;
  };
  const Case cases[] = {
      {"alert", "{\"id\":1}", "event: alert\ndata: {\"id\":1}\n\n"},
      {"", "x", "data: x\n\n"},
      {"alert", "", "event: alert\ndata: \n\n"},
      {"alert", "a\nb", "event: alert\ndata: a\ndata: b\n\n"},
      {"alert", "a\r\nb\rc", "event: alert\ndata: a\ndata: b\ndata: c\n\n"},
      {"alert", "a\n", "event: alert\ndata: a\ndata: \n\n"},
      {"al\nert", "x", "event: al ert\ndata: x\n\n"},
  };
  for (const auto& c : cases) {
    INFO(c.bytes);
    CHECK(format_event(c.event, c.data) == c.bytes);
  }
  CHECK(format_comment("ping") == ": ping\n\n");
  CHECK(format_comment("a\nb") == ": a b\n\n");
}

TEST_CASE("security headers are added unless set", "[web][headers]") {
  Headers plain;
  add_security_headers(plain, false);
  CHECK(find_header(plain, "Content-Security-Policy") == kContentSecurityPolicy);
  CHECK(find_header(plain, "x-content-type-options") == "nosniff");
  CHECK(find_header(plain, "X-Frame-Options") == "DENY");
  CHECK(find_header(plain, "Referrer-Policy") == "same-origin");
  CHECK_FALSE(find_header(plain, "Strict-Transport-Security"));
  CHECK(plain.size() == 4);

  Headers tls{{"content-security-policy", "default-src 'none'"}, {"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}};
  add_security_headers(tls, true);
  CHECK(find_header(tls, "Content-Security-Policy") == "default-src 'none'");
  CHECK(find_header(tls, "Strict-Transport-Security") == kStrictTransportSecurity);
  CHECK(tls.size() == 3 + 4);
}

TEST_CASE("response helpers", "[web][headers]") {
  const auto r = WebResponse::redirect("/login?next=%2F");
  CHECK(r.status == 303);
  CHECK(find_header(r.headers, "Location") == "/login?next=%2F");
  CHECK(WebResponse::html(200, "<p>").content_type == "text/html; charset=utf-8");
  CHECK(WebResponse::text(404, "x").content_type == "text/plain; charset=utf-8");
  const auto e = WebResponse::events([](std::shared_ptr<EventStream>) -> boost::asio::awaitable<void> { co_return; });
  CHECK(e.stream);
  CHECK(e.content_type.starts_with("text/event-stream"));
}
