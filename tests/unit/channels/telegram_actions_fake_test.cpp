// The Telegram channel's keyboard and in-place status edits against the fake Bot API.
#include "daemon/channels/channel_factory.hpp"
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

struct Harness {
  boost::asio::io_context ioc;
  std::unique_ptr<HttpClient> http;
  std::ostringstream console;
  std::unique_ptr<Channel> channel;

  explicit Harness(const ChannelConfig& config) {
    HttpConfig hc;
    hc.per_host_delay = 0ms;
    hc.read_timeout = 5s;
    http = make_http_client(ioc.get_executor(), hc, "otklik-test");
    channel = make_channel(config, *http, RenderOptions{"ru", "UTC"}, console, nullptr);
  }

  Delivery deliver(DeliveryRequest request) {
    auto future = boost::asio::co_spawn(ioc, channel->deliver(std::move(request)), boost::asio::use_future);
    ioc.restart();
    ioc.run();
    return future.get();
  }
};

ChannelConfig telegram_config(const test::FakeTelegram& tg) {
  ChannelConfig c;
  c.name = "tg";
  c.type = "telegram";
  c.token = Secret("env:TG_TOKEN", tg.token());
  c.chat_id = "-1001";
  c.api_url = tg.api_url();
  return c;
}

CaseRecord fresh_case() {
  CaseRecord c;
  c.mention_id = 7;
  c.created = test::sample_time();
  return c;
}

}  // namespace

TEST_CASE("telegram: an alert with a case carries its buttons, a status row edits it in place",
          "[channels][telegram][actions]") {
  test::FakeTelegram tg;
  Harness h(telegram_config(tg));
  auto alert = test::sample_alert();
  alert.case_record = fresh_case();
  const Delivery sent = h.deliver(alert);
  REQUIRE(sent.status == Delivery::Status::delivered);
  auto messages = tg.messages();
  REQUIRE(messages.size() == 1);
  const auto markup = json::parse(messages[0].reply_markup).as_object();
  const auto& row = markup.at("inline_keyboard").as_array().at(0).as_array();
  REQUIRE(row.size() == 3);
  CHECK(row[0].at("text").as_string() == "Беру");
  CHECK(row[0].at("callback_data").as_string() == "otk1:take:7");

  // Taken: the status row edits the posted message.
  auto status = test::sample_alert();
  status.item.id = 99;
  status.item.kind = "status";
  CaseRecord taken = fresh_case();
  taken.state = CaseState::taken;
  taken.taken = CaseMark{Actor{"telegram", "111", "@ivanova"}, test::sample_time() + 5min};
  status.case_record = taken;
  status.posted = PostedAlert{42, "tg", sent.remote_id, "{}"};
  const Delivery edited = h.deliver(status);
  REQUIRE(edited.status == Delivery::Status::delivered);
  CHECK(edited.remote_id == sent.remote_id);
  messages = tg.messages();
  REQUIRE(messages.size() == 1);  // edited, not sent again
  CHECK(messages[0].edits == 1);
  CHECK(messages[0].visible_text.find("\U0001F7E1 Взял @ivanova в 12:35") != std::string::npos);
  CHECK(messages[0].reply_markup.find("otk1:take:7") == std::string::npos);
  CHECK(messages[0].reply_markup.find("otk1:answer:7") != std::string::npos);

  // The same status again: "message is not modified" counts as done.
  const Delivery same = h.deliver(status);
  CHECK(same.status == Delivery::Status::delivered);
  CHECK(tg.messages()[0].edits == 1);

  // 429 on an edit is retried after retry_after, like a send.
  taken.state = CaseState::answered;
  taken.answered = CaseMark{Actor{"telegram", "111", "@ivanova"}, test::sample_time() + 9min};
  status.case_record = taken;
  tg.set_failures({test::FakeFailure::too_many_requests(3)});
  const Delivery limited = h.deliver(status);
  CHECK(limited.status == Delivery::Status::retry);
  CHECK(limited.retry_after == std::chrono::seconds{3});
  const Delivery after = h.deliver(status);
  CHECK(after.status == Delivery::Status::delivered);
  CHECK(tg.messages()[0].visible_text.find("\u2705 Ответили: @ivanova в 12:39") != std::string::npos);

  // A message that is gone: permanent. No posted message: done without a request.
  status.posted = PostedAlert{42, "tg", "12345", "{}"};
  CHECK(h.deliver(status).status == Delivery::Status::dead);
  const std::size_t before = tg.requests().size();
  status.posted.reset();
  CHECK(h.deliver(status).status == Delivery::Status::delivered);
  CHECK(tg.requests().size() == before);
}

TEST_CASE("telegram: with actions off, alerts have no buttons", "[channels][telegram][actions]") {
  test::FakeTelegram tg;
  auto config = telegram_config(tg);
  config.actions = false;
  Harness h(config);
  auto alert = test::sample_alert();
  alert.case_record = fresh_case();
  REQUIRE(h.deliver(alert).status == Delivery::Status::delivered);
  CHECK(tg.messages().at(0).reply_markup.empty());
}

TEST_CASE("slack and webhook channels do not re-post on a status row", "[channels][slack][actions]") {
  test::FakeSlackWebhook slack;
  ChannelConfig c;
  c.name = "slack";
  c.type = "slack";
  c.webhook_url = Secret("env:X", slack.url());
  Harness h(c);
  auto status = test::sample_alert();
  status.item.kind = "status";
  status.case_record = fresh_case();
  CHECK(h.deliver(status).status == Delivery::Status::delivered);
  CHECK(slack.requests().empty());
}
