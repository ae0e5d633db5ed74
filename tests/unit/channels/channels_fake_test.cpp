// The channels against the fake chat APIs over real HTTP on 127.0.0.1.
#include "daemon/channels/channel_factory.hpp"
#include "daemon/channels/telegram_channel.hpp"
#include "daemon/channels/telegram_html.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/chat/fake_chat.hpp"
#include "tests/unit/channels/channel_test_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include <sstream>

using namespace otklik;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

/// One io_context, the real HTTP client, and a channel built by make_channel().
struct Harness {
  boost::asio::io_context ioc;
  std::unique_ptr<HttpClient> http;
  std::ostringstream console;
  std::unique_ptr<Channel> channel;

  explicit Harness(const ChannelConfig& config, std::string locale = "ru") {
    HttpConfig hc;
    hc.per_host_delay = 0ms;
    hc.read_timeout = 5s;
    http = make_http_client(ioc.get_executor(), hc, "otklik-test");
    channel = make_channel(config, *http, RenderOptions{std::move(locale), "UTC"}, console, nullptr);
  }

  Delivery deliver(DeliveryRequest request) {
    auto future = boost::asio::co_spawn(ioc, channel->deliver(std::move(request)), boost::asio::use_future);
    ioc.restart();
    ioc.run();
    return future.get();
  }
};

ChannelConfig telegram_config(const test::FakeTelegram& tg, std::string chat = "-1001") {
  ChannelConfig c;
  c.name = "tg";
  c.type = "telegram";
  c.token = Secret("env:TG_TOKEN", tg.token());
  c.chat_id = std::move(chat);
  c.api_url = tg.api_url() + "/";
  return c;
}

}  // namespace

TEST_CASE("telegram: delivered with the message id, HTML and previews off", "[channels][telegram]") {
  test::FakeTelegram tg;
  Harness h(telegram_config(tg));
  const Delivery d = h.deliver(test::sample_alert());
  REQUIRE(d.status == Delivery::Status::delivered);
  CHECK(d.remote_id == "1");
  const auto messages = tg.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].chat_id == "-1001");
  CHECK(messages[0].parse_mode == "HTML");
  CHECK(messages[0].link_preview_disabled);
  CHECK(messages[0].visible_text.find("Автор: Ирина <К.>") != std::string::npos);
  const auto body = json::parse(tg.requests().at(0).body).as_object();
  CHECK(body.at("chat_id").as_int64() == -1001);
  CHECK(body.at("link_preview_options").at("is_disabled").as_bool());
  CHECK(body.at("disable_web_page_preview").as_bool());
}

TEST_CASE("telegram: a long notice goes out in several messages, resuming after a failure",
          "[channels][telegram]") {
  test::FakeTelegram tg;
  Harness h(telegram_config(tg));
  auto req = test::sample_notice();
  std::string text;
  for (int i = 0; i < 900; ++i) text += "строка <" + std::to_string(i) + "> & 😀\n";
  req.item.payload = json::serialize(json::object{{"title", "Long"}, {"text", text}});
  // The second message fails once: the retry resumes with it instead of repeating the first.
  tg.set_failures({test::FakeFailure::pass(), test::FakeFailure::http(502)});
  Delivery d = h.deliver(req);
  CHECK(d.status == Delivery::Status::retry);
  CHECK(tg.messages().size() == 1);
  d = h.deliver(req);
  REQUIRE(d.status == Delivery::Status::delivered);
  const auto messages = tg.messages();
  REQUIRE(messages.size() >= 3);
  std::string ids;
  std::string visible;
  for (const auto& m : messages) {
    ids += (ids.empty() ? "" : ",") + std::to_string(m.message_id);
    visible += m.visible_text;
  }
  CHECK(d.remote_id == ids);
  CHECK(d.remote_id.rfind("1,2,", 0) == 0);
  CHECK(visible.find(text.substr(0, 200)) != std::string::npos);
  CHECK(visible.find("строка <899> & 😀") != std::string::npos);
}

TEST_CASE("telegram: a huge review still fits one message", "[channels][telegram]") {
  test::FakeTelegram tg;
  Harness h(telegram_config(tg));
  auto req = test::sample_alert();
  req.mention->mention.title = std::string(10000, 'T');
  req.mention->mention.author = std::string(10000, 'A');
  req.mention->mention.text = std::string(20000, '&');
  req.mention->sentiment.sentences.clear();
  const Delivery d = h.deliver(req);
  REQUIRE(d.status == Delivery::Status::delivered);
  CHECK(tg.messages().size() == 1);
}

TEST_CASE("telegram: 429 is transient with retry_after", "[channels][telegram]") {
  test::FakeTelegram tg;
  tg.set_failures({test::FakeFailure::too_many_requests(17)});
  Harness h(telegram_config(tg));
  Delivery d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::retry);
  REQUIRE(d.retry_after);
  CHECK(*d.retry_after == 17s);
  CHECK(d.error.find("Too Many Requests") != std::string::npos);
  d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::delivered);
  CHECK(tg.messages().size() == 1);
}

TEST_CASE("telegram: migrate_to_chat_id is followed at once", "[channels][telegram]") {
  test::FakeTelegram tg;
  tg.set_failures({test::FakeFailure::migrate("-100777")});
  Harness h(telegram_config(tg, "-555"));
  const Delivery d = h.deliver(test::sample_alert());
  REQUIRE(d.status == Delivery::Status::delivered);
  const auto messages = tg.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].chat_id == "-100777");
  CHECK(dynamic_cast<channels::TelegramChannel&>(*h.channel).chat_id() == "-100777");
  CHECK(tg.requests().size() == 2);
}

TEST_CASE("telegram: 401 and 400 are permanent, 5xx and down are transient, the token is never shown",
          "[channels][telegram]") {
  test::FakeTelegram tg;
  tg.set_failures({test::FakeFailure::http(401), test::FakeFailure::http(400), test::FakeFailure::http(502),
                   test::FakeFailure::down()});
  Harness h(telegram_config(tg));
  Delivery d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::dead);
  CHECK(d.error.find("Unauthorized") != std::string::npos);
  d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::dead);
  d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::retry);
  d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::retry);
  CHECK(d.error.find(tg.token()) == std::string::npos);
  CHECK(d.error.find("TEST-fake-token") == std::string::npos);
}

TEST_CASE("telegram: a wrong token is refused by the fake and permanent", "[channels][telegram]") {
  test::FakeTelegram tg;
  auto config = telegram_config(tg);
  config.token = Secret("env:TG_TOKEN", "999:wrong");
  Harness h(config);
  const Delivery d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::dead);
  CHECK(d.error.find("999:wrong") == std::string::npos);
}

TEST_CASE("slack: ok, 429 with Retry-After, 400 invalid_payload, 404 no_service", "[channels][slack]") {
  test::FakeSlackWebhook slack;
  ChannelConfig c;
  c.name = "sl";
  c.type = "slack";
  c.webhook_url = Secret("env:SLACK_URL", slack.url());
  slack.set_failures({test::FakeFailure::too_many_requests(30), test::FakeFailure::http(400),
                      test::FakeFailure::http(404)});
  Harness h(c, "en");
  Delivery d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::retry);
  REQUIRE(d.retry_after);
  CHECK(*d.retry_after == 30s);
  d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::dead);
  CHECK(d.error.find("invalid_payload") != std::string::npos);
  CHECK(d.error.find("fakeSecretPath") == std::string::npos);
  d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::dead);
  CHECK(d.error.find("no_service") != std::string::npos);
  d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::delivered);
  REQUIRE(slack.messages().size() == 1);
  const auto body = json::parse(slack.messages()[0]).as_object();
  CHECK(body.at("text").as_string() == "Negative review · Кофейня Бобры · maps-reviews");
}

TEST_CASE("webhook: idempotency key stable across retries, headers sent", "[channels][webhook]") {
  test::FakeWebhook hook;
  ChannelConfig c;
  c.name = "hook";
  c.type = "webhook";
  c.url = hook.url();
  c.headers = {{"Authorization", Secret("env:HOOK_AUTH", "Bearer s3cret")}};
  hook.set_failures({test::FakeFailure{503, 5, {}}, test::FakeFailure::down(), test::FakeFailure::http(422)});
  Harness h(c);
  Delivery d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::retry);
  CHECK(d.retry_after == std::optional<std::chrono::seconds>{5s});
  d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::retry);
  d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::dead);
  d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::delivered);
  const auto requests = hook.requests();
  REQUIRE(requests.size() == 4);
  for (const auto& r : requests) {
    CHECK(r.header("Idempotency-Key") == std::optional<std::string_view>{"otklik-42"});
    CHECK(r.header("Authorization") == std::optional<std::string_view>{"Bearer s3cret"});
    CHECK(r.header("Content-Type") == std::optional<std::string_view>{"application/json"});
  }
  CHECK(json::parse(hook.messages().at(0).body).at("schema").as_string() == "otklik.alert.v1");
}

TEST_CASE("mattermost: posts markdown text", "[channels][mattermost]") {
  test::FakeWebhook hook;
  ChannelConfig c;
  c.name = "mm";
  c.type = "mattermost";
  c.webhook_url = Secret("env:MM_URL", hook.url());
  Harness h(c);
  const Delivery d = h.deliver(test::sample_alert());
  REQUIRE(d.status == Delivery::Status::delivered);
  const auto body = json::parse(hook.messages().at(0).body).as_object();
  CHECK(body.at("text").as_string().starts_with("\U0001F534 **Негативный отзыв**"));
}

TEST_CASE("console: writes the plain text and is always delivered", "[channels][console]") {
  ChannelConfig c;
  c.name = "out";
  c.type = "console";
  c.locale = "en";
  Harness h(c, "ru");
  const Delivery d = h.deliver(test::sample_alert());
  CHECK(d.status == Delivery::Status::delivered);
  CHECK(h.console.str().find("**Negative review**") != std::string::npos);
  CHECK(h.console.str().find("#42") != std::string::npos);
}

TEST_CASE("make_channel refuses an unknown type", "[channels]") {
  ChannelConfig c;
  c.name = "x";
  c.type = "carrier-pigeon";
  CHECK_THROWS_AS(Harness(c), std::invalid_argument);
}
