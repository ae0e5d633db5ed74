#pragma once
/// The source-state role: what each source remembers between polls, and its health.

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/store/alert_request.hpp"
#include "daemon/store/lease_fence.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace otklik {

/// What a source remembers between polls.
struct SourceState {
  std::string source;
  std::string etag;            ///< for If-None-Match
  std::string last_modified;   ///< for If-Modified-Since
  std::int64_t polls = 0;      ///< successful polls so far; 0 = the next poll is the silent baseline
  std::int64_t consecutive_failures = 0;
  std::optional<TimePoint> last_success;
  std::optional<TimePoint> last_attempt;
  std::string last_error;
  std::string cursor;          ///< free-form paging state for presets (e.g. newest id seen)
  // Source health (app/source_health.hpp): reported once when broken, once when recovered.
  std::int64_t empty_polls = 0;          ///< successful polls in a row that yielded no items
  std::optional<TimePoint> broken_since; ///< when the source was reported broken; none: healthy
  std::string broken_reason;             ///< what was reported ("captcha page", "no items in 5 polls")
  /// Not stored: the SHA-256 of the first page (with its URL and Content-Type) of the last poll
  /// whose items were all stored, without an error or a warning. A poll that reads the same bytes
  /// again stops there (PollResult::unchanged): a server that sends no ETag or Last-Modified
  /// costs a digest a poll, not a parse and a store lookup. A restart, a reload or a lease taken
  /// again starts without it, so the first poll after one parses the page.
  std::string page_digest;
  /// Not stored: the source's lease when several instances share the database. A save made with
  /// it commits only while the lease holds (errc::lease_lost otherwise; a batch skips the state).
  std::optional<LeaseFence> lease;
  friend bool operator==(const SourceState&, const SourceState&) = default;
};

class SourceStateStore {
 public:
  virtual ~SourceStateStore() = default;
  /// The state of one source; a source never polled gets an empty state (polls = 0).
  virtual Result<SourceState> source_state(const std::string& source) = 0;
  /// The states of every source that has one (start-up reads them in one query).
  virtual Result<std::vector<SourceState>> source_states() = 0;
  /// Saves `state` and queues `notices` (operator notices) in one transaction, so that a health
  /// change is reported exactly once.
  virtual Result<void> save_source_state(const SourceState& state, const std::vector<AlertRequest>& notices) = 0;
  Result<void> save_source_state(const SourceState& state) { return save_source_state(state, {}); }
  /// Saves several states in one transaction (the routine saves of many polls at once).
  virtual Result<void> save_source_states(const std::vector<SourceState>& states) = 0;
};

}  // namespace otklik
