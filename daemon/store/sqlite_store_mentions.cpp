// SqliteStore: the mentions role — ingest (one item or a batch, with its alerts, case and spike
// counts in the same transaction), the batched "already stored?" check, and reading a mention.
#include "daemon/store/sqlite_store.hpp"

#include "daemon/store/packed_text.hpp"
#include "daemon/store/sentiment_json.hpp"
#include "daemon/store/sqlite_search.hpp"
#include "daemon/store/stored_understanding.hpp"
#include "daemon/store/prepared_row.hpp"
#include "daemon/store/store_detail.hpp"
#include "daemon/understanding/understanding_json.hpp"

#include <boost/json.hpp>

#include <openssl/evp.h>

#include <cstring>
#include <stdexcept>

namespace otklik {

std::int64_t text_hash(const Mention& m) {
  struct Ctx {
    EVP_MD_CTX* p = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(p); }
  } ctx;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (ctx.p == nullptr || EVP_DigestInit_ex(ctx.p, EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.p, m.title.data(), m.title.size()) != 1 || EVP_DigestUpdate(ctx.p, "\x1f", 1) != 1 ||
      EVP_DigestUpdate(ctx.p, m.text.data(), m.text.size()) != 1 || EVP_DigestFinal_ex(ctx.p, digest, &size) != 1)
    throw std::runtime_error("SHA-256 is not available");
  std::int64_t out = 0;
  std::memcpy(&out, digest, sizeof out);
  return out;
}

namespace {

using sqlite::Statement;
using sqlite::Transaction;
using store::from_ms;
using store::restore_claim_texts;
using store::stored_understanding;
using store::to_ms;

constexpr const char* kMentionColumns =
    "source, external_id, url, author, author_id, title, text, rating, published_at, fetched_at, brand, "
    "company_reply, content_hash, label, score, confidence, lang, sentiment_json, understanding_json, "
    "author_id_key, author_name_key";

/// Binds the 21 columns of kMentionColumns as ?1..?21. Only negatives keep the sentiment's
/// sentences and "why" (what alerts show); the scorer is deterministic for the rest.
void bind_mention(Statement& st, const Mention& m, const Sentiment& s, const understanding::Understanding& u,
                  const PreparedRow& row) {
  st.bind(1, m.source);
  st.bind(2, m.external_id);
  st.bind(3, m.url);
  st.bind(4, m.author);
  st.bind(5, m.author_id);
  st.bind(6, m.title);
  store::bind_prepacked(st, 7, m.text, row.packed_text);
  st.bind(8, m.rating);
  st.bind(9, to_ms(m.published));
  st.bind(10, to_ms(m.fetched));
  st.bind(11, m.brand);
  st.bind(12, m.company_reply);
  st.bind(13, row.text_hash);
  st.bind(14, to_string(s.label));
  st.bind(15, s.score);
  st.bind(16, s.confidence);
  st.bind(17, to_string(s.lang));
  store::bind_prepacked(st, 18, row.sentiment_json, row.packed_sentiment);
  store::bind_prepacked(st, 19, row.understanding_json, row.packed_understanding);
  st.bind(20, u.author_id_key);
  st.bind(21, u.author_name_key);
}

struct Existing {
  std::int64_t id = 0;
  std::int64_t hash = 0;
  std::optional<double> rating;
  std::string company_reply;
  Label label = Label::neutral;
  std::string brand;
  std::int64_t event_at = 0;
};

/// A savepoint inside the caller's transaction: one item of a batch fails alone.
class Savepoint {
 public:
  static Result<Savepoint> begin(sqlite::Database& db) {
    if (auto r = db.exec("SAVEPOINT item"); !r) return r.error();
    return Savepoint(db);
  }
  Savepoint(Savepoint&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}
  Savepoint& operator=(Savepoint&&) = delete;
  ~Savepoint() {
    if (db_ != nullptr) {
      (void)db_->exec("ROLLBACK TO item");
      (void)db_->exec("RELEASE item");
    }
  }
  Result<void> release() {
    auto r = db_->exec("RELEASE item");
    if (r) db_ = nullptr;
    return r;
  }

 private:
  explicit Savepoint(sqlite::Database& db) : db_(&db) {}
  sqlite::Database* db_;
};

}  // namespace

Result<IngestResult> SqliteStore::ingest(const Mention& m, const Sentiment& s, const understanding::Understanding& u,
                                         const AlertPolicy& policy) {
  const TimePoint now = clock_.now();
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  OTKLIK_STORE_TRY(result, ingest_one(m, s, u, policy, now));
  if (result.outcome == IngestOutcome::inserted) OTKLIK_STORE_CHECK(bump_counter("mentions", 1));
  OTKLIK_STORE_CHECK(tx.commit());
  return result;
}

Result<std::vector<Result<IngestResult>>> SqliteStore::ingest_batch(const std::vector<IngestItem>& items,
                                                                    const std::optional<LeaseFence>& fence) {
  if (items.empty()) return std::vector<Result<IngestResult>>{};
  const TimePoint now = clock_.now();
  return store::fast_then_isolated([&](bool isolated) { return ingest_all(items, fence, now, isolated); });
}

Result<std::vector<Result<IngestResult>>> SqliteStore::ingest_all(const std::vector<IngestItem>& items,
                                                                  const std::optional<LeaseFence>& fence,
                                                                  TimePoint now, bool isolated) {
  std::vector<Result<IngestResult>> out;
  out.reserve(items.size());
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  OTKLIK_STORE_CHECK(check_fence(fence));
  for (const IngestItem& item : items) {
    if (!isolated) {
      OTKLIK_STORE_TRY(r, ingest_one(item.mention, item.sentiment, item.understanding, item.policy, now,
                                     item.prepared));
      out.emplace_back(std::move(r));
      continue;
    }
    auto sp = Savepoint::begin(db_);
    if (!sp) return sp.error();
    auto r = ingest_one(item.mention, item.sentiment, item.understanding, item.policy, now, item.prepared);
    if (r) {
      if (auto released = sp->release(); !released) return released.error();
    }
    out.push_back(std::move(r));
  }
  if (const std::int64_t inserted = store::inserted_in(out); inserted > 0)
    OTKLIK_STORE_CHECK(bump_counter("mentions", inserted));
  OTKLIK_STORE_CHECK(tx.commit());
  return out;
}

Result<IngestResult> SqliteStore::ingest_one(const Mention& m, const Sentiment& s,
                                             const understanding::Understanding& u, const AlertPolicy& policy,
                                             TimePoint now, const PreparedRow& prepared) {
  PreparedRow scratch;
  const PreparedRow& row = store::complete_row(prepared, m, s, u, scratch);
  const std::int64_t hash = row.text_hash;
  std::optional<Existing> existing;
  {
    OTKLIK_STORE_TRY(st, db_.cached("SELECT id, content_hash, rating, company_reply, label, brand, event_at "
                                    "FROM mentions WHERE source = ?1 AND external_id = ?2"));
    st->bind(1, m.source);
    st->bind(2, m.external_id);
    OTKLIK_STORE_TRY(row, st->step());
    if (row) {
      existing = Existing{st->int64(0), st->int64(1), st->optional_real(2), st->text(3),
                          parse_label(st->text(4)).value_or(Label::neutral), st->text(5), st->int64(6)};
    }
  }

  IngestResult result;
  if (!existing) {
    const std::int64_t event_ms = to_ms(event_time(m.published, now));
    static const std::string kInsert = std::string("INSERT INTO mentions (") + kMentionColumns +
                                       ", text_hash, first_seen_at, updated_at, event_at, subject) VALUES (?1, ?2, ?3, "
                                       "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
                                       "?21, '', ?22, ?22, ?23, ?24)";
    OTKLIK_STORE_TRY(st, db_.cached(kInsert));
    bind_mention(*st, m, s, u, row);
    st->bind(22, to_ms(now));
    st->bind(23, event_ms);
    st->bind(24, m.subject);
    OTKLIK_STORE_CHECK(st->run());
    result.outcome = IngestOutcome::inserted;
    result.mention_id = db_.last_insert_rowid();
    result.reply_added = !m.company_reply.empty();
    OTKLIK_STORE_CHECK(write_topics(result.mention_id, u.topics));
    OTKLIK_STORE_CHECK(store::index_words(db_, result.mention_id, m.title, m.text));
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
      OTKLIK_STORE_TRY(st, db_.cached("UPDATE mentions SET company_reply = ?2 WHERE id = ?1"));
      st->bind(1, existing->id);
      st->bind(2, m.company_reply);
      OTKLIK_STORE_CHECK(st->run());
    }
    return result;
  }

  // An edit: the counts of the old version come out, those of the new one go in.
  std::vector<std::string> old_topics;
  if (existing->label == Label::negative) {
    OTKLIK_STORE_TRY(tp, db_.cached("SELECT topic FROM mention_topics WHERE mention_id = ?1"));
    tp->bind(1, existing->id);
    for (;;) {
      OTKLIK_STORE_TRY(row, tp->step());
      if (!row) break;
      old_topics.push_back(tp->text(0));
    }
  }
  // The words indexed for the old version (the search table keeps no copy of them): a text that
  // does not unpack was indexed as "" (migrations.cpp: otklik_unpack_text).
  struct Before {
    std::int64_t first_seen = 0;
    std::string title;
    std::string text;
  };
  OTKLIK_STORE_TRY(before, [&]() -> Result<Before> {
    OTKLIK_STORE_TRY(st, db_.cached("SELECT first_seen_at, title, text FROM mentions WHERE id = ?1"));
    st->bind(1, existing->id);
    OTKLIK_STORE_TRY(row, st->step());
    Before b;
    b.first_seen = to_ms(now);
    if (!row) return b;
    b.first_seen = st->int64(0);
    b.title = st->text(1);
    if (auto text = store::read_text(*st, 2)) b.text = std::move(*text);
    return b;
  }());
  const std::int64_t event_ms = to_ms(event_time(m.published, from_ms(before.first_seen)));
  if (before.title != m.title || before.text != m.text) {
    OTKLIK_STORE_CHECK(store::unindex_words(db_, existing->id, before.title, before.text));
    OTKLIK_STORE_CHECK(store::index_words(db_, existing->id, m.title, m.text));
  }
  {
    OTKLIK_STORE_TRY(st, db_.cached("UPDATE mentions SET url = ?3, author = ?4, author_id = ?5, title = ?6, "
                                    "text = ?7, rating = ?8, published_at = ?9, fetched_at = ?10, brand = ?11, "
                                    "company_reply = ?12, content_hash = ?13, label = ?14, score = ?15, "
                                    "confidence = ?16, lang = ?17, sentiment_json = ?18, understanding_json = ?19, "
                                    "author_id_key = ?20, author_name_key = ?21, updated_at = ?22, event_at = ?24, "
                                    "subject = ?25 WHERE id = ?23"));
    bind_mention(*st, m, s, u, row);
    st->bind(22, to_ms(now));
    st->bind(23, existing->id);
    st->bind(24, event_ms);
    st->bind(25, m.subject);
    OTKLIK_STORE_CHECK(st->run());
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

Result<void> SqliteStore::queue_alerts(const AlertPolicy& policy, std::int64_t mention_id, TimePoint now,
                                       int& queued) {
  int here = 0;
  for (const AlertRequest& a : policy.alerts) {
    OTKLIK_STORE_CHECK(insert_outbox(a, mention_id, now));
    ++here;
  }
  queued += here;
  if (policy.open_case && here > 0) OTKLIK_STORE_CHECK(open_case(policy, mention_id, now));
  return {};
}

Result<void> SqliteStore::count_negative(const std::string& brand, const std::vector<std::string>& topics,
                                         std::int64_t event_ms, int delta) {
  const std::int64_t minute = event_ms >= 0 ? event_ms / 60000 : (event_ms - 59999) / 60000;
  auto add = [&](const std::string& topic) -> Result<void> {
    OTKLIK_STORE_TRY(st, db_.cached("INSERT INTO negative_counts (brand, topic, minute, n) VALUES (?1, ?2, ?3, ?4) "
                                    "ON CONFLICT (brand, topic, minute) DO UPDATE SET n = n + excluded.n"));
    st->bind(1, brand);
    st->bind(2, topic);
    st->bind(3, minute);
    st->bind(4, delta);
    return st->run();
  };
  OTKLIK_STORE_CHECK(add(""));
  for (const auto& t : topics)
    if (!t.empty()) OTKLIK_STORE_CHECK(add(t));
  return {};
}

Result<std::vector<KnownItem>> SqliteStore::known(const std::string& source,
                                                  const std::vector<std::string>& external_ids) {
  std::vector<KnownItem> out;
  if (external_ids.empty()) return out;
  boost::json::array ids;
  ids.reserve(external_ids.size());
  for (const auto& id : external_ids) ids.emplace_back(id);
  // One query, one index lookup per id (the unique index on source, external_id).
  OTKLIK_STORE_TRY(st, db_.cached("SELECT external_id, id, content_hash, rating, company_reply, label FROM mentions "
                                  "WHERE source = ?1 AND external_id IN (SELECT value FROM json_each(?2))"));
  st->bind(1, source);
  st->bind(2, boost::json::serialize(ids));
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    KnownItem k;
    k.external_id = st->text(0);
    k.mention_id = st->int64(1);
    k.text_hash = st->int64(2);
    k.rating = st->optional_real(3);
    k.company_reply = st->text(4);
    k.label = parse_label(st->text(5)).value_or(Label::neutral);
    out.push_back(std::move(k));
  }
  return out;
}

Result<bool> SqliteStore::update_reply(std::int64_t mention_id, const std::string& reply) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  bool added = false;
  {
    OTKLIK_STORE_TRY(st, db_.cached("SELECT company_reply FROM mentions WHERE id = ?1"));
    st->bind(1, mention_id);
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) return Failure(errc::not_found, "mention " + std::to_string(mention_id) + " is not stored");
    const std::string old = st->text(0);
    if (old == reply) return false;
    added = old.empty() && !reply.empty();
  }
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE mentions SET company_reply = ?2 WHERE id = ?1"));
  st->bind(1, mention_id);
  st->bind(2, reply);
  OTKLIK_STORE_CHECK(st->run());
  OTKLIK_STORE_CHECK(tx.commit());
  return added;
}

Result<std::optional<StoredMention>> SqliteStore::mention(std::int64_t id) {
  static const std::string kSelect =
      std::string("SELECT ") + kMentionColumns + ", first_seen_at, updated_at, subject FROM mentions WHERE id = ?1";
  OTKLIK_STORE_TRY(st, db_.cached(kSelect));
  st->bind(1, id);
  OTKLIK_STORE_TRY(row, st->step());
  if (!row) return std::optional<StoredMention>{};

  StoredMention out;
  out.id = id;
  Mention& m = out.mention;
  m.source = st->text(0);
  m.external_id = st->text(1);
  m.url = st->text(2);
  m.author = st->text(3);
  m.author_id = st->text(4);
  m.title = st->text(5);
  auto text = store::read_text(*st, 6);
  if (!text) {
    Failure f = text.error();
    f.detail = "mention " + std::to_string(id) + ": " + f.detail;
    return f;
  }
  m.text = std::move(*text);
  m.rating = st->optional_real(7);
  m.published = from_ms(st->optional_int64(8));
  m.fetched = from_ms(st->int64(9));
  m.brand = st->text(10);
  m.company_reply = st->text(11);
  auto sentiment_json = store::read_text(*st, 17);
  if (!sentiment_json) {
    Failure f = sentiment_json.error();
    f.detail = "mention " + std::to_string(id) + ": " + f.detail;
    return f;
  }
  if (sentiment_json->empty()) {
    out.sentiment.label = parse_label(st->text(13)).value_or(Label::neutral);
    out.sentiment.score = st->real(14);
    out.sentiment.confidence = st->real(15);
    out.sentiment.lang = parse_lang(st->text(16)).value_or(Lang::other);
  } else {
    auto sentiment = store::sentiment_from_json(*sentiment_json);
    if (!sentiment) {
      Failure f = sentiment.error();
      f.detail = "mention " + std::to_string(id) + ": " + f.detail;
      return f;
    }
    out.sentiment = std::move(*sentiment);
  }
  auto understood_json = store::read_text(*st, 18);
  if (!understood_json) {
    Failure f = understood_json.error();
    f.detail = "mention " + std::to_string(id) + ": " + f.detail;
    return f;
  }
  auto understood = understanding::from_json(*understood_json);
  if (!understood) {
    Failure f = understood.error();
    f.detail = "mention " + std::to_string(id) + ": " + f.detail;
    return f;
  }
  out.understanding = std::move(*understood);
  restore_claim_texts(out.understanding, m);
  out.understanding.author_id_key = st->text(19);
  out.understanding.author_name_key = st->text(20);
  out.first_seen = from_ms(st->int64(21));
  out.updated = from_ms(st->int64(22));
  m.subject = st->text(23);
  return std::optional<StoredMention>(std::move(out));
}

Result<void> SqliteStore::write_topics(std::int64_t mention_id, const std::vector<std::string>& topics) {
  {
    OTKLIK_STORE_TRY(del, db_.cached("DELETE FROM mention_topics WHERE mention_id = ?1"));
    del->bind(1, mention_id);
    OTKLIK_STORE_CHECK(del->run());
  }
  for (const auto& topic : topics) {
    if (topic.empty()) continue;
    OTKLIK_STORE_TRY(ins, db_.cached("INSERT OR IGNORE INTO mention_topics (mention_id, topic) VALUES (?1, ?2)"));
    ins->bind(1, mention_id);
    ins->bind(2, topic);
    OTKLIK_STORE_CHECK(ins->run());
  }
  return {};
}

Result<std::optional<std::int64_t>> SqliteStore::mention_id(const std::string& source, const std::string& external_id) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT id FROM mentions WHERE source = ?1 AND external_id = ?2"));
  st->bind(1, source);
  st->bind(2, external_id);
  OTKLIK_STORE_TRY(row, st->step());
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>(st->int64(0));
}

Result<std::int64_t> SqliteStore::mentions_total() { return counter("mentions"); }

}  // namespace otklik
