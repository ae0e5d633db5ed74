#pragma once
/// Fake chat APIs for tests, each on its own FakeHttpServer (127.0.0.1), speaking the real wire
/// formats: the Telegram Bot API's sendMessage, a Slack incoming webhook, a generic webhook.
/// Failures are programmed as a queue consumed one per request, or as "down" until cleared.
/// All methods are thread-safe (the server answers on its own thread).

#include "tests/support/http/fake_http_server.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace otklik::test {

/// One programmed failure. status 0 means: read the request, close the connection, no response;
/// status -1 (pass()) means: serve this request normally.
struct FakeFailure {
  int status = 0;
  int retry_after = -1;     ///< seconds: sent as Retry-After (and Telegram's parameters.retry_after)
  std::string migrate_to;   ///< Telegram: answer 400 with parameters.migrate_to_chat_id

  static FakeFailure down() { return {}; }
  static FakeFailure pass() { return {-1, -1, {}}; }
  static FakeFailure too_many_requests(int seconds) { return {429, seconds, {}}; }
  static FakeFailure http(int status) { return {status, -1, {}}; }
  static FakeFailure migrate(std::string to_chat) { return {400, -1, std::move(to_chat)}; }
};

/// A message the fake Telegram accepted.
struct TelegramMessage {
  std::int64_t message_id = 0;
  std::string chat_id;        ///< as sent (numbers as their decimal text)
  std::string text;           ///< the HTML as sent (the latest edit)
  std::string visible_text;   ///< after entity parsing (tags removed, entities decoded)
  std::string parse_mode;
  bool link_preview_disabled = false;  ///< link_preview_options.is_disabled or disable_web_page_preview
  std::string reply_markup;   ///< the reply_markup JSON as sent (the latest edit), "" when none
  int edits = 0;              ///< successful editMessageText / editMessageReplyMarkup calls
  std::int64_t reply_to = 0;  ///< reply_parameters.message_id (or reply_to_message_id), 0 when none
  bool from_user = false;     ///< a person's message injected by the test (inject_reply), not the bot's
};

/// A Telegram user, as a callback_query's "from".
struct TelegramUser {
  std::int64_t id = 111;
  std::string username;       ///< without "@"; "" for none
  std::string first_name = "Anna";
};

/// An answerCallbackQuery the fake received.
struct TelegramAnswer {
  std::string callback_query_id;
  std::string text;
};

/// UTF-16 length of Telegram HTML after entity parsing, and the parsed text; an independent
/// implementation (not the channel's), strict like the Bot API: unknown or unbalanced tags and
/// stray '<' or '&' are errors. Returns false with `error` set on a parse error.
bool parse_telegram_html(const std::string& html, std::string& visible, std::size_t& utf16_units, std::string& error);

/// The Bot API: sendMessage, editMessageText, editMessageReplyMarkup, getUpdates (long poll),
/// answerCallbackQuery, each POST /bot<token>/<method> with a JSON body, answered as the real API
/// answers (including "message is not modified", "message to edit not found", BUTTON_DATA_INVALID
/// for callback_data outside 1-64 bytes, "query is too old…" for an unknown callback query).
///
/// Updates: a test injects a tap with inject_callback() or a reply message with inject_reply();
/// getUpdates returns the queued updates of the kinds its allowed_updates names (all when it names
/// none) with update_id >= offset (kept, like unconfirmed updates, so a client that forgets its offset
/// gets them again), or, when there are none, an empty result once the long poll's timeout or
/// the fake's hold cap (300 ms; the fake serves one request at a time, so it cannot hold a poll
/// open while other requests wait) has passed. Programmed failures apply to sendMessage and the
/// edits only; set_webhook_active() makes getUpdates answer 409 Conflict.
class FakeTelegram {
 public:
  explicit FakeTelegram(std::string token = "123456:TEST-fake-token");
  ~FakeTelegram();

  /// The api_url for the channel config ("http://127.0.0.1:PORT").
  [[nodiscard]] std::string api_url() const;
  [[nodiscard]] const std::string& token() const noexcept { return token_; }
  /// Accepted messages, in order (with their latest edits).
  [[nodiscard]] std::vector<TelegramMessage> messages() const;
  /// Requests received (accepted or not), in order, except the update polling (getUpdates and
  /// answerCallbackQuery), so that delivery tests can count sends.
  [[nodiscard]] std::vector<FakeRequest> requests() const;
  /// Every request received, polling included.
  [[nodiscard]] std::vector<FakeRequest> all_requests() const;
  /// Replaces the queue of failures; each send or edit consumes one before being served normally.
  void set_failures(std::vector<FakeFailure> failures);
  /// While down, every request's connection is closed without a response.
  void set_down(bool down);

  /// Queues a callback_query update: `from` tapped a button with `data` under message
  /// `message_id` (in that message's chat, or in `chat_id` when given). Returns the update_id.
  std::int64_t inject_callback(std::int64_t message_id, const TelegramUser& from, std::string data,
                               std::optional<std::string> chat_id = std::nullopt);
  /// Queues a message update: `from` answered message `reply_to` (the bot's, in its chat) with
  /// `text`, as Telegram delivers it: reply_to_message holds that message with its text and
  /// inline keyboard. The message is kept (from_user) so that the bot can reply to it in turn.
  /// Returns the new message's id.
  std::int64_t inject_reply(std::int64_t reply_to, const TelegramUser& from, std::string text);
  /// answerCallbackQuery calls received, in order.
  [[nodiscard]] std::vector<TelegramAnswer> answers() const;
  /// getUpdates calls received (with their JSON bodies), for offset and allowed_updates checks.
  [[nodiscard]] std::vector<std::string> update_polls() const;
  /// While active, getUpdates answers 409 Conflict (as when a webhook is set).
  void set_webhook_active(bool active);

 private:
  FakeResponse handle(const FakeRequest& request);
  FakeResponse send_message(const FakeRequest& request);
  FakeResponse edit_message(const FakeRequest& request, bool text);
  FakeResponse get_updates(const FakeRequest& request);
  FakeResponse answer_callback(const FakeRequest& request);

  std::string token_;
  mutable std::mutex mu_;
  std::vector<TelegramMessage> messages_;
  std::vector<FakeFailure> failures_;
  bool down_ = false;
  bool webhook_active_ = false;
  std::int64_t next_id_ = 1;
  std::int64_t next_update_id_ = 500000;
  std::int64_t next_query_id_ = 1;
  std::vector<std::pair<std::int64_t, std::string>> updates_;  ///< update_id, JSON
  std::vector<std::string> open_queries_;                      ///< callback ids not answered yet
  std::vector<TelegramAnswer> answers_;
  std::vector<std::string> polls_;
  std::unique_ptr<FakeHttpServer> server_;  ///< last: stopped before the state above goes away
};

/// A Slack incoming webhook at /services/T0001/B0001/<secret>: 200 "ok"; 400 "invalid_payload"
/// for a body that is not JSON with text or blocks, "invalid_blocks" for blocks over Slack's limits;
/// 404 "no_service" for another path; programmed failures (429 with Retry-After "rate_limited").
/// It also plays the response_url of button clicks (/actions/T0001/<id>/<token>, on the same
/// host as the webhook, as on hooks.slack.com): JSON bodies with text or blocks are recorded.
class FakeSlackWebhook {
 public:
  FakeSlackWebhook();
  ~FakeSlackWebhook();
  /// The full webhook URL (a secret in real life).
  [[nodiscard]] std::string url() const;
  /// The JSON bodies accepted, in order.
  [[nodiscard]] std::vector<std::string> messages() const;
  /// A response_url to put in a click's payload.
  [[nodiscard]] std::string response_url() const;
  /// The JSON bodies POSTed to response URLs, in order.
  [[nodiscard]] std::vector<std::string> responses() const;
  /// The Web API's base URL (views.open is served at {api_url}/views.open, as at
  /// https://slack.com/api), and the bot token it accepts ("Authorization: Bearer …").
  [[nodiscard]] std::string api_url() const;
  static constexpr const char* kBotToken = "xoxb-0001-0002-fakebottoken";
  /// The views views.open accepted (the "view" JSON objects), in order.
  [[nodiscard]] std::vector<std::string> views() const;
  [[nodiscard]] std::vector<FakeRequest> requests() const;
  void set_failures(std::vector<FakeFailure> failures);
  void set_down(bool down);

 private:
  FakeResponse handle(const FakeRequest& request);

  FakeResponse views_open(const FakeRequest& request);

  mutable std::mutex mu_;
  std::vector<std::string> messages_;
  std::vector<std::string> responses_;
  std::vector<std::string> views_;
  std::vector<FakeFailure> failures_;
  bool down_ = false;
  std::unique_ptr<FakeHttpServer> server_;
};

/// A click on a Slack button, as Slack posts it to an app's interactivity Request URL.
struct SlackClick {
  std::string action_id;               ///< "otk1_take"
  std::string value;                   ///< "42"
  std::string user_id = "U0TEST0001";
  std::string username = "ivanova";
  std::string response_url;
};

/// The form body Slack sends: payload=<url-encoded block_actions JSON>.
std::string slack_click_body(const SlackClick& click);
/// The form body of a modal's submission (view_submission) for `view` (a view views.open
/// accepted), with `value` typed into the input `block_id`/`action_id`.
std::string slack_submission_body(const std::string& view, const std::string& block_id, const std::string& action_id,
                                  const std::string& value, const std::string& user_id = "U0TEST0001",
                                  const std::string& username = "ivanova");
/// "v0=" + hex HMAC-SHA256 over "v0:<timestamp>:<body>" (written here independently of the daemon).
std::string sign_slack_body(const std::string& secret, const std::string& timestamp, const std::string& body);
/// POSTs `body` to `url` (http://127.0.0.1:PORT/path) as Slack does, signed with `secret` at
/// Unix time `timestamp` (an empty secret: no signature headers). Returns status and body.
std::pair<int, std::string> post_slack_click(const std::string& url, const std::string& secret,
                                             const std::string& body, std::int64_t timestamp);

/// A generic webhook endpoint at /hook: records every request (headers included) and answers
/// 200 {"ok":true} unless a failure is programmed (a 429/503 failure with retry_after sends
/// Retry-After).
class FakeWebhook {
 public:
  FakeWebhook();
  ~FakeWebhook();
  [[nodiscard]] std::string url() const;
  /// Requests answered with 2xx, in order.
  [[nodiscard]] std::vector<FakeRequest> messages() const;
  /// Every request received, in order.
  [[nodiscard]] std::vector<FakeRequest> requests() const;
  void set_failures(std::vector<FakeFailure> failures);
  void set_down(bool down);

 private:
  FakeResponse handle(const FakeRequest& request);

  mutable std::mutex mu_;
  std::vector<FakeRequest> messages_;
  std::vector<FakeFailure> failures_;
  bool down_ = false;
  std::unique_ptr<FakeHttpServer> server_;
};

}  // namespace otklik::test
