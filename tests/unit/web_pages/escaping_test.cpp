// Hostile texts in every field of every page: the output never holds a tag or an attribute of
// theirs, parses as HTML, and keeps the CSP (no inline script, no event handler, no style).
#include "daemon/web/pages/pages.hpp"
#include "tests/unit/web_pages/html_inspect.hpp"
#include "tests/unit/web_pages/page_fixtures.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

using namespace otklik;
using namespace otklik::web;
using namespace otklik::web::test;

namespace {

const std::vector<std::string>& hostile_strings() {
  static const std::vector<std::string> kStrings{
      "<script>alert(1)</script>",
      "\"><img src=x onerror=alert(1)>",
      "' onmouseover='alert(1)",
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "</textarea><script>alert(1)</script>",
      "</title><style>body{display:none}</style>",
      "<!-- comment --><![CDATA[x]]>",
      "&lt;already escaped&gt; &amp; &#60;",
      std::string("nul\0byte\x01\x08\x1b[31m\x7f end", 21),
      "\xc2\x85 C1 control and \xff\xfe invalid UTF-8",
      std::string(5000, 'W'),
      "<svg onload=alert(1)><rect style=\"x\"/></svg>",
      "data:text/html,<script>alert(1)</script>",
      "Очередь в кассе «Рокетбанк» — 40 минут",
  };
  return kStrings;
}

struct NamedPage {
  const char* name;
  std::function<std::string(const std::string&, WebRole, Locale)> render;
};

std::vector<NamedPage> every_page() {
  return {
      {"login", [](const std::string& s, WebRole r, Locale l) {
         auto ctx = context_with(s, r, l);
         ctx.user.clear();
         return render_login_page(ctx, login_with(s));
       }},
      {"inbox", [](const std::string& s, WebRole r, Locale l) { return render_inbox_page(context_with(s, r, l), inbox_with(s)); }},
      {"case", [](const std::string& s, WebRole r, Locale l) { return render_case_page(context_with(s, r, l), case_with(s)); }},
      {"case resolved", [](const std::string& s, WebRole r, Locale l) {
         return render_case_page(context_with(s, r, l), case_with(s, CaseState::resolved));
       }},
      {"case without case", [](const std::string& s, WebRole r, Locale l) {
         auto v = case_with(s);
         v.record.reset();
         v.events.clear();
         v.relabels.clear();
         v.reply.reset();
         v.mention.mention.title.clear();
         return render_case_page(context_with(s, r, l), v);
       }},
      {"sources", [](const std::string& s, WebRole r, Locale l) { return render_sources_page(context_with(s, r, l), sources_with(s)); }},
      {"overview", [](const std::string& s, WebRole r, Locale l) { return render_overview_page(context_with(s, r, l), overview_with(s)); }},
      {"digests", [](const std::string& s, WebRole r, Locale l) { return render_digests_page(context_with(s, r, l), digests_with(s)); }},
      {"users", [](const std::string& s, WebRole r, Locale l) { return render_users_page(context_with(s, r, l), users_with(s)); }},
      {"error 403", [](const std::string& s, WebRole r, Locale l) { return render_error_page(context_with(s, r, l), 403, s); }},
      {"error 404", [](const std::string& s, WebRole r, Locale l) { return render_error_page(context_with(s, r, l), 404, s); }},
      {"error 500", [](const std::string& s, WebRole r, Locale l) { return render_error_page(context_with(s, r, l), 500, s); }},
      {"error 418", [](const std::string& s, WebRole r, Locale l) { return render_error_page(context_with(s, r, l), 418, s); }},
  };
}

/// No control character but tab, line feed and carriage return; no byte sequence that is not UTF-8.
bool clean_characters(const std::string& html) {
  for (unsigned char c : html)
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F || c == 0xFF || c == 0xFE) return false;
  return html.find("\xc2\x85") == std::string::npos;
}

void check_document(const std::string& html, const std::string& what) {
  INFO(what);
  const auto doc = inspect_html(html);
  CHECK(doc.errors == std::vector<std::string>{});
  CHECK(violations(doc) == std::vector<std::string>{});
  CHECK(clean_characters(html));
  // Raw forms of the hostile markup never reach the output.
  for (const char* raw : {"<script>alert", "<img", "<style", "<svg onload", "<!--", "<![CDATA", "</textarea><script"})
    CHECK(html.find(raw) == std::string::npos);
  CHECK(html.find("href=\"javascript:") == std::string::npos);
  CHECK(html.find("href=\"JaVaScRiPt:") == std::string::npos);
}

}  // namespace

TEST_CASE("hostile text in every field of every page is shown escaped", "[web][escaping]") {
  for (const auto& s : hostile_strings()) {
    for (const auto& page : every_page()) {
      for (WebRole role : {WebRole::viewer, WebRole::agent, WebRole::admin}) {
        for (Locale locale : {Locale::ru, Locale::en}) {
          check_document(page.render(s, role, locale),
                         std::string(page.name) + " with " + s.substr(0, 60) + " as " + std::string(to_string(role)));
        }
      }
    }
  }
}

TEST_CASE("a hostile review reads as its text", "[web][escaping]") {
  const std::string s = "<script>alert(1)</script>";
  const auto doc = inspect_html(render_case_page(context_with("anna"), case_with(s)));
  CHECK(doc.text.find(s) != std::string::npos);
  const auto inbox = inspect_html(render_inbox_page(context_with("anna"), inbox_with(s)));
  CHECK(inbox.text.find(s) != std::string::npos);
}

TEST_CASE("a hostile inbox row for the live feed parses inside a table alone", "[web][escaping]") {
  for (const auto& s : hostile_strings()) {
    INFO(s.substr(0, 60));
    const std::string row = render_inbox_row(row_with(s), context_with(s), {{s, s}});
    CHECK(row.starts_with("<tr "));
    CHECK(row.ends_with("</tr>"));
    check_document("<!DOCTYPE html><html><head><title>t</title></head><body><table><tbody>" + row +
                       "</tbody></table></body></html>",
                   "row");
  }
}

TEST_CASE("only http(s) addresses become links", "[web][escaping]") {
  auto v = case_with("x");
  for (const char* url : {"javascript:alert(1)", " javascript:alert(1)", "data:text/html,x", "//evil.example/x",
                          "vbscript:x", "/case/1", "ftp://example.org/x", "http://exa mple.org"}) {
    INFO(url);
    v.mention.mention.url = url;
    const auto doc = inspect_html(render_case_page(context_with("anna"), v));
    for (const auto& e : doc.elements)
      if (e.name == "a" && e.attribute("href")) CHECK(*e.attribute("href") != url);
    CHECK(doc.text.find(url) != std::string::npos);  // shown as text
  }
  v.mention.mention.url = "https://yandex.ru/maps/org/1/reviews?a=1&b=\"2\"";
  const std::string html = render_case_page(context_with("anna"), v);
  CHECK(html.find(R"(href="https://yandex.ru/maps/org/1/reviews?a=1&amp;b=&quot;2&quot;")") != std::string::npos);
}

TEST_CASE("the checks above catch what they look for", "[web][escaping]") {
  const std::string head = "<!DOCTYPE html><html><head><title>t</title></head><body>";
  const std::string tail = "</body></html>";
  struct Case {
    std::string body;
    bool parse_error;
    bool violation;
  };
  const Case cases[] = {
      {"<p>fine</p>", false, false},
      {"<script>alert(1)</script>", false, true},
      {"<p onclick=\"x()\">a</p>", false, true},
      {"<p style=\"color:red\">a</p>", false, true},
      {"<a href=\"javascript:alert(1)\">a</a>", false, true},
      {"<a href=\"//evil.example\">a</a>", false, true},
      {"<img src=x>", false, true},
      {"<p>&lt;img src=x onerror=alert(1)&gt;</p>", false, false},
      {"<div><span>a</div></span>", true, false},
      {"<p title=\"a\" title=\"b\">a</p>", true, false},
  };
  for (const auto& c : cases) {
    INFO(c.body);
    const auto doc = inspect_html(head + c.body + tail);
    CHECK(doc.errors.empty() == !c.parse_error);
    CHECK(violations(doc).empty() == !c.violation);
  }
}
