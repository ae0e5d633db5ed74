#pragma once
/// The mentions role: the reviews and mentions with their sentiment and understanding, written
/// together with the alerts they raise; the cheap "already stored unchanged?" check that comes
/// before any scoring; an author's earlier complaints.

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/lifecycle/case.hpp"
#include "daemon/sentiment/scorer.hpp"
#include "daemon/store/alert_request.hpp"
#include "daemon/store/lease_fence.hpp"
#include "daemon/understanding/understanding.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace otklik {

/// When a mention happened, for every count (spikes, the digest's weeks, author history): when it
/// was published, but never later than when it was first seen (a wrong clock on the site must
/// not put items in the future); first seen when the site gives no date. The store keeps it in
/// `event_at`, computed once by this function.
inline TimePoint event_time(const std::optional<TimePoint>& published, TimePoint first_seen) noexcept {
  return published ? std::min(*published, first_seen) : first_seen;
}

/// What "same text" means for an edit: title and text (separated, so ("ab","c") != ("a","bc")),
/// as the first 8 bytes of their SHA-256.
std::int64_t text_hash(const Mention& m);

enum class IngestOutcome {
  inserted,    ///< a new mention
  updated,     ///< same (source, external id), text or rating changed: updated and re-scored
  unchanged,   ///< already stored with the same text
};

struct IngestResult {
  IngestOutcome outcome = IngestOutcome::unchanged;
  std::int64_t mention_id = 0;
  int alerts_queued = 0;       ///< outbox rows created in the same transaction
  std::optional<Label> previous_label;  ///< for updated and unchanged mentions
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

/// The parts of a mention's row that cost CPU to make — its text hash, its text deflated, its
/// sentiment detail as JSON — made ahead by prepare_row() on the pipeline's work threads, so that
/// the store's one thread only writes. A store uses them when `ready` and the mention is the one
/// they were made from (the store's thread must not deflate 200,000 texts of a first round).
struct PreparedRow {
  bool ready = false;
  std::int64_t text_hash = 0;
  std::string packed_text;           ///< store::pack_if_worth(mention.text): "" keeps the text plain
  std::string sentiment_json;        ///< store::sentiment_to_json of a negative; "" for the others
  std::string packed_sentiment;      ///< store::pack_if_worth(sentiment_json, 0)
  std::string understanding_json;    ///< store::stored_understanding(...)
  std::string packed_understanding;  ///< store::pack_if_worth(understanding_json, 0)
  /// False once the understanding changed after prepare_row (a repeat author found on the store's
  /// thread): the store then makes that column itself.
  bool understanding_ready = false;
};

/// One item of a batch to ingest.
struct IngestItem {
  Mention mention;
  Sentiment sentiment;
  understanding::Understanding understanding;
  AlertPolicy policy;
  PreparedRow prepared{};
};

/// Fills item.prepared from its mention and sentiment (pure; any thread). Call it after the
/// sentiment's label is final.
void prepare_row(IngestItem& item);

/// What the store holds for an item it has seen (MentionStore::known).
struct KnownItem {
  std::string external_id;
  std::int64_t mention_id = 0;
  std::int64_t text_hash = 0;
  std::optional<double> rating;
  std::string company_reply;
  Label label = Label::neutral;

  /// True when `m` is this item with the same title, text and rating (the company reply aside):
  /// nothing to score again.
  [[nodiscard]] bool same_content(const Mention& m, std::int64_t hash) const noexcept {
    return hash == text_hash && rating == m.rating;
  }
};

/// A stored mention with its last sentiment, as channels render it. Only negative mentions keep
/// the sentiment's sentences and "why" and the full understanding; others keep label, score,
/// confidence and language (the scorer is deterministic: the rest can be computed again).
struct StoredMention {
  std::int64_t id = 0;
  Mention mention;
  Sentiment sentiment;
  understanding::Understanding understanding;  ///< claims, topics, brand form, repeat author
  TimePoint first_seen{};
  TimePoint updated{};
};

/// An earlier negative mention of an author (MentionStore::author_history).
struct AuthorHistoryItem {
  std::int64_t mention_id = 0;
  std::string source;
  std::string external_id;
  std::string url;
  TimePoint at{};                     ///< event_time()
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

class MentionStore {
 public:
  virtual ~MentionStore() = default;
  /// In one write transaction: insert or update the mention (unique on source + external id),
  /// store its sentiment, and, if it alerts, queue `policy.alerts`. A new mention alerts when it
  /// is negative and policy.alert_new; an updated one alerts only if it newly turned negative.
  /// The understanding (claims, topics, author keys…) is stored with it: topics in
  /// mention_topics, author keys for the repeat-author lookup, negatives in the spike counts.
  virtual Result<IngestResult> ingest(const Mention& m, const Sentiment& s, const understanding::Understanding& u,
                                      const AlertPolicy& policy) = 0;
  /// The same without understanding (sources and tests that only score).
  Result<IngestResult> ingest(const Mention& m, const Sentiment& s, const AlertPolicy& policy) {
    return ingest(m, s, understanding::Understanding{}, policy);
  }
  /// Several items in one write transaction, each as ingest() would store it; an item that fails
  /// is rolled back alone (a savepoint each) and reported in its place. Fails as a whole only when
  /// the transaction cannot begin or commit. With `fence`, the batch commits only while that lease
  /// holds (errc::lease_lost otherwise, and nothing is stored).
  virtual Result<std::vector<Result<IngestResult>>> ingest_batch(const std::vector<IngestItem>& items,
                                                                 const std::optional<LeaseFence>& fence) = 0;
  Result<std::vector<Result<IngestResult>>> ingest_batch(const std::vector<IngestItem>& items) {
    return ingest_batch(items, std::nullopt);
  }
  /// The items of `source` among `external_ids` that are stored, in one query on the unique index
  /// (order not kept; missing ids are new).
  virtual Result<std::vector<KnownItem>> known(const std::string& source, const std::vector<std::string>& external_ids) = 0;
  /// Records the company's reply on an unchanged stored mention (not an edit of the review).
  /// Returns whether a reply appeared where there was none.
  virtual Result<bool> update_reply(std::int64_t mention_id, const std::string& reply) = 0;
  virtual Result<std::optional<StoredMention>> mention(std::int64_t id) = 0;
  /// The id of a stored mention, if it is stored.
  virtual Result<std::optional<std::int64_t>> mention_id(const std::string& source, const std::string& external_id) = 0;
  /// Negative mentions of the same author (same id key, or same name key) since query.since,
  /// newest first, at most query.limit.
  virtual Result<std::vector<AuthorHistoryItem>> author_history(const AuthorQuery& query) = 0;
  /// How many mentions are stored (kept as a counter: no scan).
  virtual Result<std::int64_t> mentions_total() = 0;
};

}  // namespace otklik
