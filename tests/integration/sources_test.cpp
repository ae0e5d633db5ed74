// RSS, HTML and JSON sources on a fake review site; sources that serve garbage, huge or slow
// bodies and redirect loops are logged and counted while the others keep working.

#include "harness.hpp"
#include "tests/support/chat/fake_chat.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <tuple>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

std::string html_page(const std::vector<std::pair<std::string, std::string>>& reviews) {
  std::string out = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Отзывы</title></head><body>";
  for (const auto& [id, text] : reviews)
    out += "<div class=\"review\" data-id=\"" + id + "\"><span class=\"author\">Клиент " + id +
           "</span><span class=\"stars\">1</span><p class=\"text\">" + text + "</p></div>";
  return out + "</body></html>";
}

std::string json_api(const std::vector<std::pair<std::string, std::string>>& reviews) {
  std::string out = R"({"data":{"reviews":[)";
  bool first = true;
  for (const auto& [id, text] : reviews) {
    out += (first ? "" : ",") + fmt::format(R"({{"id":{},"body":"{}","user":{{"name":"u{}"}},"grade":2}})", id, text, id);
    first = false;
  }
  return out + "]}}";
}

std::string config(FakeSite& site, FakeTelegram& tg, bool with_bad_sources) {
  std::string cfg = fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"

[http]
per_host_delay = "0s"
read_timeout = "1s"
max_body = "256KiB"
max_redirects = 5

[[source]]
name = "html-site"
type = "html"
url = "{}"
interval = "1s"
alert_max_age = "100000d"
item = "//div[@class='review']"
fields = {{ id = "@data-id", text = ".//p[@class='text']", author = ".//span[@class='author']", rating = ".//span[@class='stars']" }}

[[source]]
name = "json-api"
type = "json"
url = "{}"
interval = "1s"
alert_max_age = "100000d"
items = "/data/reviews"
fields = {{ id = "/id", text = "/body", author = "/user/name", rating = "/grade" }}

[[channel]]
name = "support"
type = "telegram"
token = "{}"
chat_id = "42"
api_url = "{}"

[[route]]
channel = "support"
)",
                                site.url("/reviews.html"), site.url("/api/reviews"), tg.token(), tg.api_url());
  if (with_bad_sources) {
    for (const char* name : {"garbage", "huge", "slow", "loop"})
      cfg += fmt::format("\n[[source]]\nname = \"{}\"\ntype = \"rss\"\nurl = \"{}\"\ninterval = \"1s\"\n", name,
                         site.url(std::string("/") + name));
  }
  return cfg;
}

std::size_t count_containing(const std::vector<TelegramMessage>& msgs, const std::string& needle) {
  std::size_t n = 0;
  for (const auto& m : msgs) n += m.visible_text.find(needle) != std::string::npos;
  return n;
}

/// The HTML and JSON pages with one positive review each (the baseline).
void serve_praise(FakeSite& site) {
  site.put("/reviews.html", "text/html; charset=utf-8", html_page({{"102", "Всё отлично, спасибо!"}}));
  site.put("/api/reviews", "application/json", json_api({{"8", "Lovely staff, great app."}}));
}

/// The same pages with a new complaint on top of each.
void serve_complaints(FakeSite& site) {
  site.put("/reviews.html", "text/html; charset=utf-8",
           html_page({{"101", "Нахамили в отделении и час продержали в очереди. Ужасно."},
                      {"102", "Всё отлично, спасибо!"}}));
  site.put("/api/reviews", "application/json",
           json_api({{"7", "Money was charged twice and never refunded. Terrible."}, {"8", "Lovely staff, great app."}}));
}

/// The daemon polling the two pages of serve_praise() and alerting to a fake Telegram.
struct PraisedSite {
  FakeSite site;
  FakeTelegram tg;
  DaemonHarness h;
  PraisedSite() {
    serve_praise(site);
    h.write_config(config(site, tg, false));
    h.start();
  }
};

/// Each complaint of serve_complaints() alerted once, and nothing else.
void check_one_alert_each(const FakeTelegram& tg) {
  auto msgs = tg.messages();
  CHECK(msgs.size() == 2);
  CHECK(count_containing(msgs, "продержали в очереди") == 1);
  CHECK(count_containing(msgs, "charged twice") == 1);
}

}  // namespace

TEST_CASE_METHOD(PraisedSite, "html and json sources alert on their negative items", "[integration][html][json]") {
  // The first poll is the baseline (these items carry no date, so they would stay silent anyway).
  REQUIRE(wait_until([&] { return site.hits("/reviews.html") >= 1 && site.hits("/api/reviews") >= 1; }, 10s));
  serve_complaints(site);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 2; }, 15s));
  const auto hits = site.hits("/reviews.html");
  REQUIRE(wait_until([&] { return site.hits("/reviews.html") >= hits + 2; }, 10s));
  check_one_alert_each(tg);
  h.stop();
}

TEST_CASE("broken sources are logged and counted while the others are unaffected", "[integration][resilience]") {
  FakeSite site;
  FakeTelegram tg;
  site.put("/reviews.html", "text/html; charset=utf-8", html_page({{"1", "Всё хорошо."}}));
  site.put("/api/reviews", "application/json", json_api({{"1", "Fine."}}));
  site.put("/garbage", "application/rss+xml", std::string("\x89PNG\r\n\x1a\n\0\0garbage<<<<", 20));
  site.put("/huge", "application/rss+xml", "<rss>" + std::string(2 << 20, 'x') + "</rss>");
  FakeResponse slow;
  slow.headers = {{"Content-Type", "application/rss+xml"}};
  slow.body = std::string(64 * 1024, ' ');
  slow.chunk_size = 16;
  slow.chunk_delay = 100ms;
  site.put_response("/slow", slow);
  FakeResponse loop;
  loop.status = 302;
  loop.headers = {{"Location", "/loop"}};
  site.put_response("/loop", loop);

  DaemonHarness h;
  h.write_config(config(site, tg, true));
  h.start();
  REQUIRE(wait_until([&] { return site.hits("/slow") >= 1 && site.hits("/garbage") >= 2 && site.hits("/huge") >= 1; },
                     15s));

  // The good sources still alert on a new negative item.
  site.put("/api/reviews", "application/json",
           json_api({{"1", "Fine."}, {"2", "Rude staff, an hour on hold, nobody helped. Awful."}}));
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 15s));
  CHECK(count_containing(tg.messages(), "an hour on hold") == 1);

  auto [hs, health] = h.health_get("/healthz");
  CHECK(hs == 200);
  auto [ms, metrics] = h.health_get("/metrics");
  REQUIRE(ms == 200);
  INFO(metrics);
  CHECK(metrics.find(R"(otklik_source_poll_failures_total{source="garbage",reason="parse"})") != std::string::npos);
  CHECK(metrics.find(R"(otklik_source_poll_failures_total{source="huge",reason="too_large"})") != std::string::npos);
  CHECK(metrics.find(R"(otklik_source_poll_failures_total{source="slow",reason="timeout"})") != std::string::npos);
  CHECK(metrics.find(R"(otklik_source_poll_failures_total{source="loop",reason="redirect"})") != std::string::npos);
  const std::string log = h.log();
  CHECK(log.find("source garbage: poll failed") != std::string::npos);
  CHECK(log.find("source loop: poll failed") != std::string::npos);
  CHECK(h.stop() == 0);
}

namespace {

/// The value of the series `name` whose labels include every one of `labels` (`source="x"`), or -1.
double series(const std::string& metrics, const std::string& name, const std::vector<std::string>& labels) {
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with(name + "{")) continue;
    const auto close = line.find("} ");
    if (close == std::string::npos) continue;
    const std::string set = line.substr(0, close);
    if (std::all_of(labels.begin(), labels.end(), [&](const std::string& l) { return set.find(l) != std::string::npos; }))
      return std::stod(line.substr(close + 2));
  }
  return -1;
}

}  // namespace

TEST_CASE_METHOD(PraisedSite,
                 "a page served again without ETag or Last-Modified is not parsed again; what changes in it alerts once",
                 "[integration][html][json][digest]") {
  // The fake site sends no validators: every poll is a 200 with the same bytes.
  REQUIRE(wait_until([&] { return site.hits("/reviews.html") >= 4 && site.hits("/api/reviews") >= 4; }, 15s));
  const auto counts = [&](const std::string& source) {
    auto [status, text] = h.health_get("/metrics");
    REQUIRE(status == 200);
    const std::string s = "source=\"" + source + "\"";
    return std::tuple{series(text, "otklik_source_polls_total", {s, "result=\"ok\""}),
                      series(text, "otklik_source_polls_total", {s, "result=\"not_modified\""}),
                      series(text, "otklik_mentions_total", {s, "outcome=\"unchanged\""})};
  };
  for (const char* source : {"html-site", "json-api"}) {
    CAPTURE(source);
    const auto [ok, same, unchanged_items] = counts(source);
    CHECK(ok == 1);            // the baseline
    CHECK(same >= 2);          // then the same page, not parsed
    CHECK(unchanged_items == 0);  // nor its items looked up in the store
  }
  serve_complaints(site);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 2; }, 15s));
  const auto html_hits = site.hits("/reviews.html");
  const auto api_hits = site.hits("/api/reviews");
  REQUIRE(wait_until(
      [&] { return site.hits("/reviews.html") >= html_hits + 3 && site.hits("/api/reviews") >= api_hits + 3; }, 15s));
  check_one_alert_each(tg);
  for (const char* source : {"html-site", "json-api"}) {
    CAPTURE(source);
    const auto [ok, same, unchanged_items] = counts(source);
    CHECK(ok == 2);               // the baseline and the page with the news
    CHECK(unchanged_items == 1);  // the old item of that page, once; the same page after it is skipped
  }
  h.stop();
}
