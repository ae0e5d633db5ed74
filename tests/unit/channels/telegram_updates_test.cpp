// getUpdates answers and the chat check of button taps (telegram_updates.hpp).

#include "daemon/channels/telegram_updates.hpp"
#include "tests/support/catch_result.hpp"

using namespace otklik;
using namespace otklik::channels;

TEST_CASE("getUpdates answers parse into callback queries", "[channels][telegram][actions]") {
  const std::string body = R"({"ok":true,"result":[
    {"update_id":1001,"callback_query":{"id":"4382bfdwdsb323b2d9","from":{"id":111,"is_bot":false,
      "first_name":"Анна","last_name":"Иванова","username":"ivanova","language_code":"ru"},
      "message":{"message_id":57,"from":{"id":123456,"is_bot":true,"first_name":"Otklik"},
        "chat":{"id":-1001234567890,"title":"Отзывы","username":"reviews_team","type":"supergroup"},
        "date":1700000000,"text":"alert"},
      "chat_instance":"-7777","data":"otk1:take:7"}},
    {"update_id":1002,"message":{"message_id":58,"chat":{"id":5,"type":"private"},"date":1,"text":"hi"}},
    {"update_id":1003,"callback_query":{"id":"q2","from":{"id":222,"is_bot":false,"first_name":"Bob"},
      "inline_message_id":"AAA","chat_instance":"1","data":"otk1:answer:7"}}
  ]})";
  auto a = parse_get_updates(body);
  REQUIRE(a);
  CHECK(a->ok);
  REQUIRE(a->updates.size() == 3);
  const auto& u = a->updates[0];
  CHECK(u.update_id == 1001);
  REQUIRE(u.callback);
  CHECK(u.callback->id == "4382bfdwdsb323b2d9");
  CHECK(u.callback->from_id == "111");
  CHECK(u.callback->from_username == "ivanova");
  CHECK(u.callback->from_name == "Анна Иванова");
  CHECK(u.callback->chat_id == "-1001234567890");
  CHECK(u.callback->chat_username == "reviews_team");
  CHECK(u.callback->message_id == "57");
  CHECK(u.callback->data == "otk1:take:7");
  CHECK_FALSE(a->updates[1].callback);
  REQUIRE(a->updates[2].callback);
  CHECK(a->updates[2].callback->chat_id.empty());  // an inline message: no chat to check
}

TEST_CASE("getUpdates errors are read as the API sends them", "[channels][telegram][actions]") {
  auto conflict = parse_get_updates(
      R"({"ok":false,"error_code":409,"description":"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"})");
  REQUIRE(conflict);
  CHECK_FALSE(conflict->ok);
  CHECK(conflict->error_code == 409);
  auto limited = parse_get_updates(
      R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}})");
  REQUIRE(limited);
  CHECK(limited->retry_after == 7);
  CHECK_FALSE(parse_get_updates("<html>502</html>"));
  CHECK_FALSE(parse_get_updates(R"({"ok":true})"));
}

TEST_CASE("a tap counts only from the configured chat", "[channels][telegram][actions]") {
  TelegramCallback cb;
  cb.chat_id = "-1001234567890";
  cb.chat_username = "Reviews_Team";
  CHECK(callback_in_chat(cb, "-1001234567890"));
  CHECK(callback_in_chat(cb, "@reviews_team"));
  CHECK_FALSE(callback_in_chat(cb, "-100123456789"));
  CHECK_FALSE(callback_in_chat(cb, "@other"));
  CHECK_FALSE(callback_in_chat(cb, ""));
  TelegramCallback inline_cb;
  CHECK_FALSE(callback_in_chat(inline_cb, "-1001234567890"));
  CHECK_FALSE(callback_in_chat(inline_cb, "@reviews_team"));
}

TEST_CASE("the bot id and the cursor name come from the token", "[channels][telegram][actions]") {
  CHECK(telegram_bot_id("123456:ABC-def") == "123456");
  CHECK(telegram_bot_id("no-colon").empty());
  CHECK(telegram_bot_id("12a:x").empty());
  TelegramBot bot;
  bot.token = Secret("env:T", "987:secret");
  CHECK(telegram_cursor_name(bot) == "telegram:bot987");
}
