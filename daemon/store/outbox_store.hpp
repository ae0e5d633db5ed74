#pragma once
/// The outbox role: rows queued for delivery, leased by one dispatcher per channel, then marked
/// sent, retried later or dead; and the alert messages already posted for a mention.

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/store/alert_request.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace otklik {

/// A row leased for delivery.
struct OutboxItem {
  std::int64_t id = 0;
  std::string channel;
  std::string kind;
  std::string payload;
  std::int64_t mention_id = 0;       ///< 0 for rows not about a mention
  int attempts = 0;                  ///< previous attempts (0 on the first try)
  TimePoint created{};
};

/// An alert message already posted for a mention, so that it can be edited in place.
struct PostedAlert {
  std::int64_t outbox_id = 0;
  std::string channel;
  std::string remote_id;             ///< the platform's message id (Telegram message_id, …)
  std::string payload;               ///< the outbox row's payload (may hold e.g. a Slack response_url)
};

struct OutboxCounts {
  std::int64_t pending = 0;
  std::int64_t sent = 0;             ///< kept as a counter (no scan of the history)
  std::int64_t dead = 0;             ///< kept as a counter
  /// When the longest-waiting pending row became due: its creation, or for a row held by quiet
  /// hours and not tried yet, its release time (may lie in the future).
  std::optional<TimePoint> oldest_pending_created;
};

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;
  /// Leases up to `limit` due rows of `channel` (oldest first) until now + lease.
  virtual Result<std::vector<OutboxItem>> lease(const std::string& channel, TimePoint now, std::chrono::seconds lease,
                                                int limit) = 0;
  /// Marks a row delivered and records the remote message id.
  virtual Result<void> mark_sent(std::int64_t id, const std::string& remote_id, TimePoint now) = 0;
  /// Releases a row for a later attempt at `next_attempt`, counting the attempt.
  virtual Result<void> mark_retry(std::int64_t id, TimePoint next_attempt, const std::string& error) = 0;
  /// Moves a row to the dead letter (never retried; reported).
  virtual Result<void> mark_dead(std::int64_t id, const std::string& error, TimePoint now) = 0;
  /// At start-up: the rows a crashed run of this instance had leased are due again. SQLite (one
  /// instance per file): every lease; PostgreSQL: the rows leased under this instance's id only.
  virtual Result<void> release_all_leases() = 0;
  /// The earliest time lease() could return a pending row of `channel`: its next attempt, or the
  /// end of its lease when it is leased now.
  virtual Result<std::optional<TimePoint>> next_due(const std::string& channel) = 0;
  virtual Result<OutboxCounts> outbox_counts() = 0;
  /// Queues a row not tied to a new mention (operator notices, status updates).
  virtual Result<std::int64_t> enqueue(const AlertRequest& request, std::int64_t mention_id, TimePoint now) = 0;
  /// Alert messages delivered for a mention (outbox rows of kind "alert" in state sent), oldest
  /// first. remote_id is "" for a channel that reports no message id (e.g. a Slack incoming
  /// webhook): the row still says the alert was posted there.
  virtual Result<std::vector<PostedAlert>> posted_alerts(std::int64_t mention_id) = 0;
  /// Keeps until when a channel's API asked not to be called (its Retry-After, Telegram's
  /// retry_after), so that a restart honours it too; none: clears it.
  virtual Result<void> set_channel_hold(const std::string& channel, std::optional<TimePoint> until) = 0;
  /// The pending rows of `channel` put off after a failed attempt become due at `now` (rows held
  /// by quiet hours, never tried, stay as they are). Returns how many.
  virtual Result<int> retry_now(const std::string& channel, TimePoint now) = 0;
  /// The kept "not before" of a channel, if any.
  virtual Result<std::optional<TimePoint>> channel_hold(const std::string& channel) = 0;
};

}  // namespace otklik
