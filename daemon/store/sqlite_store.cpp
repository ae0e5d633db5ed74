#include "daemon/store/sqlite_store.hpp"

#include "daemon/store/migrations.hpp"
#include "daemon/store/sentiment_json.hpp"
#include "daemon/store/store_detail.hpp"
#include "daemon/understanding/understanding_json.hpp"

#include <filesystem>
#include <system_error>

namespace otklik {
namespace {

using sqlite::Statement;
using sqlite::Transaction;
using store::from_ms;
using store::to_ms;

/// What "same text" means for an edit: title and text, separated so ("ab","c") != ("a","bc").
std::string text_hash(const Mention& m) {
  std::string key;
  key.reserve(m.title.size() + m.text.size() + 1);
  key += m.title;
  key.push_back('\x1f');
  key += m.text;
  return sha256_hex(key);
}

bool is_file_path(const std::string& path) {
  return !path.empty() && path != ":memory:";
}

Failure at_path(Failure f, const std::string& path) {
  f.detail = path + ": " + f.detail;
  return f;
}

constexpr const char* kMentionColumns =
    "source, external_id, url, author, author_id, title, text, rating, published_at, fetched_at, brand, "
    "company_reply, text_hash, label, score, confidence, lang, sentiment_json, understanding_json, "
    "author_id_key, author_name_key";

/// Binds the 21 columns of kMentionColumns as ?1..?21.
void bind_mention(Statement& st, const Mention& m, const Sentiment& s, const understanding::Understanding& u,
                  const std::string& hash) {
  st.bind(1, m.source);
  st.bind(2, m.external_id);
  st.bind(3, m.url);
  st.bind(4, m.author);
  st.bind(5, m.author_id);
  st.bind(6, m.title);
  st.bind(7, m.text);
  st.bind(8, m.rating);
  st.bind(9, to_ms(m.published));
  st.bind(10, to_ms(m.fetched));
  st.bind(11, m.brand);
  st.bind(12, m.company_reply);
  st.bind(13, hash);
  st.bind(14, to_string(s.label));
  st.bind(15, s.score);
  st.bind(16, s.confidence);
  st.bind(17, to_string(s.lang));
  st.bind(18, store::sentiment_to_json(s));
  st.bind(19, understanding::to_json(u));
  st.bind(20, u.author_id_key);
  st.bind(21, u.author_name_key);
}

struct Existing {
  std::int64_t id = 0;
  std::string hash;
  std::optional<double> rating;
  std::string company_reply;
  Label label = Label::neutral;
};

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, Clock& clock) {
  return open(path, clock, Options{});
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, Clock& clock, Options options) {
  if (is_file_path(path)) {
    const auto parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) return Failure(errc::store_failed, "cannot create folder " + parent.string() + ": " + ec.message());
  }
  auto db = sqlite::Database::open(path);
  if (!db) return db.error();
  db->set_busy_timeout(options.busy_timeout);

  // busy_timeout first, so that switching to WAL waits for another opener's lock.
  auto mode = db->query_text("PRAGMA journal_mode = WAL");
  if (!mode) return at_path(mode.error(), path);
  if (*mode != "wal" && *mode != "memory") {
    return Failure(errc::store_failed, path + ": cannot switch to WAL journal mode (still '" + *mode + "')");
  }
  // NORMAL, never OFF: in WAL mode NORMAL loses no committed transaction on a process crash.
  // journal_size_limit: the WAL file is truncated back to 64 MiB after a checkpoint that emptied it.
  if (auto r = db->exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
                        "PRAGMA journal_size_limit = 67108864;");
      !r) {
    return at_path(r.error(), path);
  }
  if (auto r = store::migrate(*db); !r) return r.error();
  auto fk = db->query_int64("PRAGMA foreign_keys");
  if (!fk) return at_path(fk.error(), path);
  if (*fk != 1) return Failure(errc::store_failed, path + ": SQLite refused foreign_keys = ON");
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*db), clock));
}

// --- mentions -------------------------------------------------------------------------------

Result<IngestResult> SqliteStore::ingest(const Mention& m, const Sentiment& s, const understanding::Understanding& u,
                                         const AlertPolicy& policy) {
  const TimePoint now = clock_.now();
  const std::string hash = text_hash(m);
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));

  std::optional<Existing> existing;
  {
    OTKLIK_STORE_TRY(st, db_.cached("SELECT id, text_hash, rating, company_reply, label FROM mentions "
                                    "WHERE source = ?1 AND external_id = ?2"));
    st->bind(1, m.source);
    st->bind(2, m.external_id);
    OTKLIK_STORE_TRY(row, st->step());
    if (row) {
      existing = Existing{st->int64(0), st->text(1), st->optional_real(2), st->text(3),
                          parse_label(st->text(4)).value_or(Label::neutral)};
    }
  }

  IngestResult result;
  if (!existing) {
    static const std::string kInsert = std::string("INSERT INTO mentions (") + kMentionColumns +
                                       ", first_seen_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                                       "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?22)";
    OTKLIK_STORE_TRY(st, db_.cached(kInsert));
    bind_mention(*st, m, s, u, hash);
    st->bind(22, to_ms(now));
    OTKLIK_STORE_CHECK(st->run());
    result.outcome = IngestOutcome::inserted;
    result.mention_id = db_.last_insert_rowid();
    result.reply_added = !m.company_reply.empty();
    OTKLIK_STORE_CHECK(write_topics(result.mention_id, u.topics));
    if (s.label == Label::negative && policy.alert_new) {
      OTKLIK_STORE_CHECK(queue_alerts(policy, result.mention_id, now, result.alerts_queued));
    }
  } else if (existing->hash == hash && existing->rating == m.rating) {
    result.outcome = IngestOutcome::unchanged;
    result.mention_id = existing->id;
    result.reply_added = existing->company_reply.empty() && !m.company_reply.empty();
    if (existing->company_reply != m.company_reply) {
      // The company answered (or edited its answer): keep it, but this is not an edit of the review.
      OTKLIK_STORE_TRY(st, db_.cached("UPDATE mentions SET company_reply = ?2 WHERE id = ?1"));
      st->bind(1, existing->id);
      st->bind(2, m.company_reply);
      OTKLIK_STORE_CHECK(st->run());
    }
  } else {
    OTKLIK_STORE_TRY(st, db_.cached("UPDATE mentions SET url = ?3, author = ?4, author_id = ?5, title = ?6, "
                                    "text = ?7, rating = ?8, published_at = ?9, fetched_at = ?10, brand = ?11, "
                                    "company_reply = ?12, text_hash = ?13, label = ?14, score = ?15, "
                                    "confidence = ?16, lang = ?17, sentiment_json = ?18, understanding_json = ?19, "
                                    "author_id_key = ?20, author_name_key = ?21, updated_at = ?22 WHERE id = ?23"));
    bind_mention(*st, m, s, u, hash);
    st->bind(22, to_ms(now));
    st->bind(23, existing->id);
    OTKLIK_STORE_CHECK(st->run());
    OTKLIK_STORE_CHECK(write_topics(existing->id, u.topics));
    result.outcome = IngestOutcome::updated;
    result.mention_id = existing->id;
    result.previous_label = existing->label;
    result.reply_added = existing->company_reply.empty() && !m.company_reply.empty();
    if (s.label == Label::negative && existing->label != Label::negative) {
      OTKLIK_STORE_CHECK(queue_alerts(policy, result.mention_id, now, result.alerts_queued));
    }
  }
  OTKLIK_STORE_CHECK(tx.commit());
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

Result<std::optional<StoredMention>> SqliteStore::mention(std::int64_t id) {
  static const std::string kSelect =
      std::string("SELECT ") + kMentionColumns + ", first_seen_at, updated_at FROM mentions WHERE id = ?1";
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
  m.text = st->text(6);
  m.rating = st->optional_real(7);
  m.published = from_ms(st->optional_int64(8));
  m.fetched = from_ms(st->int64(9));
  m.brand = st->text(10);
  m.company_reply = st->text(11);
  auto sentiment = store::sentiment_from_json(st->text(17));
  if (!sentiment) {
    Failure f = sentiment.error();
    f.detail = "mention " + std::to_string(id) + ": " + f.detail;
    return f;
  }
  out.sentiment = std::move(*sentiment);
  auto understood = understanding::from_json(st->text(18));
  if (!understood) {
    Failure f = understood.error();
    f.detail = "mention " + std::to_string(id) + ": " + f.detail;
    return f;
  }
  out.understanding = std::move(*understood);
  out.first_seen = from_ms(st->int64(21));
  out.updated = from_ms(st->int64(22));
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

Result<std::int64_t> SqliteStore::mentions_total() {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT COUNT(*) FROM mentions"));
  OTKLIK_STORE_TRY(row, st->step());
  return row ? st->int64(0) : 0;
}

// --- sources --------------------------------------------------------------------------------

Result<SourceState> SqliteStore::source_state(const std::string& source) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT etag, last_modified, polls, consecutive_failures, last_success_at, "
                                  "last_attempt_at, last_error, cursor, empty_polls, broken_since, broken_reason "
                                  "FROM sources_state WHERE source = ?1"));
  st->bind(1, source);
  SourceState out;
  out.source = source;
  OTKLIK_STORE_TRY(row, st->step());
  if (!row) return out;
  out.etag = st->text(0);
  out.last_modified = st->text(1);
  out.polls = st->int64(2);
  out.consecutive_failures = st->int64(3);
  out.last_success = from_ms(st->optional_int64(4));
  out.last_attempt = from_ms(st->optional_int64(5));
  out.last_error = st->text(6);
  out.cursor = st->text(7);
  out.empty_polls = st->int64(8);
  out.broken_since = from_ms(st->optional_int64(9));
  out.broken_reason = st->text(10);
  return out;
}

Result<void> SqliteStore::save_source_state(const SourceState& state) { return save_source_state(state, {}); }

Result<void> SqliteStore::save_source_state(const SourceState& state, const std::vector<AlertRequest>& notices) {
  const TimePoint now = clock_.now();
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  {
    OTKLIK_STORE_TRY(st, db_.cached(
                             "INSERT INTO sources_state (source, etag, last_modified, polls, consecutive_failures, "
                             "last_success_at, last_attempt_at, last_error, cursor, empty_polls, broken_since, "
                             "broken_reason) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (source) DO UPDATE SET "
                             "etag = excluded.etag, last_modified = excluded.last_modified, polls = excluded.polls, "
                             "consecutive_failures = excluded.consecutive_failures, "
                             "last_success_at = excluded.last_success_at, last_attempt_at = excluded.last_attempt_at, "
                             "last_error = excluded.last_error, cursor = excluded.cursor, "
                             "empty_polls = excluded.empty_polls, broken_since = excluded.broken_since, "
                             "broken_reason = excluded.broken_reason"));
    st->bind(1, state.source);
    st->bind(2, state.etag);
    st->bind(3, state.last_modified);
    st->bind(4, state.polls);
    st->bind(5, state.consecutive_failures);
    st->bind(6, to_ms(state.last_success));
    st->bind(7, to_ms(state.last_attempt));
    st->bind(8, state.last_error);
    st->bind(9, state.cursor);
    st->bind(10, state.empty_polls);
    st->bind(11, to_ms(state.broken_since));
    st->bind(12, state.broken_reason);
    OTKLIK_STORE_CHECK(st->run());
  }
  for (const AlertRequest& n : notices) {
    OTKLIK_STORE_TRY(id, insert_outbox(n, 0, now));
    (void)id;
  }
  return tx.commit();
}

}  // namespace otklik
