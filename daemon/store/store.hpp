#pragma once
/// The Store: the single source of truth. SQLite is the embedded default (sqlite_store.hpp); the
/// interface allows a PostgreSQL implementation later (rows leased with FOR UPDATE SKIP LOCKED).
/// All methods are synchronous and must be called from one thread (the I/O thread).

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/lifecycle/case.hpp"
#include "daemon/sentiment/scorer.hpp"
#include "daemon/understanding/understanding.hpp"

#include <chrono>
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
};

/// An outbox row to create with a mention.
struct AlertRequest {
  std::string channel;
  std::string kind = "alert";  ///< "alert", "notice", "escalation", "follow_up", "status"
  std::string payload;         ///< optional JSON the channel needs besides the mention
  std::optional<TimePoint> not_before;  ///< held until then (quiet hours); none: due at once
};

enum class IngestOutcome {
  inserted,    ///< a new mention
  updated,     ///< same (source, external id), text changed: updated and re-scored
  unchanged,   ///< already stored with the same text
};

struct IngestResult {
  IngestOutcome outcome = IngestOutcome::unchanged;
  std::int64_t mention_id = 0;
  int alerts_queued = 0;       ///< outbox rows created in the same transaction
  std::optional<Label> previous_label;  ///< for updated mentions
  /// The site now shows the company's reply and did not before (inserted with one, or it arrived).
  bool reply_added = false;
};

/// How ingest decides whether to queue alerts (the decision happens inside the transaction).
struct AlertPolicy {
  std::vector<AlertRequest> alerts;  ///< rows to queue if the mention alerts (router's choice)
  bool alert_new = true;             ///< false on the silent baseline or when the item is too old
  bool open_case = true;             ///< also open a case (lifecycle) when alerts are queued
  std::string severity;              ///< "low" | "medium" | "high": stored on the case
  /// The company already answered on the site: the case opens as answered by this actor
  /// (platform "site"), so no take or answer deadline runs for it.
  std::optional<Actor> answered_by;
};

// CaseUpdate (the result of apply_case_action) is in daemon/lifecycle/case.hpp.

/// An alert message already posted for a mention, so that it can be edited in place.
struct PostedAlert {
  std::int64_t outbox_id = 0;
  std::string channel;
  std::string remote_id;             ///< the platform's message id (Telegram message_id, …)
  std::string payload;               ///< the outbox row's payload (may hold e.g. a Slack response_url)
};

/// A dismissed ("not negative") mention, for `otklik feedback export`.
struct FeedbackItem {
  std::int64_t mention_id = 0;
  std::string label;                 ///< what the team says it is: "neutral" or "positive" … as stored
  std::string text;
  TimePoint at{};
};

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

/// A stored mention with its last sentiment, as channels render it.
struct StoredMention {
  std::int64_t id = 0;
  Mention mention;
  Sentiment sentiment;
  understanding::Understanding understanding;  ///< claims, topics, brand form, repeat author
  TimePoint first_seen{};
  TimePoint updated{};
};

/// An earlier negative mention of an author (Store::author_history).
struct AuthorHistoryItem {
  std::int64_t mention_id = 0;
  std::string source;
  std::string external_id;
  std::string url;
  TimePoint at{};                     ///< published, or first seen when the site gives no date
  std::vector<std::string> topics;
  std::string case_state;             ///< "" when the mention had no case
};

/// Who to look up: either key may be empty (not both).
struct AuthorQuery {
  std::string id_key;
  std::string name_key;
  TimePoint since{};                  ///< only mentions at or after this time
  std::int64_t exclude_mention = 0;   ///< the mention being ingested, when it is already stored
  int limit = 50;
};

/// A spike of negative volume (understanding/spikes.hpp) as the store keeps it.
struct SpikeRecord {
  std::int64_t id = 0;
  std::string brand;                  ///< "" for mentions without a brand
  std::string topic;                  ///< "" for all topics
  TimePoint started{};
  std::optional<TimePoint> ended;
  int start_count = 0;
  int peak_count = 0;
  double usual = 0;
};

struct OutboxCounts {
  std::int64_t pending = 0;
  std::int64_t sent = 0;
  std::int64_t dead = 0;
  /// When the longest-waiting pending row became due: its creation, or for a row held by quiet
  /// hours and not tried yet, its release time (may lie in the future).
  std::optional<TimePoint> oldest_pending_created;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- mentions ---------------------------------------------------------------------------
  /// In one write transaction: insert or update the mention (unique on source + external id),
  /// store its sentiment, and, if it alerts, queue `policy.alerts`. A new mention alerts when it
  /// is negative and policy.alert_new; an updated one alerts only if it newly turned negative.
  /// The understanding (claims, topics, author keys…) is stored with it: topics in
  /// mention_topics for counting, author keys for the repeat-author lookup.
  virtual Result<IngestResult> ingest(const Mention& m, const Sentiment& s, const understanding::Understanding& u,
                                      const AlertPolicy& policy) = 0;
  /// The same without understanding (sources and tests that only score).
  Result<IngestResult> ingest(const Mention& m, const Sentiment& s, const AlertPolicy& policy) {
    return ingest(m, s, understanding::Understanding{}, policy);
  }
  virtual Result<std::optional<StoredMention>> mention(std::int64_t id) = 0;
  /// The id of a stored mention, if it is stored.
  virtual Result<std::optional<std::int64_t>> mention_id(const std::string& source, const std::string& external_id) {
    (void)source, (void)external_id;
    return unsupported("mention_id");
  }

  // --- understanding ----------------------------------------------------------------------
  /// Negative mentions of the same author (same id key, or same name key) since query.since,
  /// newest first, at most query.limit.
  virtual Result<std::vector<AuthorHistoryItem>> author_history(const AuthorQuery& query) {
    (void)query;
    return unsupported("author_history");
  }
  /// When each negative mention of `brand` (and of `topic`, "" = any) happened, ascending, in ms
  /// since the epoch: the published time, or first seen when it is missing or later.
  virtual Result<std::vector<std::int64_t>> negative_times(const std::string& brand, const std::string& topic,
                                                           TimePoint since) {
    (void)brand, (void)topic, (void)since;
    return unsupported("negative_times");
  }
  /// Spikes not ended yet.
  virtual Result<std::vector<SpikeRecord>> active_spikes() { return unsupported("active_spikes"); }
  /// Exactly once per spike: in one transaction, if no spike of (brand, topic) is active, records
  /// `spike` as active and queues `notices`. Returns false when one is already active.
  virtual Result<bool> start_spike(const SpikeRecord& spike, const std::vector<AlertRequest>& notices, TimePoint now) {
    (void)spike, (void)notices, (void)now;
    return unsupported("start_spike");
  }
  /// Raises the recorded peak of an active spike.
  virtual Result<void> update_spike_peak(std::int64_t id, int peak) {
    (void)id, (void)peak;
    return unsupported("update_spike_peak");
  }
  /// Exactly once: ends the active spike `id` and queues `notices`; false when it already ended.
  virtual Result<bool> end_spike(std::int64_t id, const std::vector<AlertRequest>& notices, TimePoint now) {
    (void)id, (void)notices, (void)now;
    return unsupported("end_spike");
  }

  // --- sources ----------------------------------------------------------------------------
  virtual Result<SourceState> source_state(const std::string& source) = 0;
  virtual Result<void> save_source_state(const SourceState& state) = 0;
  /// Saves `state` and queues `notices` (operator notices) in one transaction, so that a health
  /// change is reported exactly once.
  virtual Result<void> save_source_state(const SourceState& state, const std::vector<AlertRequest>& notices) {
    (void)state, (void)notices;
    return unsupported("save_source_state with notices");
  }

  // --- outbox -----------------------------------------------------------------------------
  /// Leases up to `limit` due rows of `channel` (oldest first) until now + lease.
  virtual Result<std::vector<OutboxItem>> lease(const std::string& channel, TimePoint now,
                                                std::chrono::seconds lease, int limit) = 0;
  /// Marks a row delivered and records the remote message id.
  virtual Result<void> mark_sent(std::int64_t id, const std::string& remote_id, TimePoint now) = 0;
  /// Releases a row for a later attempt at `next_attempt`, counting the attempt.
  virtual Result<void> mark_retry(std::int64_t id, TimePoint next_attempt, const std::string& error) = 0;
  /// Moves a row to the dead letter (never retried; reported).
  virtual Result<void> mark_dead(std::int64_t id, const std::string& error, TimePoint now) = 0;
  /// Clears every lease (at start-up of the only instance: rows leased by a crashed run are due again).
  virtual Result<void> release_all_leases() = 0;
  /// The earliest next_attempt of a pending row of `channel`, if any.
  virtual Result<std::optional<TimePoint>> next_due(const std::string& channel) = 0;
  virtual Result<OutboxCounts> outbox_counts() = 0;
  /// Queues a row not tied to a new mention (operator notices, later escalations).
  virtual Result<std::int64_t> enqueue(const AlertRequest& request, std::int64_t mention_id, TimePoint now) = 0;

  // --- cases (alert lifecycle) -----------------------------------------------------------
  // Not pure so that test fakes of the earlier areas need not implement them.
  virtual Result<std::optional<CaseRecord>> case_of(std::int64_t mention_id) {
    (void)mention_id;
    return unsupported("case_of");
  }
  /// In one write transaction: reads the case, applies `action` (lifecycle/transition.hpp), stores
  /// the result and appends to the case's history. Idempotent: repeating an action changes nothing.
  /// Fails with errc::not_found when the mention has no case.
  virtual Result<CaseUpdate> apply_case_action(std::int64_t mention_id, CaseAction action, const Actor& actor,
                                               const std::string& note, TimePoint now) {
    (void)mention_id, (void)action, (void)actor, (void)note, (void)now;
    return unsupported("apply_case_action");
  }
  /// Cases still in fresh, taken or answered (answered ones wait for their follow-up).
  virtual Result<std::vector<CaseRecord>> active_cases() { return unsupported("active_cases"); }
  /// Exactly once per step: in one transaction, if the case's escalation count for `deadline`
  /// ("take" or "resolve") equals step − 1, sets it to `step` and queues `request` (mention_id set).
  /// Returns false when that step was already recorded (another run, a restart).
  virtual Result<bool> record_escalation(std::int64_t mention_id, std::string_view deadline, int step,
                                         const AlertRequest& request, TimePoint now) {
    (void)mention_id, (void)deadline, (void)step, (void)request, (void)now;
    return unsupported("record_escalation");
  }
  /// Exactly once: marks the follow-up sent and queues `request`; false if it was already sent.
  virtual Result<bool> record_follow_up(std::int64_t mention_id, const AlertRequest& request, TimePoint now) {
    (void)mention_id, (void)request, (void)now;
    return unsupported("record_follow_up");
  }
  /// Alert messages delivered for a mention (outbox rows of kind "alert" in state sent).
  virtual Result<std::vector<PostedAlert>> posted_alerts(std::int64_t mention_id) {
    (void)mention_id;
    return unsupported("posted_alerts");
  }
  /// Mentions dismissed as "not negative" since `since`, oldest first.
  virtual Result<std::vector<FeedbackItem>> feedback(TimePoint since) {
    (void)since;
    return unsupported("feedback");
  }

  // --- metrics ----------------------------------------------------------------------------
  /// How many mentions are stored (the daemon's mentions gauge). Not pure so that test fakes
  /// need not implement it; they report "not supported".
  virtual Result<std::int64_t> mentions_total() { return unsupported("mentions_total"); }

 protected:
  static Failure unsupported(std::string_view what) {
    return Failure(errc::invalid_input, std::string(what) + " is not supported by this store");
  }
};

}  // namespace otklik
