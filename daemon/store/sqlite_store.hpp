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
#include <string_view>
#include <vector>

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

  using Store::ingest;
  Result<IngestResult> ingest(const Mention& m, const Sentiment& s, const understanding::Understanding& u,
                              const AlertPolicy& policy) override;
  Result<std::optional<StoredMention>> mention(std::int64_t id) override;
  Result<std::optional<std::int64_t>> mention_id(const std::string& source, const std::string& external_id) override;

  // Understanding (sqlite_store_understanding.cpp).
  Result<std::vector<AuthorHistoryItem>> author_history(const AuthorQuery& query) override;
  Result<std::vector<std::int64_t>> negative_times(const std::string& brand, const std::string& topic,
                                                   TimePoint since) override;
  Result<std::vector<SpikeRecord>> active_spikes() override;
  Result<bool> start_spike(const SpikeRecord& spike, const std::vector<AlertRequest>& notices, TimePoint now) override;
  Result<void> update_spike_peak(std::int64_t id, int peak) override;
  Result<bool> end_spike(std::int64_t id, const std::vector<AlertRequest>& notices, TimePoint now) override;

  Result<SourceState> source_state(const std::string& source) override;
  Result<void> save_source_state(const SourceState& state) override;
  Result<void> save_source_state(const SourceState& state, const std::vector<AlertRequest>& notices) override;

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

  // Cases (sqlite_store_cases.cpp). A case is opened by ingest when policy.open_case and at least
  // one alert row is queued: state "new", the policy's severity, the first alert's channel as route.
  Result<std::optional<CaseRecord>> case_of(std::int64_t mention_id) override;
  /// Also records refused and unchanged actions in case_events (changed = 0).
  Result<CaseUpdate> apply_case_action(std::int64_t mention_id, CaseAction action, const Actor& actor,
                                       const std::string& note, TimePoint now) override;
  /// Oldest first.
  Result<std::vector<CaseRecord>> active_cases() override;
  /// Fails with invalid_input for a deadline other than "take"/"resolve" or a step < 1, and with
  /// not_found when the mention has no case.
  Result<bool> record_escalation(std::int64_t mention_id, std::string_view deadline, int step,
                                 const AlertRequest& request, TimePoint now) override;
  /// Fails with not_found when the mention has no case.
  Result<bool> record_follow_up(std::int64_t mention_id, const AlertRequest& request, TimePoint now) override;
  /// Oldest first. remote_id is "" for a channel that reports no message id (e.g. a Slack
  /// incoming webhook): the row still says the alert was posted there.
  Result<std::vector<PostedAlert>> posted_alerts(std::int64_t mention_id) override;
  /// label: the dismiss note when it names a label ("positive", "neutral"), else "neutral";
  /// text: the mention's text (its title when the text is empty).
  Result<std::vector<FeedbackItem>> feedback(TimePoint since) override;

  Result<std::int64_t> mentions_total() override;

  /// The underlying connection (tests, maintenance such as VACUUM INTO for backups).
  sqlite::Database& database() noexcept { return db_; }

 private:
  SqliteStore(sqlite::Database db, Clock& clock) : db_(std::move(db)), clock_(clock) {}

  Result<void> queue_alerts(const AlertPolicy& policy, std::int64_t mention_id, TimePoint now, int& queued);
  /// Replaces the mention's rows in mention_topics (inside the caller's transaction).
  Result<void> write_topics(std::int64_t mention_id, const std::vector<std::string>& topics);
  /// Inserts one outbox row (inside the caller's transaction): due at max(now, not_before).
  Result<std::int64_t> insert_outbox(const AlertRequest& request, std::int64_t mention_id, TimePoint now);
  /// Inserts the "new" case of a mention unless it has one (inside the caller's transaction).
  Result<void> open_case(const AlertPolicy& policy, std::int64_t mention_id, TimePoint now);
  Result<std::optional<CaseRecord>> read_case(std::int64_t mention_id);
  /// Stores state, marks and note (not the escalation/follow-up counters).
  Result<void> write_case(const CaseRecord& record);
  /// Fails with not_found unless the mention has a case.
  Result<void> require_case(std::int64_t mention_id);
  /// Runs `st` (an UPDATE of outbox row `id` limited to pending rows) in a write transaction;
  /// fails with invalid_input when the row does not exist or is no longer pending.
  Result<void> update_pending(std::int64_t id, sqlite::CachedStatement st);

  sqlite::Database db_;
  Clock& clock_;
};

}  // namespace otklik
