#pragma once
/// The digest's view of the ledgers role (store/ledger_store.hpp): the same calls with ISO weeks,
/// and the key of a recipient list.

#include "daemon/digest/iso_week.hpp"
#include "daemon/store/ledger_store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace otklik::digest {

using ::otklik::Claim;
using ::otklik::ClaimOutcome;
using ::otklik::DigestRow;
using ::otklik::DigestState;

/// The key of a recipient list: bare addresses, lower case, sorted, without duplicates, joined
/// by commas ("a@x.org,b@y.org"), so that the same list written differently is the same key.
std::string recipients_key(const std::vector<std::string>& emails);

/// Ledger calls by ISO week. Holds a reference: use it where the role may be used (a store job).
class DigestLedger {
 public:
  explicit DigestLedger(LedgerStore& store) : store_(store) {}

  Result<Claim> claim(IsoWeek week, const std::string& recipients, const std::string& message_id, TimePoint now,
                      Duration lease) {
    return store_.claim_digest(to_string(week), recipients, message_id, now, lease);
  }
  Result<void> reset(IsoWeek week, const std::string& recipients, const std::string& message_id, TimePoint now) {
    return store_.reset_digest(to_string(week), recipients, message_id, now);
  }
  Result<void> mark_sent(IsoWeek week, const std::string& recipients, TimePoint now) {
    return store_.mark_digest_sent(to_string(week), recipients, now);
  }
  Result<void> mark_retry(IsoWeek week, const std::string& recipients, TimePoint next_attempt,
                          const std::string& error) {
    return store_.mark_digest_retry(to_string(week), recipients, next_attempt, error);
  }
  Result<void> mark_failed(IsoWeek week, const std::string& recipients, const std::string& error) {
    return store_.mark_digest_failed(to_string(week), recipients, error);
  }
  Result<std::optional<DigestRow>> find(IsoWeek week, const std::string& recipients) {
    return store_.find_digest(to_string(week), recipients);
  }
  /// The latest week sent to `recipients` (the schedule never goes back before it).
  Result<std::optional<IsoWeek>> latest_sent(const std::string& recipients);

 private:
  LedgerStore& store_;
};

}  // namespace otklik::digest
