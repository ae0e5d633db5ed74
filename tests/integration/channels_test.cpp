// One alert fans out to Slack, a generic webhook and Telegram according to the routes.

#include "harness.hpp"
#include "tests/support/chat/fake_chat.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

TEST_CASE("routes fan an alert out to slack, webhook and telegram", "[integration][slack][webhook]") {
  FakeSite site;
  FakeTelegram tg;
  FakeSlackWebhook slack;
  FakeWebhook hook;
  const auto now = std::chrono::system_clock::now();
  std::vector<FeedItem> items = {{"p1", "ok", "Nice and quick, thanks.", now - 240h}};
  serve_feed(site, items);
  ::setenv("OTKLIK_IT_SLACK_URL", slack.url().c_str(), 1);
  DaemonHarness h;
  h.write_config(fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"

[http]
per_host_delay = "0s"

[[brand]]
name = "Shop"

[[source]]
name = "feed"
type = "rss"
url = "{}"
interval = "1s"
brand = "Shop"

[[channel]]
name = "tg"
type = "telegram"
token = "{}"
chat_id = "7"
api_url = "{}"

[[channel]]
name = "slack"
type = "slack"
webhook_url = "env:OTKLIK_IT_SLACK_URL"

[[channel]]
name = "hook"
type = "webhook"
url = "{}"

[[route]]
channel = "tg"
min_severity = "high"

[[route]]
channel = "slack"
brands = ["Shop"]

[[route]]
channel = "hook"
sources = ["feed"]
)",
                             site.url("/feed.rss"), tg.token(), tg.api_url(), hook.url()));
  h.start();
  REQUIRE(wait_until([&] { return site.hits("/feed.rss") >= 1; }, 10s));
  items.push_back({"n1", "Awful", "<!channel> @here <http://evil.example|click> Rude staff, charged twice, no refund. Horrible scam!", now});
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return slack.messages().size() >= 1 && hook.messages().size() >= 1; }, 15s));

  const std::string slack_body = slack.messages().at(0);
  INFO(slack_body);
  CHECK(slack_body.find("<!channel>") == std::string::npos);  // escaped: no ping
  CHECK(slack_body.find("&lt;!") != std::string::npos);
  CHECK(slack_body.find("<http://evil.example|click>") == std::string::npos);

  const auto& req = hook.messages().at(0);
  auto key = req.header("Idempotency-Key");
  REQUIRE(key);
  CHECK(key->starts_with("otklik-"));
  CHECK(req.body.find("charged twice") != std::string::npos);
  // Telegram's route wants high severity only; this review is strongly negative.
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 10s));
  h.stop();
  ::unsetenv("OTKLIK_IT_SLACK_URL");
}
