// Site presets through the real daemon: each preset's hand-written page served by a fake site on
// 127.0.0.1 (with fresh dates, so that the first poll lets the newest items alert), alerts to the
// fake Telegram.

#include "harness.hpp"
#include "preset_config.hpp"
#include "tests/support/fixture.hpp"
#include "tests/support/chat/fake_chat.hpp"

#include <catch2/catch.hpp>

#include <fmt/chrono.h>
#include <fmt/format.h>


using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

const auto kNow = [] { return std::chrono::system_clock::now(); };

/// The preset config with a source of `type` at `url` and more keys in `source_extra`.
std::string config(const std::string& type, const std::string& url, const FakeTelegram& tg, const std::string& source_extra) {
  return preset_config(fmt::format("type = \"{}\"\nurl = \"{}\"\n{}", type, url, source_extra), tg);
}

/// Ten minutes ago, as "2026-12-04T10:00:00" (UTC; the caller adds the zone or fraction).
std::string recent_iso() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}", fmt::gmtime(std::chrono::system_clock::to_time_t(kNow() - 10min)));
}

}  // namespace

TEST_CASE("a Google Alerts feed alerts on the brand's negative pages, linked directly", "[integration][presets]") {
  std::string feed = read_fixture("google_alerts/alert.xml");
  replace_all(feed, "2026-11-23T08:40:00Z", recent_iso() + "Z");
  FakeSite site;
  site.put("/alerts/feeds/1/2", "application/atom+xml; charset=utf-8", feed);
  FakeTelegram tg;
  DaemonHarness h;
  h.write_config(config("google_alerts", site.url("/alerts/feeds/1/2"), tg, "match_brands = true"));
  h.start();
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 10s));
  REQUIRE(wait_until([&] { return site.hits("/alerts/feeds/1/2") >= 3; }, 10s));
  const auto msgs = tg.messages();
  REQUIRE(msgs.size() == 1);  // the office news is not negative; the rocket launch names no brand
  INFO(msgs[0].visible_text);
  CHECK(msgs[0].visible_text.find("Клиенты Рокетбанка жалуются на двойные списания") != std::string::npos);
  CHECK(msgs[0].text.find("https://news.example.org/finance/2026/11/double-charges?ref=rss") != std::string::npos);
  CHECK(msgs[0].visible_text.find("(в тексте: «Рокетбанка»)") != std::string::npos);
  CHECK(h.stop() == 0);
}

TEST_CASE("a Mastodon hashtag timeline alerts on its negative statuses", "[integration][presets]") {
  std::string page = read_fixture("mastodon/tag.json");
  for (const char* old : {"2026-11-23T10:15:00.000Z", "2026-11-23T09:00:00.000Z"}) replace_all(page, old, recent_iso() + ".000Z");
  FakeSite site;
  site.put("/api/v1/timelines/tag/rocketbank", "application/json; charset=utf-8", page);
  FakeTelegram tg;
  DaemonHarness h;
  h.write_config(config("mastodon_tag", site.url("/api/v1/timelines/tag/rocketbank"), tg, "brand = \"Рокетбанк\""));
  h.start();
  REQUIRE(wait_until([&] { return tg.messages().size() >= 2; }, 10s));
  REQUIRE(wait_until([&] { return site.hits("/api/v1/timelines/tag/rocketbank") >= 3; }, 10s));
  const auto msgs = tg.messages();
  REQUIRE(msgs.size() == 2);  // the boost is not a status of its own
  std::string all = msgs[0].text + msgs[1].text;
  CHECK(all.find("https://social.example/@anna_k/113500000000000003") != std::string::npos);
  CHECK(all.find("Анна Котова") != std::string::npos);
  CHECK(all.find("ivan@other.example") != std::string::npos);
  CHECK(h.stop() == 0);
}

TEST_CASE("Reddit search alerts on negative posts, linked to the thread", "[integration][presets]") {
  std::string page = read_fixture("reddit/search.json");
  const auto recent = std::chrono::duration_cast<std::chrono::seconds>((kNow() - 10min).time_since_epoch()).count();
  replace_all(page, "1763890800.0", std::to_string(recent) + ".0");
  replace_all(page, "1763887200", std::to_string(recent - 60));
  FakeSite site;
  site.put("/search.json", "application/json; charset=UTF-8", page);
  FakeTelegram tg;
  DaemonHarness h;
  h.write_config(config("reddit_search", site.url("/search.json"), tg, "match_brands = true"));
  h.start();
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 10s));
  REQUIRE(wait_until([&] { return site.hits("/search.json") >= 3; }, 10s));
  const auto msgs = tg.messages();
  std::string all;
  for (const auto& m : msgs) all += m.text;
  INFO(all);
  CHECK(all.find("https://www.reddit.com/r/personalfinance/comments/1gx0001/") != std::string::npos);
  CHECK(all.find("quiet_otter_42") != std::string::npos);
  CHECK(h.stop() == 0);
}

TEST_CASE("App Store reviews alert with their stars, the good ones stay quiet", "[integration][presets]") {
  std::string page = read_fixture("app_store/reviews.json");
  replace_all(page, "2026-11-22T21:14:05-07:00", recent_iso() + "+00:00");
  replace_all(page, "2026-11-21T09:00:00-07:00", recent_iso() + "+00:00");
  FakeSite site;
  site.put("/ru/rss/customerreviews/page=1/id=1000000000/sortby=mostrecent/json", "application/json", page);
  FakeTelegram tg;
  DaemonHarness h;
  h.write_config(config("app_store", site.url("/ru/rss/customerreviews/page=1/id=1000000000/sortby=mostrecent/json"), tg,
                        "brand = \"Рокетбанк\""));
  h.start();
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 10s));
  REQUIRE(wait_until([&] { return site.hits("/ru/rss/customerreviews/page=1/id=1000000000/sortby=mostrecent/json") >= 3; }, 10s));
  const auto msgs = tg.messages();
  REQUIRE(msgs.size() == 1);  // the five-star review is not negative
  INFO(msgs[0].visible_text);
  CHECK(msgs[0].visible_text.find("★☆☆☆☆ 1/5") != std::string::npos);
  CHECK(msgs[0].visible_text.find("Марина_77") != std::string::npos);
  CHECK(msgs[0].visible_text.find("вылетает на экране входа") != std::string::npos);
  CHECK(h.stop() == 0);
}

TEST_CASE("App Store reviews from the XML feed alert by their own time", "[integration][presets]") {
  std::string page = read_fixture("app_store/reviews.xml");
  replace_all(page, "2026-11-22T21:14:05-07:00", recent_iso() + "+00:00");
  replace_all(page, "2026-11-21T09:00:00-07:00", recent_iso() + "+00:00");
  replace_all(page, "2026-11-22T08:03:41-07:00", "2020-01-10T08:03:41-07:00");  // older than alert_max_age
  FakeSite site;
  const std::string path = "/ru/rss/customerreviews/page=1/id=1000000000/sortby=mostrecent/xml";
  site.put(path, "text/xml; charset=UTF-8", page);
  FakeTelegram tg;
  DaemonHarness h;
  h.write_config(config("app_store", site.url(path), tg, "brand = \"Рокетбанк\""));
  h.start();
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 10s));
  REQUIRE(wait_until([&] { return site.hits(path) >= 3; }, 10s));
  const auto msgs = tg.messages();
  REQUIRE(msgs.size() == 1);  // the five-star review is not negative; the three-star one is old news
  INFO(msgs[0].visible_text);
  CHECK(msgs[0].visible_text.find("★☆☆☆☆ 1/5") != std::string::npos);
  CHECK(msgs[0].visible_text.find("Марина_77") != std::string::npos);
  CHECK(msgs[0].visible_text.find("вылетает на экране входа") != std::string::npos);
  CHECK(h.stop() == 0);
}

TEST_CASE("a public Telegram channel's preview alerts on its negative posts", "[integration][presets]") {
  std::string page = read_fixture("telegram_channel/channel.html");
  for (const char* old : {"2026-11-23T10:15:00+00:00", "2026-11-23T11:00:00+00:00", "2026-11-23T12:30:00+00:00"})
    replace_all(page, old, recent_iso() + "+00:00");
  FakeSite site;
  site.put("/s/bank_reviews_example", "text/html; charset=utf-8", page);
  FakeTelegram tg;
  DaemonHarness h;
  h.write_config(config("telegram_channel", site.url("/s/bank_reviews_example"), tg, "match_brands = true"));
  h.start();
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 10s));
  REQUIRE(wait_until([&] { return site.hits("/s/bank_reviews_example") >= 3; }, 10s));
  const auto msgs = tg.messages();
  REQUIRE(msgs.size() == 1);  // the poll names no brand; the photo post has no text
  INFO(msgs[0].visible_text);
  CHECK(msgs[0].visible_text.find("заблокировал карту по 115-ФЗ") != std::string::npos);
  CHECK(msgs[0].text.find("https://t.me/bank_reviews_example/1201") != std::string::npos);
  CHECK(h.stop() == 0);
}
