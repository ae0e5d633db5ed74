#pragma once
/// The replies role: the company's answers to reviews, from the agent's final text to the site's
/// answer id (docs/replies.md). A reply is posted exactly once: queueing it writes the reply and
/// its outbox row in one transaction, at most one reply of a mention is ever queued or posted
/// unless the newer one is an explicit edit, and the reply dispatcher records the outcome here.
///
///   preview ──queue──► queued ──► posted
///      │                  └─────► failed (a permanent refusal: the site's reason is kept)
///      └──cancel──► cancelled
///
/// The outbox row of a queued reply: channel reply_channel(source), kind "reply", the mention's
/// id, payload {"reply": <reply id>}.

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/lifecycle/case.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

enum class ReplyState { preview, queued, posted, failed, cancelled };

/// "preview", "queued", "posted", "failed", "cancelled" (the names stored in the database).
std::string_view to_string(ReplyState s) noexcept;
std::optional<ReplyState> parse_reply_state(std::string_view s) noexcept;

/// The outbox channel that posts the replies of source `source`: "reply:<source>".
std::string reply_channel(std::string_view source);
/// The source of a reply channel name; "" when `channel` is not one.
std::string_view reply_channel_source(std::string_view channel) noexcept;

struct ReplyRecord {
  std::int64_t id = 0;
  std::int64_t mention_id = 0;
  std::string source;             ///< the mention's [[source]]: whose site the answer goes to
  std::string channel;            ///< the [[channel]] the agent worked in; "web" or "auto" otherwise
  Actor actor;                    ///< who wrote it (and, once queued, who pressed Post)
  std::string text;               ///< the final text, plain
  ReplyState state = ReplyState::preview;
  bool edit = false;              ///< replaces an answer already on the site (an explicit action)
  bool automatic = false;         ///< an auto_reply thanks, not written by a person
  std::string preview_message;    ///< the chat's message id of the preview (Telegram), "" when none
  std::string site_answer_id;     ///< the site's id of the published answer ("" when it gives none)
  std::string error;              ///< failed: the site's reason
  TimePoint created{};
  TimePoint updated{};
  std::optional<TimePoint> posted_at;
  friend bool operator==(const ReplyRecord&, const ReplyRecord&) = default;
};

/// What queue_reply() did.
enum class ReplyQueueOutcome {
  queued,          ///< preview → queued, the outbox row written
  already_queued,  ///< this reply was queued before (a double tap): nothing written
  already_posted,  ///< this reply, or (unless it is an edit) another of the mention, is posted
  busy,            ///< another reply of the mention is queued and not posted yet
  cancelled,       ///< the preview was cancelled
  failed,          ///< this reply failed for good before
  not_found,
};

class ReplyStore {
 public:
  virtual ~ReplyStore() = default;
  /// Stores `reply` as a preview (its id, state and times are set here); returns the id.
  /// Fails with errc::not_found when the mention is not stored.
  virtual Result<std::int64_t> add_reply_preview(const ReplyRecord& reply, TimePoint now) = 0;
  virtual Result<std::optional<ReplyRecord>> reply(std::int64_t id) = 0;
  /// Remembers the chat message that shows the preview (so that Post can edit it).
  virtual Result<void> set_reply_preview_message(std::int64_t id, const std::string& message_id) = 0;
  /// Preview → queued by `by` and its outbox row, in one transaction (see ReplyQueueOutcome).
  virtual Result<ReplyQueueOutcome> queue_reply(std::int64_t id, const Actor& by, TimePoint now) = 0;
  /// Preview → cancelled; false when it is not a preview any more.
  virtual Result<bool> cancel_reply(std::int64_t id, TimePoint now) = 0;
  /// Queued → posted with the site's answer id; a reply already posted stays as it is.
  virtual Result<void> mark_reply_posted(std::int64_t id, const std::string& site_answer_id, TimePoint now) = 0;
  /// Queued → failed with the site's reason.
  virtual Result<void> mark_reply_failed(std::int64_t id, const std::string& reason, TimePoint now) = 0;
  /// The newest reply of a mention that is queued, posted or failed (what its alert shows).
  virtual Result<std::optional<ReplyRecord>> latest_reply(std::int64_t mention_id) = 0;
  /// Mentions of `source` that an auto_reply may thank: labelled positive by the scorer (and not
  /// relabelled since), first seen in [seen_after, seen_before), no company answer on the site, no
  /// reply row of any state; oldest first, at most `limit`.
  virtual Result<std::vector<std::int64_t>> auto_reply_candidates(const std::string& source, TimePoint seen_after,
                                                                  TimePoint seen_before, int limit) = 0;
  /// Writes an automatic reply already queued (state queued, automatic, actor {"auto","","auto"})
  /// and its outbox row, in one transaction; nullopt when the mention has a reply row already.
  virtual Result<std::optional<std::int64_t>> queue_auto_reply(std::int64_t mention_id, const std::string& text,
                                                               TimePoint now) = 0;
};

}  // namespace otklik
