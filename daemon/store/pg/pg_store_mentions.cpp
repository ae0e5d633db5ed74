// PgStore: the mentions role — ingest (one item or a batch with a savepoint per item, its alerts,
// case and spike counts in the same transaction), the batched "already stored?" check, and
// reading a mention. The same rules as sqlite_store_mentions.cpp.
#include "daemon/store/pg/pg_store.hpp"

#include "daemon/store/packed_text.hpp"
#include "daemon/store/pg/row.hpp"
#include "daemon/store/pg/search_index.hpp"
#include "daemon/store/pg/search_words.hpp"
#include "daemon/store/pg/text_array.hpp"
#include "daemon/store/pg/transaction.hpp"
#include "daemon/store/sentiment_json.hpp"
#include "daemon/store/prepared_row.hpp"
#include "daemon/store/store_detail.hpp"
#include "daemon/store/stored_understanding.hpp"
#include "daemon/understanding/understanding_json.hpp"

#include <utility>

namespace otklik::store {
namespace {

using pg::Param;
using pg::Row;
using pg::Transaction;

constexpr const char* kMentionColumns =
    "source, external_id, url, author, author_id, title, text, rating, published_at, fetched_at, brand, "
    "company_reply, content_hash, label, score, confidence, lang, sentiment_json, understanding_json, "
    "author_id_key, author_name_key";

/// The 21 columns of kMentionColumns as $1..$21. Only negatives keep the sentiment's sentences
/// and "why" (what alerts show); the scorer is deterministic for the rest.
std::vector<Param> mention_params(const Mention& m, const Sentiment& s, const understanding::Understanding& u,
                                  const PreparedRow& row) {
  return {m.source,
          m.external_id,
          m.url,
          m.author,
          m.author_id,
          m.title,
          Param::bytea(to_marked_prepacked(m.text, row.packed_text)),
          m.rating,
          to_ms(m.published),
          to_ms(m.fetched),
          m.brand,
          m.company_reply,
          row.text_hash,
          std::string(to_string(s.label)),
          s.score,
          s.confidence,
          std::string(to_string(s.lang)),
          Param::bytea(to_marked_prepacked(row.sentiment_json, row.packed_sentiment)),
          Param::bytea(to_marked_prepacked(row.understanding_json, row.packed_understanding)),
          u.author_id_key,
          u.author_name_key};
}

struct Existing {
  std::int64_t id = 0;
  std::int64_t hash = 0;
  std::optional<double> rating;
  std::string company_reply;
  Label label = Label::neutral;
  std::string brand;
  std::int64_t event_at = 0;
  std::int64_t first_seen = 0;
};

/// A savepoint inside the caller's transaction: one item of a batch fails alone (PostgreSQL
/// refuses every statement after a failed one until the rollback to the savepoint).
class Savepoint {
 public:
  static Result<Savepoint> begin(pg::Connection& conn) {
    if (auto r = conn.exec("SAVEPOINT item"); !r) return r.error();
    return Savepoint(conn);
  }
  Savepoint(Savepoint&& o) noexcept : conn_(std::exchange(o.conn_, nullptr)) {}
  Savepoint& operator=(Savepoint&&) = delete;
  ~Savepoint() {
    if (conn_ != nullptr && conn_->ok()) {
      (void)conn_->exec("ROLLBACK TO SAVEPOINT item");
      (void)conn_->exec("RELEASE SAVEPOINT item");
    }
  }
  Result<void> release() {
    auto r = conn_->exec("RELEASE SAVEPOINT item");
    if (r) conn_ = nullptr;
    return r;
  }

 private:
  explicit Savepoint(pg::Connection& conn) : conn_(&conn) {}
  pg::Connection* conn_;
};

Failure about_mention(Failure f, std::int64_t id) {
  f.detail = "mention " + std::to_string(id) + ": " + f.detail;
  return f;
}

}  // namespace

Result<IngestResult> PgStore::ingest(const Mention& m, const Sentiment& s, const understanding::Understanding& u,
                                     const AlertPolicy& policy) {
  const TimePoint now = clock_.now();
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  item_counts_.clear();
  OTKLIK_STORE_TRY(result, ingest_one(m, s, u, policy, now));
  OTKLIK_STORE_CHECK(write_counts(item_counts_));
  if (result.outcome == IngestOutcome::inserted) OTKLIK_STORE_CHECK(bump_counter("mentions", 1));
  OTKLIK_STORE_CHECK(tx.commit());
  return result;
}

Result<std::vector<Result<IngestResult>>> PgStore::ingest_batch(const std::vector<IngestItem>& items,
                                                                const std::optional<LeaseFence>& fence) {
  if (items.empty()) return std::vector<Result<IngestResult>>{};
  const TimePoint now = clock_.now();
  return store::fast_then_isolated([&](bool isolated) { return ingest_all(items, fence, now, isolated); });
}

Result<std::vector<Result<IngestResult>>> PgStore::ingest_all(const std::vector<IngestItem>& items,
                                                              const std::optional<LeaseFence>& fence, TimePoint now,
                                                              bool isolated) {
  std::vector<Result<IngestResult>> out;
  out.reserve(items.size());
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  OTKLIK_STORE_CHECK(check_fence(fence));
  std::map<CountKey, std::int64_t> counts;  // the batch's negative counts, written last
  auto keep_counts = [&] {
    for (const auto& [key, n] : item_counts_) counts[key] += n;
  };
  for (const IngestItem& item : items) {
    item_counts_.clear();
    if (!isolated) {
      OTKLIK_STORE_TRY(r, ingest_one(item.mention, item.sentiment, item.understanding, item.policy, now,
                                     item.prepared));
      keep_counts();
      out.emplace_back(std::move(r));
      continue;
    }
    auto sp = Savepoint::begin(conn_);
    if (!sp) return sp.error();
    auto r = ingest_one(item.mention, item.sentiment, item.understanding, item.policy, now, item.prepared);
    if (r) {
      if (auto released = sp->release(); !released) return released.error();
      keep_counts();
    }
    out.push_back(std::move(r));
  }
  OTKLIK_STORE_CHECK(write_counts(counts));
  if (const std::int64_t inserted = store::inserted_in(out); inserted > 0)
    OTKLIK_STORE_CHECK(bump_counter("mentions", inserted));
  OTKLIK_STORE_CHECK(tx.commit());
  return out;
}

Result<IngestResult> PgStore::ingest_one(const Mention& m, const Sentiment& s, const understanding::Understanding& u,
                                         const AlertPolicy& policy, TimePoint now, const PreparedRow& prepared) {
  PreparedRow scratch;
  const PreparedRow& row = store::complete_row(prepared, m, s, u, scratch);
  const std::int64_t hash = row.text_hash;
  std::optional<Existing> existing;
  {
    OTKLIK_STORE_TRY(r, conn_.query("SELECT id, content_hash, rating, company_reply, label, brand, event_at, "
                                    "first_seen_at FROM mentions WHERE source = $1 AND external_id = $2 FOR UPDATE",
                                    {m.source, m.external_id}));
    if (r.rows() > 0) {
      Row row(r, 0);
      existing = Existing{row.int64(0), row.int64(1), row.optional_real(2), row.text(3),
                          parse_label(row.text(4)).value_or(Label::neutral), row.text(5), row.int64(6), row.int64(7)};
      OTKLIK_STORE_CHECK(row.status());
    }
  }

  IngestResult result;
  if (!existing) {
    const std::int64_t event_ms = to_ms(event_time(m.published, now));
    static const std::string kInsert = std::string("INSERT INTO mentions (") + kMentionColumns +
                                       ", text_hash, first_seen_at, updated_at, event_at, search, subject) VALUES ($1, "
                                       "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, "
                                       "$20, $21, '', $22, $22, $23, " +
                                       pg::search_vector_sql("$24") + ", $25) RETURNING id";
    std::vector<Param> params = mention_params(m, s, u, row);
    params.emplace_back(to_ms(now));
    params.emplace_back(event_ms);
    params.emplace_back(pg::indexed_words(m.title, m.text));
    params.emplace_back(m.subject);
    OTKLIK_STORE_TRY(r, conn_.query(kInsert, params));
    OTKLIK_STORE_TRY(id, r.int64(0, 0));
    result.outcome = IngestOutcome::inserted;
    result.mention_id = id;
    result.reply_added = !m.company_reply.empty();
    OTKLIK_STORE_CHECK(write_topics(result.mention_id, u.topics));
    if (s.label == Label::negative) {
      OTKLIK_STORE_CHECK(count_negative(m.brand, u.topics, event_ms, 1));
      if (policy.alert_new) OTKLIK_STORE_CHECK(queue_alerts(policy, result.mention_id, now, result.alerts_queued));
    }
    return result;
  }
  result.mention_id = existing->id;
  result.previous_label = existing->label;
  result.reply_added = existing->company_reply.empty() && !m.company_reply.empty();
  if (existing->hash == hash && existing->rating == m.rating) {
    result.outcome = IngestOutcome::unchanged;
    if (existing->company_reply != m.company_reply) {
      // The company answered (or edited its answer): keep it, but this is not an edit of the review.
      OTKLIK_STORE_TRY(r, conn_.query("UPDATE mentions SET company_reply = $2 WHERE id = $1",
                                      {existing->id, m.company_reply}));
      (void)r;
    }
    return result;
  }

  // An edit: the counts of the old version come out, those of the new one go in.
  std::vector<std::string> old_topics;
  if (existing->label == Label::negative) {
    OTKLIK_STORE_TRY(r, conn_.query("SELECT topic FROM mention_topics WHERE mention_id = $1", {existing->id}));
    for (int i = 0; i < r.rows(); ++i) {
      OTKLIK_STORE_TRY(topic, r.text(i, 0));
      old_topics.push_back(std::move(topic));
    }
  }
  const std::int64_t event_ms = to_ms(event_time(m.published, from_ms(existing->first_seen)));
  {
    // The search words are those of the text as it is now (also for a row not filled yet).
    std::vector<Param> params = mention_params(m, s, u, row);
    params.emplace_back(to_ms(now));
    params.emplace_back(existing->id);
    params.emplace_back(event_ms);
    params.emplace_back(pg::indexed_words(m.title, m.text));
    params.emplace_back(m.subject);
    static const std::string kUpdate =
        "UPDATE mentions SET url = $3, author = $4, author_id = $5, title = $6, "
        "text = $7, rating = $8, published_at = $9, fetched_at = $10, brand = $11, "
        "company_reply = $12, content_hash = $13, label = $14, score = $15, "
        "confidence = $16, lang = $17, sentiment_json = $18, understanding_json = $19, "
        "author_id_key = $20, author_name_key = $21, updated_at = $22, event_at = $24, search = " +
        pg::search_vector_sql("$25") + ", subject = $26 WHERE id = $23 AND source = $1 AND external_id = $2";
    OTKLIK_STORE_TRY(r, conn_.query(kUpdate, params));
    (void)r;
  }
  OTKLIK_STORE_CHECK(write_topics(existing->id, u.topics));
  if (existing->label == Label::negative)
    OTKLIK_STORE_CHECK(count_negative(existing->brand, old_topics, existing->event_at, -1));
  if (s.label == Label::negative) OTKLIK_STORE_CHECK(count_negative(m.brand, u.topics, event_ms, 1));
  result.outcome = IngestOutcome::updated;
  if (s.label == Label::negative && existing->label != Label::negative) {
    OTKLIK_STORE_CHECK(queue_alerts(policy, result.mention_id, now, result.alerts_queued));
  }
  return result;
}

Result<void> PgStore::queue_alerts(const AlertPolicy& policy, std::int64_t mention_id, TimePoint now, int& queued) {
  int here = 0;
  for (const AlertRequest& a : policy.alerts) {
    OTKLIK_STORE_CHECK(insert_outbox(a, mention_id, now));
    ++here;
  }
  queued += here;
  if (policy.open_case && here > 0) OTKLIK_STORE_CHECK(open_case(policy, mention_id, now));
  return {};
}

Result<void> PgStore::count_negative(const std::string& brand, const std::vector<std::string>& topics,
                                     std::int64_t event_ms, int delta) {
  const std::int64_t minute = event_ms >= 0 ? event_ms / 60000 : (event_ms - 59999) / 60000;
  item_counts_[CountKey{brand, "", minute}] += delta;
  for (const auto& t : topics)
    if (!t.empty()) item_counts_[CountKey{brand, t, minute}] += delta;
  return {};
}

Result<void> PgStore::write_counts(const std::map<CountKey, std::int64_t>& counts) {
  for (const auto& [key, n] : counts) {
    if (n == 0) continue;
    const auto& [brand, topic, minute] = key;
    OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO negative_counts (brand, topic, minute, n) VALUES ($1, $2, $3, $4) "
                                    "ON CONFLICT (brand, topic, minute) DO UPDATE "
                                    "SET n = negative_counts.n + excluded.n",
                                    {brand, topic, minute, n}));
    (void)r;
  }
  return {};
}

Result<std::vector<KnownItem>> PgStore::known(const std::string& source, const std::vector<std::string>& external_ids) {
  std::vector<KnownItem> out;
  if (external_ids.empty()) return out;
  // One query, one index lookup per id (the unique index on source, external_id).
  OTKLIK_STORE_TRY(r, conn_.query("SELECT external_id, id, content_hash, rating, company_reply, label FROM mentions "
                                  "WHERE source = $1 AND external_id = ANY($2::text[])",
                                  {source, pg::text_array(external_ids)}));
  for (int i = 0; i < r.rows(); ++i) {
    Row row(r, i);
    KnownItem k;
    k.external_id = row.text(0);
    k.mention_id = row.int64(1);
    k.text_hash = row.int64(2);
    k.rating = row.optional_real(3);
    k.company_reply = row.text(4);
    k.label = parse_label(row.text(5)).value_or(Label::neutral);
    OTKLIK_STORE_CHECK(row.status());
    out.push_back(std::move(k));
  }
  return out;
}

Result<bool> PgStore::update_reply(std::int64_t mention_id, const std::string& reply) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  bool added = false;
  {
    OTKLIK_STORE_TRY(r, conn_.query("SELECT company_reply FROM mentions WHERE id = $1 FOR UPDATE", {mention_id}));
    if (r.rows() == 0) return Failure(errc::not_found, "mention " + std::to_string(mention_id) + " is not stored");
    OTKLIK_STORE_TRY(old, r.text(0, 0));
    if (old == reply) return false;
    added = old.empty() && !reply.empty();
  }
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE mentions SET company_reply = $2 WHERE id = $1", {mention_id, reply}));
  (void)r;
  OTKLIK_STORE_CHECK(tx.commit());
  return added;
}

Result<std::optional<StoredMention>> PgStore::mention(std::int64_t id) {
  static const std::string kSelect =
      std::string("SELECT ") + kMentionColumns + ", first_seen_at, updated_at, subject FROM mentions WHERE id = $1";
  OTKLIK_STORE_TRY(r, conn_.query(kSelect, {id}));
  if (r.rows() == 0) return std::optional<StoredMention>{};

  Row row(r, 0);
  StoredMention out;
  out.id = id;
  Mention& m = out.mention;
  m.source = row.text(0);
  m.external_id = row.text(1);
  m.url = row.text(2);
  m.author = row.text(3);
  m.author_id = row.text(4);
  m.title = row.text(5);
  const std::string text_bytes = row.bytes(6);
  m.rating = row.optional_real(7);
  m.published = from_ms(row.optional_int64(8));
  m.fetched = from_ms(row.int64(9));
  m.brand = row.text(10);
  m.company_reply = row.text(11);
  const std::string label = row.text(13);
  const double score = row.real(14);
  const double confidence = row.real(15);
  const std::string lang = row.text(16);
  const std::string sentiment_bytes = row.bytes(17);
  const std::string understanding_bytes = row.bytes(18);
  out.understanding.author_id_key = row.text(19);
  out.understanding.author_name_key = row.text(20);
  out.first_seen = from_ms(row.int64(21));
  out.updated = from_ms(row.int64(22));
  m.subject = row.text(23);
  if (auto st = row.status(); !st) return about_mention(st.error(), id);

  auto text = from_marked(text_bytes);
  if (!text) return about_mention(text.error(), id);
  m.text = std::move(*text);
  auto sentiment_json = from_marked(sentiment_bytes);
  if (!sentiment_json) return about_mention(sentiment_json.error(), id);
  if (sentiment_json->empty()) {
    out.sentiment.label = parse_label(label).value_or(Label::neutral);
    out.sentiment.score = score;
    out.sentiment.confidence = confidence;
    out.sentiment.lang = parse_lang(lang).value_or(Lang::other);
  } else {
    auto sentiment = sentiment_from_json(*sentiment_json);
    if (!sentiment) return about_mention(sentiment.error(), id);
    out.sentiment = std::move(*sentiment);
  }
  auto understood_json = from_marked(understanding_bytes);
  if (!understood_json) return about_mention(understood_json.error(), id);
  auto understood = understanding::from_json(*understood_json);
  if (!understood) return about_mention(understood.error(), id);
  std::string id_key = std::move(out.understanding.author_id_key);
  std::string name_key = std::move(out.understanding.author_name_key);
  out.understanding = std::move(*understood);
  restore_claim_texts(out.understanding, m);
  out.understanding.author_id_key = std::move(id_key);
  out.understanding.author_name_key = std::move(name_key);
  return std::optional<StoredMention>(std::move(out));
}

Result<void> PgStore::write_topics(std::int64_t mention_id, const std::vector<std::string>& topics) {
  {
    OTKLIK_STORE_TRY(r, conn_.query("DELETE FROM mention_topics WHERE mention_id = $1", {mention_id}));
    (void)r;
  }
  for (const auto& topic : topics) {
    if (topic.empty()) continue;
    OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO mention_topics (mention_id, topic) VALUES ($1, $2) "
                                    "ON CONFLICT DO NOTHING",
                                    {mention_id, topic}));
    (void)r;
  }
  return {};
}

Result<std::optional<std::int64_t>> PgStore::mention_id(const std::string& source, const std::string& external_id) {
  OTKLIK_STORE_TRY(r, conn_.query("SELECT id FROM mentions WHERE source = $1 AND external_id = $2",
                                  {source, external_id}));
  if (r.rows() == 0) return std::optional<std::int64_t>{};
  OTKLIK_STORE_TRY(id, r.int64(0, 0));
  return std::optional<std::int64_t>(id);
}

Result<std::int64_t> PgStore::mentions_total() { return counter("mentions"); }

}  // namespace otklik::store
