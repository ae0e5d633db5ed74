#pragma once
/// What both backends share about a reply row: the columns read back, in order, and the outbox
/// row that posts a queued reply. Private to the store's .cpp files.

#include "daemon/store/alert_request.hpp"
#include "daemon/store/reply_store.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace otklik::store {

/// The columns of a reply as every reader selects them (readers index them in this order).
inline constexpr std::string_view kReplyColumns =
    "id, mention_id, source, channel, actor_platform, actor_id, actor_name, text, state, edit, automatic, "
    "preview_message, site_answer_id, error, created_at, updated_at, posted_at";

/// Who writes an automatic reply (reply_store.hpp: queue_auto_reply), and the channel it names.
inline Actor auto_reply_actor() { return Actor{"auto", "", "auto"}; }
inline constexpr std::string_view kAutoReplyChannel = "auto";

/// The outbox row of a queued reply: the reply channel of its source, kind "reply", the payload
/// {"reply":<id>} (compact JSON; the reply dispatcher reads the rest from the reply row). Due at
/// once: a reply is never held for quiet hours, it is the team's own action.
inline AlertRequest reply_outbox_request(std::string_view source, std::int64_t reply_id) {
  return AlertRequest{reply_channel(source), "reply", "{\"reply\":" + std::to_string(reply_id) + "}", std::nullopt};
}

/// What queue_reply answers for a reply in `state` (nullopt: a preview, decided by the others).
inline std::optional<ReplyQueueOutcome> settled_queue_outcome(ReplyState state) noexcept {
  switch (state) {
    case ReplyState::preview: return std::nullopt;
    case ReplyState::queued: return ReplyQueueOutcome::already_queued;
    case ReplyState::posted: return ReplyQueueOutcome::already_posted;
    case ReplyState::failed: return ReplyQueueOutcome::failed;
    case ReplyState::cancelled: return ReplyQueueOutcome::cancelled;
  }
  return std::nullopt;
}

/// What queue_reply answers for a preview when the mention's other replies are as given: a
/// posted one stops anything but an explicit edit; a queued one, anything (one in flight at once).
inline std::optional<ReplyQueueOutcome> blocking_outcome(bool edit, bool other_posted, bool other_queued) noexcept {
  if (other_posted && !edit) return ReplyQueueOutcome::already_posted;
  if (other_queued) return ReplyQueueOutcome::busy;
  return std::nullopt;
}

}  // namespace otklik::store
