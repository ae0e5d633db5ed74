// Acting on alerts from chat, against the real daemon: Telegram buttons through getUpdates and
// edited messages, Slack buttons through the signed interactivity endpoint and response_url.

#include "harness.hpp"
#include "tests/support/chat/fake_chat.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

const std::string kNegative = "Terrible service, the manager was rude and I waited an hour in the queue. Never again.";
const std::string kPositive = "Great coffee and friendly staff, thank you!";
constexpr const char* kChat = "-1001234567890";

std::string telegram_config(const std::string& feed_url, const FakeTelegram& tg, const std::string& channel_extra = "") {
  return fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"
locale = "ru"
shutdown_timeout = "5s"

[http]
per_host_delay = "0s"

[lifecycle]
telegram_poll_timeout = "1s"

[[source]]
name = "reviews"
type = "rss"
url = "{}"
interval = "1s"

[[channel]]
name = "support"
type = "telegram"
token = "{}"
chat_id = "{}"
api_url = "{}"
{}

[[route]]
channel = "support"
min_severity = "low"
)",
                     feed_url, tg.token(), kChat, tg.api_url(), channel_extra);
}

/// The callback_data of the button labelled `label` in a message's reply_markup ("" if none).
std::string button_data(const TelegramMessage& m, const std::string& label) {
  if (m.reply_markup.empty()) return {};
  const auto markup = boost::json::parse(m.reply_markup).as_object();
  for (const auto& row : markup.at("inline_keyboard").as_array()) {
    for (const auto& b : row.as_array()) {
      if (b.at("text").as_string() == label) return std::string(b.at("callback_data").as_string());
    }
  }
  return {};
}

std::size_t edits_sent(const FakeTelegram& tg) {
  std::size_t n = 0;
  for (const auto& r : tg.requests()) n += r.path.ends_with("/editMessageText");
  return n;
}

/// Starts the daemon on a feed whose first (silent) poll holds an old review, then publishes a
/// negative one and waits for its alert.
TelegramMessage first_alert(FakeSite& site, FakeTelegram& tg, DaemonHarness& h, const std::string& channel_extra = "") {
  std::vector<FeedItem> items = {{"old", "Old", kPositive, std::chrono::system_clock::now() - 240h}};
  serve_feed(site, items);
  h.write_config(telegram_config(site.url("/feed.rss"), tg, channel_extra));
  h.start();
  REQUIRE(wait_until([&] { return site.hits("/feed.rss") >= 1; }, 10s));
  items.push_back({"n1", "Review", kNegative, std::chrono::system_clock::now() - 1min});
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 15s));
  return tg.messages().front();
}

}  // namespace

TEST_CASE("telegram: take edits the alert, a double tap changes nothing", "[integration][telegram][actions]") {
  FakeSite site;
  FakeTelegram tg;
  DaemonHarness h;
  const TelegramMessage alert = first_alert(site, tg, h);
  const std::string take = button_data(alert, "Беру");
  REQUIRE(take.starts_with("otk1:take:"));
  CHECK_FALSE(button_data(alert, "Ответили").empty());
  CHECK_FALSE(button_data(alert, "Не негатив").empty());

  tg.inject_callback(alert.message_id, {111, "ivanova", "Anna"}, take);
  REQUIRE(wait_until([&] { return tg.answers().size() >= 1; }, 10s));
  CHECK(tg.answers()[0].text == "Взято");
  REQUIRE(wait_until([&] { return tg.messages().front().edits >= 1; }, 10s));
  const TelegramMessage edited = tg.messages().front();
  INFO(edited.visible_text);
  CHECK(edited.visible_text.find("\U0001F7E1 Взял @ivanova в ") != std::string::npos);
  CHECK(button_data(edited, "Беру").empty());  // taken: no more "take"
  CHECK_FALSE(button_data(edited, "Ответили").empty());
  // The poll asks only for callback queries, with the long-poll timeout.
  const auto polls = tg.update_polls();
  REQUIRE_FALSE(polls.empty());
  const auto poll = boost::json::parse(polls.back()).as_object();
  CHECK(poll.at("allowed_updates").as_array() == boost::json::array{"callback_query"});
  CHECK(poll.at("timeout").as_int64() == 1);

  // The same tap again (a double tap): answered, nothing edited.
  const std::size_t edits = edits_sent(tg);
  tg.inject_callback(alert.message_id, {111, "ivanova", "Anna"}, take);
  REQUIRE(wait_until([&] { return tg.answers().size() >= 2; }, 10s));
  CHECK(tg.answers()[1].text == "Уже взято @ivanova");
  std::this_thread::sleep_for(500ms);  // room for a wrongly queued edit to go out
  CHECK(edits_sent(tg) == edits);
  CHECK(tg.messages().front().edits == 1);
  h.stop();
}

TEST_CASE("telegram: strangers and other chats are refused, dismiss marks it not negative",
          "[integration][telegram][actions]") {
  FakeSite site;
  FakeTelegram tg;
  DaemonHarness h;
  const TelegramMessage alert = first_alert(site, tg, h, R"(allowed_users = ["111", "@petrova"])");
  const std::string take = button_data(alert, "Беру");
  REQUIRE_FALSE(take.empty());

  tg.inject_callback(alert.message_id, {222, "stranger", "Sam"}, take);  // not in allowed_users
  tg.inject_callback(alert.message_id, {111, "ivanova", "Anna"}, take, "-100999");  // another chat
  tg.inject_callback(alert.message_id, {111, "ivanova", "Anna"}, "otk1:take:999999");  // forged mention id
  REQUIRE(wait_until([&] { return tg.answers().size() >= 3; }, 10s));
  CHECK(tg.answers()[0].text.starts_with("Нет доступа"));
  CHECK(tg.answers()[1].text.starts_with("Нет доступа"));
  CHECK(tg.answers()[2].text == "Этот алерт не найден");
  std::this_thread::sleep_for(300ms);
  CHECK(edits_sent(tg) == 0);

  // @petrova is allowed by user name (any case).
  tg.inject_callback(alert.message_id, {333, "Petrova", "Olga"}, button_data(alert, "Не негатив"));
  REQUIRE(wait_until([&] { return tg.answers().size() >= 4; }, 10s));
  CHECK(tg.answers()[3].text == "Отмечено: не негатив");
  REQUIRE(wait_until([&] { return tg.messages().front().edits >= 1; }, 10s));
  const TelegramMessage edited = tg.messages().front();
  CHECK(edited.visible_text.find("\u26AA Не негатив: @Petrova в ") != std::string::npos);
  CHECK_FALSE(button_data(edited, "Вернуть").empty());
  CHECK(button_data(edited, "Беру").empty());
  // Taking a dismissed alert is refused with the reason, unchanged.
  tg.inject_callback(alert.message_id, {111, "ivanova", "Anna"}, take);
  REQUIRE(wait_until([&] { return tg.answers().size() >= 5; }, 10s));
  CHECK(tg.answers()[4].text.find("Вернуть") != std::string::npos);
  h.stop();
}

TEST_CASE("telegram: the update offset survives a restart, so nothing is replayed", "[integration][telegram][actions]") {
  FakeSite site;
  FakeTelegram tg;
  DaemonHarness h;
  const TelegramMessage alert = first_alert(site, tg, h);
  const auto update_id = tg.inject_callback(alert.message_id, {111, "ivanova", "Anna"}, button_data(alert, "Беру"));
  REQUIRE(wait_until([&] { return tg.answers().size() >= 1 && tg.messages().front().edits >= 1; }, 10s));
  // The next poll confirms the update.
  REQUIRE(wait_until([&] {
    const auto polls = tg.update_polls();
    return polls.back().find(fmt::format("\"offset\":{}", update_id + 1)) != std::string::npos;
  }, 10s));
  REQUIRE(h.stop() == 0);

  const std::size_t polls_before = tg.update_polls().size();
  h.start();
  REQUIRE(wait_until([&] { return tg.update_polls().size() > polls_before; }, 10s));
  // The first poll after the restart starts after the handled update.
  CHECK(tg.update_polls()[polls_before].find(fmt::format("\"offset\":{}", update_id + 1)) != std::string::npos);
  std::this_thread::sleep_for(500ms);
  CHECK(tg.answers().size() == 1);
  CHECK(tg.messages().front().edits == 1);
  h.stop();
}

TEST_CASE("telegram: a webhook set for the bot is reported, alerts still go out", "[integration][telegram][actions]") {
  FakeSite site;
  FakeTelegram tg;
  tg.set_webhook_active(true);
  DaemonHarness h;
  const TelegramMessage alert = first_alert(site, tg, h);
  CHECK_FALSE(button_data(alert, "Беру").empty());
  REQUIRE(wait_until([&] { return h.log().find("409 Conflict") != std::string::npos; }, 10s));
  h.stop();
}


TEST_CASE("telegram: a tap in one chat updates the alert in every chat of the same bot",
          "[integration][telegram][actions]") {
  FakeSite site;
  FakeTelegram tg;
  DaemonHarness h;
  const std::string second = R"(
[[channel]]
name = "managers"
type = "telegram"
token = "{token}"
chat_id = "-100777"
api_url = "{api}"

[[route]]
channel = "managers"
min_severity = "low"
)";
  std::string extra = second;
  extra.replace(extra.find("{token}"), 7, tg.token());
  extra.replace(extra.find("{api}"), 5, tg.api_url());
  std::vector<FeedItem> items = {{"old", "Old", kPositive, std::chrono::system_clock::now() - 240h}};
  serve_feed(site, items);
  h.write_config(telegram_config(site.url("/feed.rss"), tg) + extra);
  h.start();
  REQUIRE(wait_until([&] { return site.hits("/feed.rss") >= 1; }, 10s));
  items.push_back({"n1", "Review", kNegative, std::chrono::system_clock::now() - 1min});
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 2; }, 15s));
  const auto messages = tg.messages();
  const auto in_managers = std::find_if(messages.begin(), messages.end(),
                                        [](const TelegramMessage& m) { return m.chat_id == "-100777"; });
  REQUIRE(in_managers != messages.end());

  tg.inject_callback(in_managers->message_id, {111, "ivanova", "Anna"}, button_data(*in_managers, "Беру"));
  REQUIRE(wait_until([&] {
    const auto now = tg.messages();
    return std::all_of(now.begin(), now.end(), [](const TelegramMessage& m) { return m.edits >= 1; });
  }, 10s));
  for (const auto& m : tg.messages()) CHECK(m.visible_text.find("Взял @ivanova") != std::string::npos);
  // Answered once, by the one loop that polls the shared bot.
  CHECK(tg.answers().size() == 1);
  h.stop();
}

namespace {

std::string slack_config(const std::string& feed_url) {
  return fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"
locale = "ru"
shutdown_timeout = "5s"

[http]
per_host_delay = "0s"

[lifecycle]
slack_actions_path = "/hooks/slack"

[[source]]
name = "reviews"
type = "rss"
url = "{}"
interval = "1s"

[[channel]]
name = "slack"
type = "slack"
webhook_url = "env:OTKLIK_IT_ACTIONS_SLACK_URL"
signing_secret = "env:OTKLIK_IT_ACTIONS_SLACK_SECRET"

[[route]]
channel = "slack"
min_severity = "low"
)",
                     feed_url);
}

constexpr const char* kSecret = "8f742231b10e8888abcd99yyyzzz85a5-test";

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST_CASE("slack: signed clicks act and update the message, bad or stale signatures get 401",
          "[integration][slack][actions]") {
  FakeSite site;
  FakeSlackWebhook slack;
  ::setenv("OTKLIK_IT_ACTIONS_SLACK_URL", slack.url().c_str(), 1);
  ::setenv("OTKLIK_IT_ACTIONS_SLACK_SECRET", kSecret, 1);
  DaemonHarness h;
  std::vector<FeedItem> items = {{"old", "Old", kPositive, std::chrono::system_clock::now() - 240h}};
  serve_feed(site, items);
  h.write_config(slack_config(site.url("/feed.rss")));
  h.start();
  REQUIRE(wait_until([&] { return site.hits("/feed.rss") >= 1; }, 10s));
  items.push_back({"n1", "Review", kNegative, std::chrono::system_clock::now() - 1min});
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return slack.messages().size() >= 1; }, 15s));

  // The alert's buttons: action_id otk1_<action>, value = the mention id.
  const auto message = boost::json::parse(slack.messages().front()).as_object();
  const auto& blocks = message.at("blocks").as_array();
  const auto& actions = blocks.back().as_object();
  REQUIRE(actions.at("type").as_string() == "actions");
  const auto& take_button = actions.at("elements").as_array().at(0).as_object();
  CHECK(take_button.at("action_id").as_string() == "otk1_take");
  CHECK(take_button.at("text").at("text").as_string() == "Беру");
  const std::string mention = std::string(take_button.at("value").as_string());

  const std::string url = fmt::format("http://127.0.0.1:{}/hooks/slack", h.health_port());
  const std::string body = slack_click_body({"otk1_take", mention, "U0TEST0001", "ivanova", slack.response_url()});
  CHECK(post_slack_click(url, "wrong-secret", body, unix_now()).first == 401);
  CHECK(post_slack_click(url, kSecret, body, unix_now() - 600).first == 401);  // stale
  CHECK(post_slack_click(url, "", body, unix_now()).first == 401);             // unsigned
  std::string tampered = body;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  CHECK(post_slack_click(url, "", tampered, unix_now()).first == 401);
  CHECK(slack.responses().empty());

  const auto [status, reply] = post_slack_click(url, kSecret, body, unix_now());
  CHECK(status == 200);
  REQUIRE(wait_until([&] { return slack.responses().size() >= 1; }, 10s));
  const auto update = boost::json::parse(slack.responses().front()).as_object();
  CHECK(update.at("replace_original").as_bool());
  const std::string text = boost::json::serialize(update.at("blocks"));
  INFO(text);
  CHECK(text.find("Взял @ivanova в ") != std::string::npos);
  CHECK(text.find("otk1_take") == std::string::npos);    // taken: no "take" button
  CHECK(text.find("otk1_answer") != std::string::npos);

  // A second click on the same button replaces the message again, still taken by @ivanova.
  CHECK(post_slack_click(url, kSecret, slack_click_body({"otk1_take", mention, "U0TEST0002", "petrov",
                                                         slack.response_url()}),
                         unix_now())
            .first == 200);
  REQUIRE(wait_until([&] { return slack.responses().size() >= 2; }, 10s));
  CHECK(slack.responses()[1].find("Взял @ivanova") != std::string::npos);
  h.stop();
  ::unsetenv("OTKLIK_IT_ACTIONS_SLACK_URL");
  ::unsetenv("OTKLIK_IT_ACTIONS_SLACK_SECRET");
}
