#pragma once
/// The ledgers role: which weekly digest went to which recipient list. It makes the digest
/// exactly-once per ISO week and recipient list across restarts, clock changes and a CLI
/// `--send` racing the daemon: a digest is claimed in a write transaction before it is sent.
///
/// A row is (week, recipients) → pending | sent | failed. claim() on a pending row that is due
/// leases it (next_attempt = now + lease, attempts + 1): another claimer sees "busy" until the
/// lease ends, so a crash during the send retries after the lease (with the same Message-ID, so
/// the rare duplicate is dropped by mail clients).

#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"

#include <optional>
#include <string>

namespace otklik {

enum class DigestState { pending, sent, failed };

/// One row of the ledger. `week` is an ISO week as "2026-W47" (such strings sort in time order).
struct DigestRow {
  std::string week;
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

class LedgerStore {
 public:
  virtual ~LedgerStore() = default;
  /// In one write transaction: creates the row (pending, due now, with `message_id`) when it is
  /// missing; leases a pending row that is due for `lease`. See ClaimOutcome.
  virtual Result<Claim> claim_digest(const std::string& week, const std::string& recipients,
                                     const std::string& message_id, TimePoint now, Duration lease) = 0;
  /// For `--force`: the row (created if missing) back to pending and due now, with a new
  /// `message_id` (a resend is a new message).
  virtual Result<void> reset_digest(const std::string& week, const std::string& recipients,
                                    const std::string& message_id, TimePoint now) = 0;
  virtual Result<void> mark_digest_sent(const std::string& week, const std::string& recipients, TimePoint now) = 0;
  /// Keeps the row pending, due again at `next_attempt` (a 4xx reply, a network failure).
  virtual Result<void> mark_digest_retry(const std::string& week, const std::string& recipients,
                                         TimePoint next_attempt, const std::string& error) = 0;
  /// Gives up (a 5xx reply): failed with the error, reported, never retried by the schedule.
  virtual Result<void> mark_digest_failed(const std::string& week, const std::string& recipients,
                                          const std::string& error) = 0;
  virtual Result<std::optional<DigestRow>> find_digest(const std::string& week, const std::string& recipients) = 0;
  /// The latest week sent to `recipients` (the schedule never goes back before it).
  virtual Result<std::optional<std::string>> latest_digest_sent(const std::string& recipients) = 0;
};

}  // namespace otklik
