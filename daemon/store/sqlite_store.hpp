#pragma once
/// The SQLite backend of every store role: one connection in WAL mode (synchronous=NORMAL,
/// foreign keys on, a busy timeout), schema migrated at open, prepared statements cached, every
/// write in a BEGIN IMMEDIATE transaction. Times are stored as integer milliseconds since the Unix
/// epoch (UTC); sub-millisecond parts of TimePoints are dropped (floored). Used from one thread at
/// a time (the store executor's).
///
/// Durability: with WAL + synchronous=NORMAL a committed transaction survives a crash of the
/// process (it is in the WAL file); only a power loss or OS crash may undo the last commits.

#include "daemon/core/clock.hpp"
#include "daemon/store/sqlite.hpp"
#include "daemon/store/wal_checkpointer.hpp"
#include "daemon/store/store.hpp"

#include <chrono>
#include <cstdint>
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
    /// SQLite's page cache for this connection, KiB (PRAGMA cache_size = -N).
    std::int64_t cache_kib = 16 * 1024;
    /// Bytes of the file mapped into memory for reads (PRAGMA mmap_size); 0 = none.
    std::int64_t mmap_bytes = 0;
    /// Checkpoints on a thread of their own (wal_checkpointer.hpp) rather than on the committing
    /// thread; a file database only.
    bool background_checkpoints = true;
  };

  /// Opens (creating it and its parent folder if missing) and migrates the database at `path`
  /// (":memory:" for a private in-memory one). Fails for an unopenable or corrupt file, a file
  /// that is not a database, and a schema newer than this build. `clock` gives first_seen /
  /// updated / created times and must outlive the store.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, Clock& clock);
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, Clock& clock, Options options);

  // --- group commit (sqlite::Database::begin_group) --------------------------------------
  [[nodiscard]] bool groups() const noexcept override { return true; }
  bool begin_group() override { return static_cast<bool>(db_.begin_group()); }
  bool group_intact() override { return db_.group_intact(); }
  bool end_group(bool commit) override { return db_.end_group(commit); }

  // --- source state (sqlite_store.cpp) ---------------------------------------------------
  using SourceStateStore::save_source_state;
  Result<SourceState> source_state(const std::string& source) override;
  Result<std::vector<SourceState>> source_states() override;
  Result<void> save_source_state(const SourceState& state, const std::vector<AlertRequest>& notices) override;
  Result<void> save_source_states(const std::vector<SourceState>& states) override;

  // --- cursors (sqlite_store.cpp) --------------------------------------------------------
  Result<std::optional<std::string>> cursor(const std::string& name) override;
  Result<void> save_cursor(const std::string& name, const std::string& value, TimePoint now) override;

  // --- mentions (sqlite_store_mentions.cpp, sqlite_store_authors.cpp) ---------------------
  using MentionStore::ingest;
  Result<IngestResult> ingest(const Mention& m, const Sentiment& s, const understanding::Understanding& u,
                              const AlertPolicy& policy) override;
  using MentionStore::ingest_batch;
  Result<std::vector<Result<IngestResult>>> ingest_batch(const std::vector<IngestItem>& items,
                                                         const std::optional<LeaseFence>& fence) override;
  Result<std::vector<KnownItem>> known(const std::string& source, const std::vector<std::string>& external_ids) override;
  Result<bool> update_reply(std::int64_t mention_id, const std::string& reply) override;
  Result<std::optional<StoredMention>> mention(std::int64_t id) override;
  Result<std::optional<std::int64_t>> mention_id(const std::string& source, const std::string& external_id) override;
  Result<std::vector<AuthorHistoryItem>> author_history(const AuthorQuery& query) override;
  Result<std::int64_t> mentions_total() override;

  // --- outbox (sqlite_store_outbox.cpp) --------------------------------------------------
  Result<std::vector<OutboxItem>> lease(const std::string& channel, TimePoint now, std::chrono::seconds lease,
                                        int limit) override;
  Result<void> mark_sent(std::int64_t id, const std::string& remote_id, TimePoint now) override;
  Result<void> mark_retry(std::int64_t id, TimePoint next_attempt, const std::string& error) override;
  Result<void> mark_dead(std::int64_t id, const std::string& error, TimePoint now) override;
  Result<void> release_all_leases() override;
  Result<std::optional<TimePoint>> next_due(const std::string& channel) override;
  Result<OutboxCounts> outbox_counts() override;
  Result<std::int64_t> enqueue(const AlertRequest& request, std::int64_t mention_id, TimePoint now) override;
  Result<std::vector<PostedAlert>> posted_alerts(std::int64_t mention_id) override;
  Result<void> set_channel_hold(const std::string& channel, std::optional<TimePoint> until) override;
  Result<std::optional<TimePoint>> channel_hold(const std::string& channel) override;
  Result<int> retry_now(const std::string& channel, TimePoint now) override;

  // --- cases (sqlite_store_cases.cpp) ----------------------------------------------------
  // A case is opened by ingest when policy.open_case and at least one alert row is queued: state
  // "new", the policy's severity, the first alert's channel as route, due for an SLA look at once.
  Result<std::optional<CaseRecord>> case_of(std::int64_t mention_id) override;
  Result<CaseUpdate> apply_case_action(std::int64_t mention_id, CaseAction action, const Actor& actor,
                                       const std::string& note, TimePoint now) override;
  Result<std::vector<CaseRecord>> due_cases(TimePoint now, int limit) override;
  Result<std::vector<CaseRecord>> active_cases() override;
  Result<void> plan_case_check(std::int64_t mention_id, std::optional<TimePoint> at) override;
  Result<std::optional<TimePoint>> next_case_check() override;
  Result<bool> record_escalation(std::int64_t mention_id, std::string_view deadline, int step,
                                 const AlertRequest& request, TimePoint now) override;
  Result<bool> record_follow_up(std::int64_t mention_id, const AlertRequest& request, TimePoint now) override;
  Result<std::vector<FeedbackItem>> feedback(TimePoint since) override;

  // --- spikes (sqlite_store_spikes.cpp) --------------------------------------------------
  Result<std::vector<MinuteCount>> negative_counts(const std::string& brand, const std::string& topic,
                                                   std::int64_t from_minute, std::int64_t to_minute) override;
  Result<std::vector<std::pair<std::string, std::string>>> pairs_since(std::int64_t from_minute) override;
  Result<std::vector<SpikeRecord>> active_spikes() override;
  Result<bool> start_spike(const SpikeRecord& spike, const std::vector<AlertRequest>& notices, TimePoint now) override;
  Result<void> update_spike_peak(std::int64_t id, int peak) override;
  Result<bool> end_spike(std::int64_t id, const std::vector<AlertRequest>& notices, TimePoint now) override;

  // --- leases (sqlite_store_leases.cpp) ----------------------------------------------------
  Result<Heartbeat> heartbeat(const std::string& instance, const std::string& incarnation, TimePoint now,
                              Duration live_within) override;
  Result<void> ensure_leases(const std::vector<std::string>& names) override;
  Result<std::vector<HeldLease>> renew_leases(const std::string& holder, TimePoint until) override;
  Result<std::vector<HeldLease>> claim_leases(const std::string& holder, const std::vector<std::string>& names,
                                              int limit, TimePoint expired_by, TimePoint until) override;
  Result<void> release_leases(const std::string& holder, const std::vector<std::string>& names,
                              TimePoint now) override;
  Result<void> release_holder(const std::string& holder, TimePoint now) override;
  Result<bool> fence_holds(const LeaseFence& fence) override;

  // --- reports (sqlite_store_reports.cpp) ------------------------------------------------
  Result<std::vector<CountRow>> count_rows(bool by_source, ReportRange week, ReportRange prev,
                                           const std::vector<std::string>& brands) override;
  Result<std::vector<TopicCount>> topic_counts(ReportRange week, ReportRange prev,
                                               const std::vector<std::string>& brands) override;
  Result<std::vector<RatingAverage>> rating_averages(ReportRange range, const std::vector<std::string>& brands) override;
  Result<std::vector<ReportCase>> report_cases(ReportRange range, const std::vector<std::string>& brands) override;
  Result<std::vector<ReportMention>> top_negative(ReportRange range, const std::vector<std::string>& brands,
                                                  int limit) override;
  Result<std::vector<ReportMention>> authored_negatives(ReportRange range, const std::vector<std::string>& brands) override;
  Result<std::vector<BrokenSource>> broken_sources(TimePoint since, const std::vector<std::string>& sources) override;

  // --- ledgers (sqlite_store_ledger.cpp) -------------------------------------------------
  Result<Claim> claim_digest(const std::string& week, const std::string& recipients, const std::string& message_id,
                             TimePoint now, Duration lease) override;
  Result<void> reset_digest(const std::string& week, const std::string& recipients, const std::string& message_id,
                            TimePoint now) override;
  Result<void> mark_digest_sent(const std::string& week, const std::string& recipients, TimePoint now) override;
  Result<void> mark_digest_retry(const std::string& week, const std::string& recipients, TimePoint next_attempt,
                                 const std::string& error) override;
  Result<void> mark_digest_failed(const std::string& week, const std::string& recipients,
                                  const std::string& error) override;
  Result<std::optional<DigestRow>> find_digest(const std::string& week, const std::string& recipients) override;
  Result<std::optional<std::string>> latest_digest_sent(const std::string& recipients) override;

  // Inbox (sqlite_store_web.cpp)
  Result<InboxPage> inbox(const InboxQuery& query) override;
  Result<InboxCounts> inbox_counts(const InboxFilter& filter, std::int64_t cap) override;
  Result<std::optional<InboxRow>> inbox_row(std::int64_t mention_id) override;
  Result<std::vector<CaseEvent>> case_events(std::int64_t mention_id) override;
  Result<std::vector<HourCount>> negatives_by_hour(ReportRange range) override;
  Result<std::vector<DigestRow>> digest_rows(int limit) override;
  Result<std::vector<InboxRow>> opened_since(const InboxCursor& after, int limit) override;
  // Labels (sqlite_store_web.cpp)
  Result<void> relabel(const Relabel& r) override;
  Result<std::vector<Relabel>> relabels(std::int64_t mention_id) override;
  // Users and sessions (sqlite_store_users.cpp)
  Result<void> add_user(const WebUser& user) override;
  Result<void> set_password(std::string_view name, const std::string& hash, TimePoint now) override;
  Result<void> set_role(std::string_view name, WebRole role, TimePoint now) override;
  Result<void> remove_user(std::string_view name) override;
  Result<std::optional<WebUser>> user(std::string_view name) override;
  Result<std::vector<WebUser>> users() override;
  Result<void> create_session(const WebSession& session) override;
  Result<std::optional<WebSession>> session(std::string_view token_hash, TimePoint idle_before,
                                            TimePoint created_before) override;
  Result<void> touch_session(std::string_view token_hash, TimePoint seen) override;
  Result<void> delete_session(std::string_view token_hash) override;
  Result<std::int64_t> delete_sessions(std::string_view user) override;
  Result<std::int64_t> purge_sessions(TimePoint idle_before, TimePoint created_before) override;

  // Replies (sqlite_store_replies.cpp)
  Result<std::int64_t> add_reply_preview(const ReplyRecord& reply, TimePoint now) override;
  Result<std::optional<ReplyRecord>> reply(std::int64_t id) override;
  Result<void> set_reply_preview_message(std::int64_t id, const std::string& message_id) override;
  Result<ReplyQueueOutcome> queue_reply(std::int64_t id, const Actor& by, TimePoint now) override;
  Result<bool> cancel_reply(std::int64_t id, TimePoint now) override;
  Result<void> mark_reply_posted(std::int64_t id, const std::string& site_answer_id, TimePoint now) override;
  Result<void> mark_reply_failed(std::int64_t id, const std::string& reason, TimePoint now) override;
  Result<std::optional<ReplyRecord>> latest_reply(std::int64_t mention_id) override;
  Result<std::vector<std::int64_t>> auto_reply_candidates(const std::string& source, TimePoint seen_after,
                                                          TimePoint seen_before, int limit) override;
  Result<std::optional<std::int64_t>> queue_auto_reply(std::int64_t mention_id, const std::string& text,
                                                       TimePoint now) override;

  /// The underlying connection (tests, maintenance such as VACUUM INTO for backups).
  sqlite::Database& database() noexcept { return db_; }
  /// The background checkpointer (null: the writer checkpoints, as for ":memory:").
  [[nodiscard]] const sqlite::WalCheckpointer* checkpointer() const noexcept { return checkpointer_.get(); }

 private:
  SqliteStore(sqlite::Database db, Clock& clock) : db_(std::move(db)), clock_(clock) {}

  /// Fails with errc::lease_lost unless `fence` (if any) still holds; inside the caller's transaction.
  Result<void> check_fence(const std::optional<LeaseFence>& fence);
  /// One item of ingest, inside the caller's transaction (`prepared`: its row's parts made ahead,
  /// used when ready).
  Result<IngestResult> ingest_one(const Mention& m, const Sentiment& s, const understanding::Understanding& u,
                                  const AlertPolicy& policy, TimePoint now, const PreparedRow& prepared = {});
  /// A batch in one transaction: `isolated` puts each item in a savepoint of its own (so that a
  /// failing one is rolled back alone); otherwise the first failure ends it (the caller then
  /// runs it again isolated).
  Result<std::vector<Result<IngestResult>>> ingest_all(const std::vector<IngestItem>& items,
                                                       const std::optional<LeaseFence>& fence, TimePoint now,
                                                       bool isolated);
  Result<void> queue_alerts(const AlertPolicy& policy, std::int64_t mention_id, TimePoint now, int& queued);
  /// Replaces the mention's rows in mention_topics (inside the caller's transaction).
  Result<void> write_topics(std::int64_t mention_id, const std::vector<std::string>& topics);
  /// Adds `delta` to the negative counts of `brand` (all topics and each of `topics`) at the
  /// minute of `event_ms` (inside the caller's transaction).
  Result<void> count_negative(const std::string& brand, const std::vector<std::string>& topics, std::int64_t event_ms,
                              int delta);
  /// Adds `delta` to a named counter (inside the caller's transaction).
  Result<void> bump_counter(std::string_view name, std::int64_t delta);
  Result<std::int64_t> counter(std::string_view name);
  /// Inserts one outbox row (inside the caller's transaction): due at max(now, not_before).
  Result<std::int64_t> insert_outbox(const AlertRequest& request, std::int64_t mention_id, TimePoint now);
  /// Inserts the "new" case of a mention unless it has one (inside the caller's transaction).
  Result<void> open_case(const AlertPolicy& policy, std::int64_t mention_id, TimePoint now);
  Result<std::optional<CaseRecord>> read_case(std::int64_t mention_id);
  /// Stores state, marks and note (not the escalation/follow-up counters); an open case is due
  /// for the SLA timer at `now`.
  Result<void> write_case(const CaseRecord& record, TimePoint now);
  /// Fails with not_found unless the mention has a case.
  Result<void> require_case(std::int64_t mention_id);
  /// Runs `st` (an UPDATE of outbox row `id` limited to pending rows) in a write transaction;
  /// fails with invalid_input when the row does not exist or is no longer pending.
  Result<void> update_pending(std::int64_t id, sqlite::CachedStatement st, std::string_view counter_name);
  /// The upsert of one state (inside the caller's transaction).
  Result<void> write_source_state(const SourceState& state);
  Result<void> update_digest(std::string_view sql, const std::string& week, const std::string& recipients,
                             std::int64_t time, const std::string& text);

  sqlite::Database db_;
  Clock& clock_;
  /// Declared after db_: stopped (and the writer's own checkpoints given back) before it closes.
  std::unique_ptr<sqlite::WalCheckpointer> checkpointer_;
};

}  // namespace otklik
