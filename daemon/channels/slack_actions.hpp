#pragma once
/// Slack interactivity: the buttons of Slack alerts post a signed block_actions payload to the
/// daemon's HTTP endpoint (lifecycle.slack_actions_path on [daemon].listen, behind a reverse
/// proxy). https://api.slack.com/authentication/verifying-requests-from-slack and
/// https://api.slack.com/reference/interaction-payloads/block-actions
///
/// A Slack app has one interactivity Request URL, so every slack channel shares the path: the
/// first [[channel]] (type slack, with actions and a signing_secret) whose secret verifies the
/// request is the one it came from (its locale is used). The request is answered 200 at once;
/// the message is then replaced through the payload's response_url, which must be on the same
/// scheme, host and port as that channel's webhook_url (https://hooks.slack.com in production; a
/// fake server's address in tests).

#include "daemon/channels/action_handler.hpp"
#include "daemon/channels/channel.hpp"
#include "daemon/channels/reply_handler.hpp"

#include <boost/asio/awaitable.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otklik::channels {

/// Requests older or newer than this are refused (replay protection), as Slack recommends.
inline constexpr std::chrono::seconds kSlackSignatureWindow{300};

enum class SignatureCheck {
  ok,
  missing,        ///< no X-Slack-Signature or X-Slack-Request-Timestamp
  bad_timestamp,  ///< not a decimal Unix time
  stale,          ///< outside the five-minute window around `now`
  mismatch,       ///< the HMAC does not match
};

/// "v0=" + hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body)).
std::string slack_signature(std::string_view secret, std::string_view timestamp, std::string_view body);

/// Checks a request's signature over its raw body bytes; the comparison is constant-time.
SignatureCheck verify_slack_signature(std::string_view secret, std::optional<std::string_view> timestamp,
                                      std::optional<std::string_view> signature, std::string_view body,
                                      TimePoint now);

/// Decodes an application/x-www-form-urlencoded body ('+' is a space, %XX a byte). Malformed
/// escapes are kept as they are.
std::vector<std::pair<std::string, std::string>> decode_form(std::string_view body);

/// The parts of a block_actions payload this daemon uses.
struct SlackInteraction {
  std::string type;          ///< "block_actions"
  std::string user_id;       ///< "U012AB3CD"
  std::string user_name;     ///< user.username, else user.name
  std::string team_id;
  std::string channel_id;
  std::string response_url;
  std::string action_id;     ///< of the first action
  std::string value;
  std::string block_id;
  std::string trigger_id;    ///< for views.open (valid for 3 seconds)
  std::string message_ts;    ///< container.message_ts: the clicked message
  // view_submission (a modal's submit): https://api.slack.com/reference/interaction-payloads/views
  std::string view_callback_id;
  std::string view_private_metadata;
  std::string view_text;     ///< the value of the reply modal's text input (block kReplyBlock)
};

/// The reply modal's ids: its callback_id and the block / action of its text input.
inline constexpr std::string_view kReplyModal = "otk1_reply";
inline constexpr std::string_view kReplyBlock = "otk1_reply_text";
inline constexpr std::string_view kReplyInput = "text";
/// Slack's plain_text_input takes at most 3,000 characters.
inline constexpr std::size_t kSlackInputMax = 3000;

/// What the reply modal carries through Slack (its private_metadata, at most 3,000 characters):
/// the channel, the review, whether it is an edit, the clicked message's response_url.
struct ReplyModalState {
  std::string channel;
  std::int64_t mention_id = 0;
  bool edit = false;
  std::string response_url;
  friend bool operator==(const ReplyModalState&, const ReplyModalState&) = default;
};
std::string encode_modal_state(const ReplyModalState& state);
std::optional<ReplyModalState> decode_modal_state(std::string_view metadata);

/// The views.open body of the reply modal for `draft` (Slack's documented modal view: title at
/// most 24 characters, an input block with the draft as initial_value, submit and close).
std::string build_reply_modal(std::string_view trigger_id, const DraftReply& draft, const ReplyModalState& state,
                              std::size_t max_chars, std::string_view locale);

/// Parses the form body (payload=<JSON>). Failures (parse_failed): no payload field, not JSON,
/// not an object.
Result<SlackInteraction> parse_slack_interaction(std::string_view form_body);

/// True when `response_url` is an https/http URL on the same scheme, host and port as `webhook_url`.
bool response_url_allowed(std::string_view response_url, std::string_view webhook_url);

/// One slack channel that takes clicks.
struct SlackActionChannel {
  ChannelConfig config;
  RenderOptions render;
  TimeZone zone;
};

/// An HTTP answer of the endpoint (the runtime maps it onto the health server's response).
struct SlackHttpReply {
  int status = 200;
  std::string body;
  std::string content_type = "text/plain; charset=utf-8";
};

class SlackActions {
 public:
  /// Builds the request that renders mention `id`'s alert now (mention, case, deadlines).
  /// The alert of a mention as the channel shows it (for the in-place update).
  using AlertLookup =
      std::function<boost::asio::awaitable<std::optional<DeliveryRequest>>(std::int64_t mention_id, std::string channel)>;
  /// Starts a background coroutine that the owner waits for at shutdown.
  using Spawn = std::function<void(std::string name, boost::asio::awaitable<void> task)>;

  /// `http` and `handler` must outlive the object and the coroutines it spawns.
  SlackActions(std::vector<SlackActionChannel> channels, ActionHandler& handler, HttpClient& http,
               AlertLookup lookup, Spawn spawn, std::shared_ptr<spdlog::logger> log);

  /// Handles one POST: 401 when no channel's secret verifies it (or it is stale), 400 for a body
  /// that is not an interaction payload, else 200 with an empty body; the message update follows
  /// through the response_url.
  boost::asio::awaitable<SlackHttpReply> handle(Headers headers, std::string body, TimePoint now);

  [[nodiscard]] bool empty() const noexcept { return channels_.empty(); }

  /// Answers from the chat (docs/replies.md): the Reply and Edit buttons open a modal with the
  /// draft (views.open with the channel's bot_token; without one the draft is shown to the user
  /// alone), and its submission publishes. Null: those buttons are ignored.
  void use_replies(ReplyHandler* replies) { replies_ = replies; }

 private:
  boost::asio::awaitable<SlackHttpReply> handle_reply_button(const SlackActionChannel& from,
                                                             const SlackInteraction& in, bool edit, std::int64_t id);
  boost::asio::awaitable<SlackHttpReply> handle_submission(const SlackActionChannel& from, const SlackInteraction& in);
  ReplyHandler* replies_ = nullptr;
  std::vector<SlackActionChannel> channels_;
  ActionHandler& handler_;
  HttpClient& http_;
  AlertLookup lookup_;
  Spawn spawn_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace otklik::channels
