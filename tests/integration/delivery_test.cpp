// A new negative review → exactly one Telegram alert; restarts repeat nothing; 429 retry_after is
// waited out; a chat API that is down gets everything once it recovers.

#include "harness.hpp"
#include "tests/support/chat/fake_chat.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

const auto kNow = [] { return std::chrono::system_clock::now(); };

std::string config(const std::string& feed_url, const FakeTelegram& tg, const std::string& extra = "") {
  return fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"
locale = "en"
shutdown_timeout = "5s"

[http]
per_host_delay = "0s"
read_timeout = "5s"

[[brand]]
name = "Rocketbank"

[[source]]
name = "reviews"
type = "rss"
url = "{}"
interval = "1s"
brand = "Rocketbank"

[[channel]]
name = "support"
type = "telegram"
token = "{}"
chat_id = "-100200300"
api_url = "{}"

[[route]]
channel = "support"
min_severity = "low"
{}
)",
                     feed_url, tg.token(), tg.api_url(), extra);
}

FeedItem old_item(std::string id, std::string text) { return {std::move(id), "Old review", std::move(text), kNow() - 240h}; }
FeedItem new_item(std::string id, std::string text) { return {std::move(id), "Review", std::move(text), kNow() - 1min}; }

const std::string kNegative1 = "Terrible service, the manager was rude and I waited an hour in the queue. Never again.";
const std::string kNegative2 = "They charged me twice and refused to refund. Awful, a scam.";
const std::string kNegative3 = "The app crashes every time, support never answers. Horrible.";
const std::string kPositive = "Great bank, friendly staff, everything was quick. Thank you!";

/// Serves one old positive review and starts the daemon; returns the feed's items once the
/// silent first poll has happened.
std::vector<FeedItem> start_after_baseline(DaemonHarness& h, FakeSite& site, const FakeTelegram& tg,
                                           const std::string& extra = "") {
  std::vector<FeedItem> items = {old_item("a", kPositive)};
  serve_feed(site, items);
  h.write_config(config(site.url("/feed.rss"), tg, extra));
  h.start();
  REQUIRE(wait_until([&] { return site.hits("/feed.rss") >= 1; }, 10s));
  return items;
}

}  // namespace

TEST_CASE("a new negative review gives exactly one alert, and restarts repeat nothing", "[integration][telegram]") {
  FakeSite site;
  FakeTelegram tg;
  std::vector<FeedItem> items = {old_item("a", kNegative2), old_item("b", kPositive)};
  serve_feed(site, items);
  DaemonHarness h;
  h.write_config(config(site.url("/feed.rss"), tg));
  h.start();

  // The first poll is a silent baseline: the old negative review does not alert.
  REQUIRE(wait_until([&] { return site.hits("/feed.rss") >= 2; }, 10s));
  CHECK(tg.messages().empty());

  items.push_back(new_item("c", kNegative1));
  items.push_back(new_item("d", kPositive));
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 10s));
  REQUIRE(wait_for_polls(site, 3, 10s));
  auto msgs = tg.messages();
  REQUIRE(msgs.size() == 1);
  CHECK(msgs[0].chat_id == "-100200300");
  CHECK(msgs[0].parse_mode == "HTML");
  CHECK(msgs[0].link_preview_disabled);
  CHECK(msgs[0].visible_text.find("waited an hour in the queue") != std::string::npos);
  CHECK(msgs[0].visible_text.find("Rocketbank") != std::string::npos);
  CHECK(h.stop() == 0);

  // Restart on the same state: nothing is sent again.
  h.start();
  REQUIRE(wait_for_polls(site, 2, 10s));
  CHECK(tg.messages().size() == 1);

  // A second new negative review after the restart: exactly one more.
  items.push_back(new_item("e", kNegative3));
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 2; }, 10s));
  REQUIRE(wait_for_polls(site, 2, 10s));
  msgs = tg.messages();
  REQUIRE(msgs.size() == 2);
  CHECK(msgs[1].visible_text.find("app crashes") != std::string::npos);
  CHECK(h.stop() == 0);
}

TEST_CASE("an edited review alerts only when it newly turns negative", "[integration][telegram]") {
  FakeSite site;
  FakeTelegram tg;
  std::vector<FeedItem> items = {old_item("x", kPositive)};
  serve_feed(site, items);
  DaemonHarness h;
  h.write_config(config(site.url("/feed.rss"), tg));
  h.start();
  REQUIRE(wait_until([&] { return site.hits("/feed.rss") >= 2; }, 10s));
  items[0].text = kNegative2;  // the author edits the review: now a complaint
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 10s));
  items[0].text = kNegative2 + " Still waiting for the money.";  // edited again, still negative
  serve_feed(site, items);
  REQUIRE(wait_for_polls(site, 3, 10s));
  CHECK(tg.messages().size() == 1);
  h.stop();
}

TEST_CASE("429 with retry_after: delivered after the wait, not before", "[integration][telegram]") {
  FakeSite site;
  FakeTelegram tg;
  DaemonHarness h;
  std::vector<FeedItem> items = start_after_baseline(h, site, tg);

  tg.set_failures({FakeFailure::too_many_requests(2)});
  items.push_back(new_item("n", kNegative1));
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.requests().size() >= 1; }, 10s));
  const auto rejected_at = std::chrono::steady_clock::now();
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 15s));
  const auto delivered_at = std::chrono::steady_clock::now();
  CHECK(delivered_at - rejected_at >= 1900ms);  // retry_after = 2 s (10 ms polling slack)
  CHECK(tg.requests().size() == 2);            // no request in between
  CHECK(tg.messages().size() == 1);
  h.stop();
}

TEST_CASE("the API's retry_after is kept across a restart", "[integration][telegram]") {
  FakeSite site;
  FakeTelegram tg;
  DaemonHarness h;
  std::vector<FeedItem> items = start_after_baseline(h, site, tg);

  tg.set_failures({FakeFailure::too_many_requests(4)});
  items.push_back(new_item("n", kNegative1));
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.requests().size() >= 1; }, 10s));
  const auto rejected_at = std::chrono::steady_clock::now();
  // Restarted at once: the new process must not call the API before the 4 s are over.
  h.stop();
  h.start();
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 15s));
  const auto delivered_at = std::chrono::steady_clock::now();
  CHECK(delivered_at - rejected_at >= 3800ms);
  CHECK(tg.requests().size() == 2);
  CHECK(h.log().find("asked to wait") != std::string::npos);
  h.stop();
}

TEST_CASE("a queue held after failures is retried as soon as the Bot API answers again", "[integration][telegram]") {
  FakeSite site;
  FakeTelegram tg;
  DaemonHarness h;
  // getUpdates runs (actions on, a short long poll) and keeps answering while sendMessage fails.
  std::vector<FeedItem> items = start_after_baseline(h, site, tg, "[lifecycle]\ntelegram_poll_timeout = \"1s\"\n");
  tg.set_failures({FakeFailure::http(502), FakeFailure::http(502), FakeFailure::http(502), FakeFailure::http(502),
                   FakeFailure::http(502), FakeFailure::http(502)});
  items.push_back(new_item("n", kNegative1));
  serve_feed(site, items);
  const auto queued_at = std::chrono::steady_clock::now();
  // Six failures in a row would back off for tens of seconds (2, 4, 8, 16, 32, 60 s ceilings);
  // each answered getUpdates retries the held queue at once instead.
  const bool delivered = wait_until([&] { return tg.messages().size() >= 1; }, 20s);
  INFO(h.log());
  REQUIRE(delivered);
  CHECK(std::chrono::steady_clock::now() - queued_at < 12s);
  CHECK(tg.requests().size() == 7);
  h.stop();
}

TEST_CASE("a chat API that is down gets every alert once it recovers, in order", "[integration][telegram]") {
  FakeSite site;
  FakeTelegram tg;
  DaemonHarness h;
  std::vector<FeedItem> items = start_after_baseline(h, site, tg);

  tg.set_down(true);
  items.push_back(new_item("n1", kNegative1));
  items.push_back(new_item("n2", kNegative2));
  items.push_back(new_item("n3", kNegative3));
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.requests().size() >= 2; }, 15s));  // it keeps trying
  CHECK(tg.messages().empty());
  auto [status, metrics] = h.health_get("/metrics");
  CHECK(status == 200);
  CHECK(metrics.find("otklik_alerts_pending 3") != std::string::npos);

  tg.set_down(false);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 3; }, 20s));
  auto msgs = tg.messages();
  REQUIRE(msgs.size() == 3);
  // One alert per review, none twice.
  int q = 0, c = 0, a = 0;
  for (const auto& m : msgs) {
    q += m.visible_text.find("queue") != std::string::npos;
    c += m.visible_text.find("charged me twice") != std::string::npos;
    a += m.visible_text.find("app crashes") != std::string::npos;
  }
  CHECK((q == 1 && c == 1 && a == 1));
  h.stop();
}

TEST_CASE("a permanent rejection goes to the dead letter and later alerts still go out", "[integration][telegram]") {
  FakeSite site;
  FakeTelegram tg;
  DaemonHarness h;
  std::vector<FeedItem> items = start_after_baseline(h, site, tg);
  tg.set_failures({FakeFailure::http(403)});
  items.push_back(new_item("n1", kNegative1));
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.requests().size() >= 1; }, 10s));
  items.push_back(new_item("n2", kNegative2));
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 10s));
  CHECK(tg.messages()[0].visible_text.find("charged me twice") != std::string::npos);
  REQUIRE(wait_until([&] { return h.health_get("/metrics").second.find("otklik_alerts_dead 1") != std::string::npos; },
                     5s));
  CHECK(h.log().find("dead letter") != std::string::npos);
  h.stop();
}
