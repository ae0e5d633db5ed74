// SIGHUP semantics: an invalid new config is rejected and the old one keeps running; a valid one
// replaces it (here: a new route to a new channel).

#include "harness.hpp"
#include "tests/support/chat/fake_chat.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

TEST_CASE("reload keeps the old config when the new one is invalid and applies a valid one", "[integration][reload]") {
  FakeSite site;
  FakeTelegram tg;
  FakeWebhook hook;
  const auto now = std::chrono::system_clock::now();
  std::vector<FeedItem> items = {{"p1", "ok", "Fine, thanks.", now - 240h}};
  serve_feed(site, items);
  const std::string base = fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"

[http]
per_host_delay = "0s"

[[source]]
name = "feed"
type = "rss"
url = "{}"
interval = "1s"

[[channel]]
name = "tg"
type = "telegram"
token = "{}"
chat_id = "7"
api_url = "{}"

[[route]]
channel = "tg"
)",
                                       site.url("/feed.rss"), tg.token(), tg.api_url());
  DaemonHarness h;
  h.write_config(base);
  h.start();
  REQUIRE(wait_until([&] { return site.hits("/feed.rss") >= 1; }, 10s));

  h.write_config(base + "\n[[route]]\nchannel = \"missing\"\nbogus_key = 1\n");
  h.reload();
  REQUIRE(wait_until([&] { return h.log().find("reload rejected") != std::string::npos; }, 5s));

  items.push_back({"n1", "bad", "Rude staff and an hour in the queue. Terrible, never again.", now});
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 10s));  // the old config still works

  h.write_config(base + fmt::format("\n[[channel]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"{}\"\n\n[[route]]\nchannel = \"hook\"\n",
                                    hook.url()));
  h.reload();
  REQUIRE(wait_until([&] { return h.log().find("reload applied") != std::string::npos; }, 10s));
  items.push_back({"n2", "bad", "Charged twice and no refund. Awful scam.", now});
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 2 && hook.messages().size() >= 1; }, 10s));
  CHECK(tg.messages().size() == 2);
  CHECK(hook.messages().size() == 1);  // only the alert that came after the reload
  auto [st, metrics] = h.health_get("/metrics");
  CHECK(metrics.find(R"(otklik_config_reloads_total{result="rejected"} 1)") != std::string::npos);
  CHECK(metrics.find(R"(otklik_config_reloads_total{result="applied"} 1)") != std::string::npos);
  h.stop();
}
