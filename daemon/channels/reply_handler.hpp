#pragma once
/// What the chat integrations (telegram_updates.hpp, slack_actions.hpp) and the web inbox ask of
/// the application when someone answers a review from an alert (docs/replies.md). The
/// application implements it (daemon/app/reply_desk.hpp); tests use a fake.
///
/// Every call checks, in the store, that the alert was posted in the asking channel (button data
/// and replies can be forged) and, for publishing, that the user is on the channel's
/// reply_users; refusals are values with the words to show.

#include "daemon/lifecycle/case.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace otklik::channels {

/// Who asks, and from where.
struct ReplyAsker {
  std::string channel;   ///< the [[channel]] name; "web" for the web inbox
  Actor actor;
  std::string username;  ///< "@ivanova" where the platform has user names, else ""
};

enum class ReplyOutcome {
  ok,
  refused,      ///< the text cannot be posted as it is (blanks, deny-list, length): `text` says why
  not_allowed,  ///< not on reply_users (or the chat is not the alert's)
  not_found,    ///< no such review or reply
  conflict,     ///< already posted / another answer being posted / the preview is gone
  failed,       ///< the store failed; try again
};

/// The draft for an alert's Reply button.
struct DraftReply {
  ReplyOutcome outcome = ReplyOutcome::failed;
  std::string text;            ///< the short answer to the tap (a refusal's reason)
  std::string heading;         ///< "✍️ Черновик ответа · отзыв #42 · Wildberries"
  std::string draft;           ///< the draft itself, plain text
  std::string instructions;    ///< what to do next, in the channel's language
  bool can_publish = false;    ///< the site takes answers and this user may publish them
  std::string review_url;      ///< the review on its site ("" when unknown)
  std::string locale;          ///< the channel's language
};

/// A text the agent wrote, stored as a preview (Telegram) or queued at once (Slack, web).
struct ReplyPreview {
  ReplyOutcome outcome = ReplyOutcome::failed;
  std::int64_t reply_id = 0;
  std::string text;            ///< ok: the preview message (plain text); else why not
};

/// Post or Cancel on a preview.
struct ReplyDecision {
  ReplyOutcome outcome = ReplyOutcome::failed;
  std::string text;            ///< the short answer to the tap
  std::string message;         ///< the preview message's new text (plain); "" to leave it
};

class ReplyHandler {
 public:
  virtual ~ReplyHandler() = default;
  /// The draft of mention `mention_id`'s answer; `edit`: for replacing the published one.
  virtual boost::asio::awaitable<DraftReply> draft(ReplyAsker who, std::int64_t mention_id, bool edit) = 0;
  /// Checks `text` and stores it as a preview to be confirmed with Post.
  virtual boost::asio::awaitable<ReplyPreview> preview(ReplyAsker who, std::int64_t mention_id, bool edit,
                                                       std::string text) = 0;
  /// Remembers the chat message showing the preview.
  virtual boost::asio::awaitable<void> preview_shown(std::int64_t reply_id, std::string message_id) = 0;
  /// Post (`post`) or Cancel a preview.
  virtual boost::asio::awaitable<ReplyDecision> decide(ReplyAsker who, std::int64_t reply_id, bool post) = 0;
  /// Checks and queues `text` at once (Slack's modal, the web inbox's form). `response_url`: where
  /// the Slack message is replaced once the answer is published ("" for none).
  virtual boost::asio::awaitable<ReplyPreview> submit(ReplyAsker who, std::int64_t mention_id, bool edit,
                                                      std::string text, std::string response_url) = 0;
};

}  // namespace otklik::channels
