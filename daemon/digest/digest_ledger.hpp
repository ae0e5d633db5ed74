#pragma once
/// The `digests` table: which weekly digest went to which recipient list. It makes the digest
/// exactly-once per ISO week and recipient list across restarts, clock changes and a CLI
/// `--send` racing the daemon: a digest is claimed in a write transaction before it is sent.
///
/// A row is (week, recipients) → pending | sent | failed. claim() on a pending row that is due
/// leases it (next_attempt_at = now + lease, attempts + 1): another claimer sees "busy" until the
/// lease ends, so a crash during the send retries after the lease (with the same Message-ID, so
/// the rare duplicate is dropped by mail clients).

#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/digest/iso_week.hpp"
#include "daemon/store/sqlite.hpp"

#include <optional>
#include <string>
#include <vector>

namespace otklik::digest {

enum class DigestState { pending, sent, failed };

/// One row of the digests table.
struct DigestRow {
  IsoWeek week;
  std::string recipients;
  std::string message_id;
  DigestState state = DigestState::pending;
  int attempts = 0;
  TimePoint next_attempt{};
  std::string last_error;
  std::optional<TimePoint> sent_at;
};

enum class ClaimOutcome {
  claimed,       ///< the caller sends now, then calls mark_sent / mark_retry / mark_failed
  already_sent,  ///< nothing to do
  failed,        ///< refused for good earlier (5xx); `--force` sends it again
  busy,          ///< pending but not due: a retry is scheduled or another sender holds the lease
};

struct Claim {
  ClaimOutcome outcome = ClaimOutcome::busy;
  DigestRow row;  ///< the row after the claim
};

/// The key of a recipient list: bare addresses, lower case, sorted, without duplicates, joined
/// by commas ("a@x.org,b@y.org"), so that the same list written differently is the same key.
std::string recipients_key(const std::vector<std::string>& emails);

class DigestLedger {
 public:
  explicit DigestLedger(sqlite::Database& db) : db_(db) {}

  /// In one write transaction: creates the row (pending, due now, with `message_id`) when it is
  /// missing; leases a pending row that is due for `lease`. See ClaimOutcome.
  Result<Claim> claim(IsoWeek week, const std::string& recipients, const std::string& message_id, TimePoint now,
                      Duration lease);
  /// For `--force`: the row (created if missing) back to pending and due now, with a new
  /// `message_id` (a resend is a new message).
  Result<void> reset(IsoWeek week, const std::string& recipients, const std::string& message_id, TimePoint now);
  Result<void> mark_sent(IsoWeek week, const std::string& recipients, TimePoint now);
  /// Keeps the row pending, due again at `next_attempt` (a 4xx reply, a network failure).
  Result<void> mark_retry(IsoWeek week, const std::string& recipients, TimePoint next_attempt, const std::string& error);
  /// Gives up (a 5xx reply): failed with the error, reported, never retried by the schedule.
  Result<void> mark_failed(IsoWeek week, const std::string& recipients, const std::string& error);
  Result<std::optional<DigestRow>> find(IsoWeek week, const std::string& recipients);
  /// The latest week sent to `recipients` (the schedule never goes back before it).
  Result<std::optional<IsoWeek>> latest_sent(const std::string& recipients);

 private:
  Result<void> update(std::string_view sql, IsoWeek week, const std::string& recipients, std::int64_t time,
                      const std::string& text);

  sqlite::Database& db_;
};

}  // namespace otklik::digest
