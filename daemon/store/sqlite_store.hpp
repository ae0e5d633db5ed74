#pragma once
/// The SQLite implementation of Store: one connection in WAL mode (synchronous=NORMAL, foreign
/// keys on, a busy timeout), schema migrated at open, prepared statements cached, every write in
/// a BEGIN IMMEDIATE transaction. Times are stored as integer milliseconds since the Unix epoch
/// (UTC); sub-millisecond parts of TimePoints are dropped (floored).
///
/// Durability: with WAL + synchronous=NORMAL a committed transaction survives a crash of the
/// process (it is in the WAL file); only a power loss or OS crash may undo the last commits.

#include "daemon/core/clock.hpp"
#include "daemon/store/sqlite.hpp"
#include "daemon/store/store.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace otklik {

class SqliteStore final : public Store {
 public:
  struct Options {
    /// How long a statement waits for another connection's lock before failing with store_failed.
    std::chrono::milliseconds busy_timeout{5000};
  };

  /// Opens (creating it and its parent folder if missing) and migrates the database at `path`
  /// (":memory:" for a private in-memory one). Fails for an unopenable or corrupt file, a file
  /// that is not a database, and a schema newer than this build. `clock` gives first_seen /
  /// updated / created times and must outlive the store.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, Clock& clock);
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, Clock& clock, Options options);

  Result<IngestResult> ingest(const Mention& m, const Sentiment& s, const AlertPolicy& policy) override;
  Result<std::optional<StoredMention>> mention(std::int64_t id) override;

  Result<SourceState> source_state(const std::string& source) override;
  Result<void> save_source_state(const SourceState& state) override;

  Result<std::vector<OutboxItem>> lease(const std::string& channel, TimePoint now, std::chrono::seconds lease,
                                        int limit) override;
  Result<void> mark_sent(std::int64_t id, const std::string& remote_id, TimePoint now) override;
  Result<void> mark_retry(std::int64_t id, TimePoint next_attempt, const std::string& error) override;
  Result<void> mark_dead(std::int64_t id, const std::string& error, TimePoint now) override;
  Result<void> release_all_leases() override;
  /// The earliest time lease() could return a pending row of `channel`: its next attempt, or the
  /// end of its lease when it is leased now.
  Result<std::optional<TimePoint>> next_due(const std::string& channel) override;
  Result<OutboxCounts> outbox_counts() override;
  Result<std::int64_t> enqueue(const AlertRequest& request, std::int64_t mention_id, TimePoint now) override;

  Result<std::int64_t> mentions_total() override;

  /// The underlying connection (tests, maintenance such as VACUUM INTO for backups).
  sqlite::Database& database() noexcept { return db_; }

 private:
  SqliteStore(sqlite::Database db, Clock& clock) : db_(std::move(db)), clock_(clock) {}

  Result<void> queue_alerts(const AlertPolicy& policy, std::int64_t mention_id, TimePoint now, int& queued);
  /// Runs `st` (an UPDATE of outbox row `id` limited to pending rows) in a write transaction;
  /// fails with invalid_input when the row does not exist or is no longer pending.
  Result<void> update_pending(std::int64_t id, sqlite::CachedStatement st);

  sqlite::Database db_;
  Clock& clock_;
};

}  // namespace otklik
