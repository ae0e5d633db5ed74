#pragma once
/// Taps on the buttons of Telegram alerts, received by long polling the Bot API
/// (https://core.telegram.org/bots/api#getupdates): no public endpoint is needed.
///
/// One loop per bot (channels sharing a token share it: Telegram allows one getUpdates consumer).
/// getUpdates with offset = last update_id + 1, timeout = lifecycle.telegram_poll_timeout and
/// allowed_updates ["callback_query"] (and "message" when a channel of the bot has reply_users:
/// answers are written as replies to the bot's own messages, which a bot in privacy mode still
/// receives); the HTTP read deadline is
/// 15 s longer than the long poll.
/// The offset is kept in the store as the cursor "telegram:bot<bot id>" (store/cursor_store.hpp),
/// saved when it moves, so a restart does not replay taps (a replay would change nothing anyway:
/// actions are idempotent).
/// A callback counts only from a configured chat (message.chat.id, or its @username, equal to a
/// channel's chat_id); everything else about it is checked by the ActionHandler. Every callback
/// is answered (answerCallbackQuery), which stops the button's spinner and shows the short text.
/// Errors back off (1 s … 5 min); 409 Conflict (a webhook is set, or another process polls the
/// same bot) is logged as such and retried every minute.

#include "daemon/channels/action_handler.hpp"
#include "daemon/channels/channel.hpp"
#include "daemon/channels/reply_handler.hpp"
#include "daemon/store/store_executor.hpp"

#include <boost/asio/awaitable.hpp>
#include <spdlog/logger.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::channels {

/// A callback_query update, as far as this daemon reads it.
struct TelegramCallback {
  std::string id;              ///< callback_query.id (for answerCallbackQuery)
  std::string from_id;         ///< from.id as decimal text
  std::string from_username;   ///< from.username without "@", "" when none
  std::string from_name;       ///< first_name [last_name]
  std::string chat_id;         ///< message.chat.id as decimal text; "" for inline messages
  std::string chat_username;   ///< message.chat.username, "" when none
  std::string message_id;
  std::string data;            ///< callback_data as sent ("" when absent)
};

/// A message that replies to another one (an agent's final text in answer to a draft or an alert).
struct TelegramMessage {
  std::string message_id;
  std::string chat_id;
  std::string chat_username;
  std::string from_id;
  std::string from_username;
  std::string from_name;
  bool from_bot = false;
  std::string text;
  // The message it replies to ("" / empty when it replies to none).
  std::string reply_to_id;
  std::string reply_to_from;                 ///< its sender's user id
  std::string reply_to_text;
  std::vector<std::string> reply_to_buttons; ///< the callback_data of its inline keyboard
};

struct TelegramUpdate {
  std::int64_t update_id = 0;
  std::optional<TelegramCallback> callback;  ///< other update kinds are skipped
  std::optional<TelegramMessage> message;    ///< a text message that replies to another
};

/// A getUpdates answer: the updates, or the API's error.
struct TelegramUpdatesAnswer {
  bool ok = false;
  std::vector<TelegramUpdate> updates;
  int error_code = 0;
  std::string description;
  std::optional<std::int64_t> retry_after;  ///< parameters.retry_after (seconds)
};

/// Parses a getUpdates response body. Failures (parse_failed): not JSON or not the API's object.
Result<TelegramUpdatesAnswer> parse_get_updates(std::string_view body);

/// True when the callback's message is in `configured_chat` (a numeric id or "@channelname").
bool callback_in_chat(const TelegramCallback& cb, std::string_view configured_chat) noexcept;

/// The bot's numeric id: the token's part before ':' ("" when the token has none).
std::string telegram_bot_id(std::string_view token);

/// One bot and the channels (with actions) that post through it.
struct TelegramBot {
  std::string api_url;
  Secret token;
  std::vector<ChannelConfig> channels;
};

/// The store name of a bot's update cursor: "telegram:bot<id>".
std::string telegram_cursor_name(const TelegramBot& bot);

/// The review an agent's reply message answers, from the message it replies to (sent by the bot
/// `bot_id`): the ids its keyboard's buttons carry (an alert's case buttons, a draft's Reply /
/// Edit button), else the "#42" of a draft heading. `edit` is set when that button was Edit.
struct RepliedReview {
  std::int64_t mention_id = 0;
  bool edit = false;
};
std::optional<RepliedReview> replied_review(const TelegramMessage& m, std::string_view bot_id) noexcept;

/// Polls `bot` until cancelled. `http`, `store`'s executor, `handler` and `replies` (may be null:
/// no answers from the chat) must outlive the coroutine.
/// `answered` (may be empty) is called after each getUpdates the Bot API answered: the API is up,
/// so alerts held after a failure may be retried at once.
boost::asio::awaitable<void> run_telegram_updates(TelegramBot bot, HttpClient* http, StoreAccess<CursorStore> store,
                                                  ActionHandler* handler, Duration poll_timeout,
                                                  std::shared_ptr<spdlog::logger> log,
                                                  std::function<void()> answered = {},
                                                  ReplyHandler* replies = nullptr);

}  // namespace otklik::channels
