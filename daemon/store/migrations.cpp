#include "daemon/store/migrations.hpp"

#include "daemon/store/mention_store.hpp"
#include "daemon/store/packed_text.hpp"
#include "daemon/understanding/author.hpp"

#include <sqlite3.h>

#include <array>
#include <string>

namespace otklik::store {
namespace {

// Conventions: every *_at column is a time as integer milliseconds since the Unix epoch (UTC);
// text columns default to '' rather than NULL where the model has no "absent" state.
// Never edit a released patch: add a new one.
constexpr const char* kV1 = R"sql(
CREATE TABLE mentions (
  id              INTEGER PRIMARY KEY,
  source          TEXT NOT NULL,
  external_id     TEXT NOT NULL,
  url             TEXT NOT NULL DEFAULT '',
  author          TEXT NOT NULL DEFAULT '',
  author_id       TEXT NOT NULL DEFAULT '',
  title           TEXT NOT NULL DEFAULT '',
  text            TEXT NOT NULL DEFAULT '',
  rating          REAL,
  published_at    INTEGER,
  fetched_at      INTEGER NOT NULL,
  brand           TEXT NOT NULL DEFAULT '',
  company_reply   TEXT NOT NULL DEFAULT '',
  text_hash       TEXT NOT NULL,
  label           TEXT NOT NULL CHECK (label IN ('negative', 'neutral', 'positive')),
  score           REAL NOT NULL,
  confidence      REAL NOT NULL,
  lang            TEXT NOT NULL,
  sentiment_json  TEXT NOT NULL,
  first_seen_at   INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (source, external_id)
);
CREATE INDEX mentions_first_seen ON mentions (first_seen_at);

CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  channel          TEXT NOT NULL CHECK (length(channel) > 0),
  kind             TEXT NOT NULL CHECK (length(kind) > 0),
  payload          TEXT NOT NULL DEFAULT '',
  mention_id       INTEGER REFERENCES mentions (id),
  state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  lease_until      INTEGER,
  remote_id        TEXT,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  sent_at          INTEGER,
  dead_at          INTEGER
);
CREATE INDEX outbox_due ON outbox (channel, state, next_attempt_at);
CREATE INDEX outbox_state ON outbox (state, created_at);
CREATE INDEX outbox_mention ON outbox (mention_id);

CREATE TABLE sources_state (
  source                TEXT PRIMARY KEY,
  etag                  TEXT NOT NULL DEFAULT '',
  last_modified         TEXT NOT NULL DEFAULT '',
  polls                 INTEGER NOT NULL DEFAULT 0,
  consecutive_failures  INTEGER NOT NULL DEFAULT 0,
  last_success_at       INTEGER,
  last_attempt_at       INTEGER,
  last_error            TEXT NOT NULL DEFAULT '',
  cursor                TEXT NOT NULL DEFAULT ''
);
)sql";

// The alert lifecycle (cases and their history) and the weekly digests sent.
constexpr const char* kV2 = R"sql(
CREATE TABLE cases (
  mention_id           INTEGER PRIMARY KEY REFERENCES mentions (id),
  state                TEXT NOT NULL DEFAULT 'new'
                       CHECK (state IN ('new', 'taken', 'answered', 'resolved', 'dismissed')),
  severity             TEXT NOT NULL DEFAULT '',
  route                TEXT NOT NULL DEFAULT '',
  created_at           INTEGER NOT NULL,
  taken_by_platform    TEXT, taken_by_id TEXT, taken_by_name TEXT, taken_at INTEGER,
  answered_by_platform TEXT, answered_by_id TEXT, answered_by_name TEXT, answered_at INTEGER,
  resolved_by_platform TEXT, resolved_by_id TEXT, resolved_by_name TEXT, resolved_at INTEGER,
  dismissed_by_platform TEXT, dismissed_by_id TEXT, dismissed_by_name TEXT, dismissed_at INTEGER,
  note                 TEXT NOT NULL DEFAULT '',
  take_escalations     INTEGER NOT NULL DEFAULT 0,
  resolve_escalations  INTEGER NOT NULL DEFAULT 0,
  follow_up_sent_at    INTEGER
);
CREATE INDEX cases_state ON cases (state, created_at);

CREATE TABLE case_events (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  mention_id      INTEGER NOT NULL REFERENCES mentions (id),
  action          TEXT NOT NULL,
  actor_platform  TEXT NOT NULL DEFAULT '',
  actor_id        TEXT NOT NULL DEFAULT '',
  actor_name      TEXT NOT NULL DEFAULT '',
  note            TEXT NOT NULL DEFAULT '',
  changed         INTEGER NOT NULL,
  at              INTEGER NOT NULL
);
CREATE INDEX case_events_mention ON case_events (mention_id, at);

CREATE TABLE digests (
  week            TEXT NOT NULL,          -- ISO week, "2026-W47"
  recipients      TEXT NOT NULL,          -- the sorted, comma-joined addresses
  message_id      TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  PRIMARY KEY (week, recipients)
);
)sql";

// Understanding: what a mention's complaint is about (claims, topics, brand form, repeat
// author), who wrote it (author keys), spikes of negative volume, and source health.
constexpr const char* kV3 = R"sql(
ALTER TABLE mentions ADD COLUMN understanding_json TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN author_id_key TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN author_name_key TEXT NOT NULL DEFAULT '';
CREATE INDEX mentions_author_id ON mentions (author_id_key) WHERE author_id_key != '';
CREATE INDEX mentions_author_name ON mentions (author_name_key) WHERE author_name_key != '';
CREATE INDEX mentions_brand_label ON mentions (brand, label, first_seen_at);

CREATE TABLE mention_topics (
  mention_id  INTEGER NOT NULL REFERENCES mentions (id),
  topic       TEXT NOT NULL CHECK (length(topic) > 0),
  PRIMARY KEY (mention_id, topic)
) WITHOUT ROWID;
CREATE INDEX mention_topics_topic ON mention_topics (topic, mention_id);

CREATE TABLE spikes (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  brand       TEXT NOT NULL,              -- '' for mentions without a brand
  topic       TEXT NOT NULL,              -- '' for all topics
  started_at  INTEGER NOT NULL,
  ended_at    INTEGER,
  start_count INTEGER NOT NULL,
  peak_count  INTEGER NOT NULL,
  usual       REAL NOT NULL
);
CREATE UNIQUE INDEX spikes_active ON spikes (brand, topic) WHERE ended_at IS NULL;

ALTER TABLE sources_state ADD COLUMN empty_polls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources_state ADD COLUMN broken_since INTEGER;
ALTER TABLE sources_state ADD COLUMN broken_reason TEXT NOT NULL DEFAULT '';
)sql";

// Author keys recomputed: name keys are now the words sorted («Петров Иван» = «Иван Петров»),
// generic names with numbers give none, profile URLs drop tracking parameters. The keys come from
// the same code the daemon uses (author.hpp), registered as SQL functions below.
constexpr const char* kV4 = R"sql(
UPDATE mentions SET author_id_key = otklik_author_id_key(source, author, author_id),
                    author_name_key = otklik_author_name_key(source, author, author_id);
)sql";

// Scale: nothing periodic reads the history. Each mention keeps its event time (mention_store.hpp:
// event_time, the one rule for "when it happened") and an 8-byte content hash; only negatives keep
// the sentiment's detail; negatives are counted per brand, topic and minute for spike checks;
// cursors (the Telegram getUpdates offset) get a table of their own instead of a fake source row;
// counters replace COUNT(*) scans; the SLA timer reads only the cases due (check_at).
constexpr const char* kV5 = R"sql(
ALTER TABLE mentions ADD COLUMN event_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mentions ADD COLUMN content_hash INTEGER NOT NULL DEFAULT 0;
UPDATE mentions SET event_at = MIN(COALESCE(published_at, first_seen_at), first_seen_at),
                    content_hash = otklik_text_hash(title, text), text_hash = '';
UPDATE mentions SET sentiment_json = '' WHERE label != 'negative';
DROP INDEX mentions_first_seen;
DROP INDEX mentions_brand_label;
CREATE INDEX mentions_event ON mentions (event_at);

CREATE TABLE negative_counts (
  brand   TEXT NOT NULL,
  topic   TEXT NOT NULL,                -- '' for all topics
  minute  INTEGER NOT NULL,             -- event_at / 60000
  n       INTEGER NOT NULL,
  PRIMARY KEY (brand, topic, minute)
) WITHOUT ROWID;
INSERT INTO negative_counts (brand, topic, minute, n)
  SELECT brand, '', event_at / 60000, COUNT(*) FROM mentions WHERE label = 'negative' GROUP BY 1, 3;
INSERT INTO negative_counts (brand, topic, minute, n)
  SELECT m.brand, mt.topic, m.event_at / 60000, COUNT(*) FROM mentions m
  JOIN mention_topics mt ON mt.mention_id = m.id WHERE m.label = 'negative' GROUP BY 1, 2, 3;

CREATE TABLE cursors (
  name        TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO cursors (name, value, updated_at)
  SELECT source, cursor, COALESCE(last_success_at, 0) FROM sources_state WHERE source LIKE 'telegram:bot%';
DELETE FROM sources_state WHERE source LIKE 'telegram:bot%';

CREATE TABLE counters (
  name   TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters (name, value) SELECT 'mentions', COUNT(*) FROM mentions;
INSERT INTO counters (name, value) SELECT 'outbox_sent', COUNT(*) FROM outbox WHERE state = 'sent';
INSERT INTO counters (name, value) SELECT 'outbox_dead', COUNT(*) FROM outbox WHERE state = 'dead';

ALTER TABLE cases ADD COLUMN check_at INTEGER;
UPDATE cases SET check_at = created_at WHERE state IN ('new', 'taken', 'answered');
CREATE INDEX cases_check ON cases (check_at) WHERE check_at IS NOT NULL;
CREATE INDEX cases_created ON cases (created_at);
CREATE INDEX cases_open ON cases (created_at) WHERE state IN ('new', 'taken');

-- Partial indexes hold only what is waiting: the planner keeps using them when statistics say
-- that most rows are sent.
DROP INDEX outbox_due;
DROP INDEX outbox_state;
CREATE INDEX outbox_pending ON outbox (channel, next_attempt_at) WHERE state = 'pending';
)sql";

// A channel's "not before" (its API's Retry-After) survives a restart.
constexpr const char* kV6 = R"sql(
CREATE TABLE channel_holds (
  channel     TEXT PRIMARY KEY,
  not_before  INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Several instances sharing one database (PostgreSQL in practice; the same tables here, so that
// the roles behave alike): named leases with a fencing number, the instances' heartbeats, the
// instance holding each outbox lease, and the negative counts by minute for the leader's spike
// pass over the pairs every instance's polls touched.
constexpr const char* kV7 = R"sql(
CREATE TABLE leases (
  name        TEXT PRIMARY KEY,           -- "source:NAME", "leader"
  holder      TEXT,                       -- the instance id; NULL: free
  fence       INTEGER NOT NULL DEFAULT 0, -- raised by every claim
  expires_at  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX leases_holder ON leases (holder) WHERE holder IS NOT NULL;
CREATE TABLE instances (
  id           TEXT PRIMARY KEY,
  incarnation  TEXT NOT NULL,             -- unique per process start
  started_at   INTEGER NOT NULL,
  seen_at      INTEGER NOT NULL
) WITHOUT ROWID;
ALTER TABLE outbox ADD COLUMN leased_by TEXT;
CREATE INDEX negative_counts_minute ON negative_counts (minute);
)sql";

// The web inbox: its users and their server-side sessions (a session's user is checked and its
// sessions removed by the store, not by ON DELETE); the team's relabels; indexes that keep the
// inbox's newest-first pages on an index for its common filters (label, brand, source; topics and
// cases have theirs); full-text search over title and text. The search table is contentless
// (content='': no second copy of the texts, which may be deflated in mentions.text), keeps no
// positions (detail=none: every query is word prefixes, never phrases) nor column sizes (no
// ranking), and is kept by ingest, which deletes a mention's old words with its old text before
// indexing the new one. otklik_unpack_text() reads a possibly deflated text (registered below).
constexpr const char* kV8 = R"sql(
CREATE TABLE users (
  name           TEXT PRIMARY KEY,
  role           TEXT NOT NULL CHECK (role IN ('viewer', 'agent', 'admin')),
  password_hash  TEXT NOT NULL DEFAULT '',  -- '' = no password (sign-in through the proxy only)
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE web_sessions (
  token_hash  TEXT PRIMARY KEY,             -- hex hash of the cookie's token
  user        TEXT NOT NULL REFERENCES users (name),
  csrf        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  seen_at     INTEGER NOT NULL,
  address     TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX web_sessions_user ON web_sessions (user);
CREATE INDEX web_sessions_seen ON web_sessions (seen_at);

CREATE TABLE relabels (
  id           INTEGER PRIMARY KEY,
  mention_id   INTEGER NOT NULL REFERENCES mentions (id),
  label        TEXT NOT NULL CHECK (label IN ('negative', 'neutral', 'positive')),
  by_platform  TEXT NOT NULL DEFAULT '',
  by_id        TEXT NOT NULL DEFAULT '',
  by_name      TEXT NOT NULL DEFAULT '',
  at           INTEGER NOT NULL
);
CREATE INDEX relabels_mention ON relabels (mention_id, at);
CREATE INDEX relabels_at ON relabels (at);

CREATE INDEX mentions_label_event ON mentions (label, event_at);
CREATE INDEX mentions_brand_event ON mentions (brand, event_at);
CREATE INDEX mentions_source_event ON mentions (source, event_at);

CREATE VIRTUAL TABLE mentions_fts USING fts5 (
  title, text, content = '', detail = none, columnsize = 0,
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO mentions_fts (rowid, title, text) SELECT id, title, otklik_unpack_text(text) FROM mentions;
)sql";

// Version 9: what a review is about when one source covers several things (a marketplace's
// product, an account's location, an app): shown after the source in alerts and on the case page.
constexpr const char* kV9 = R"sql(
ALTER TABLE mentions ADD COLUMN subject TEXT NOT NULL DEFAULT '';
)sql";

// Version 10: the company's answers posted from the chat (reply_store.hpp). A reply keeps the
// mention's source (whose site it goes to), who wrote it and pressed Post, its text and state. The
// partial unique indexes are the exactly-once rule itself, whatever writes the rows: one reply of a
// mention in flight (queued) at a time, and one queued or posted reply that is not an explicit
// edit. The auto-reply pass reads the positive mentions of a source still unanswered on the site
// through a partial index of them, in first-seen order.
constexpr const char* kV10 = R"sql(
CREATE TABLE replies (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  mention_id       INTEGER NOT NULL REFERENCES mentions (id),
  source           TEXT NOT NULL,
  channel          TEXT NOT NULL DEFAULT '',
  actor_platform   TEXT NOT NULL DEFAULT '',
  actor_id         TEXT NOT NULL DEFAULT '',
  actor_name       TEXT NOT NULL DEFAULT '',
  text             TEXT NOT NULL,
  state            TEXT NOT NULL DEFAULT 'preview'
                   CHECK (state IN ('preview', 'queued', 'posted', 'failed', 'cancelled')),
  edit             INTEGER NOT NULL DEFAULT 0 CHECK (edit IN (0, 1)),
  automatic        INTEGER NOT NULL DEFAULT 0 CHECK (automatic IN (0, 1)),
  preview_message  TEXT NOT NULL DEFAULT '',
  site_answer_id   TEXT NOT NULL DEFAULT '',
  error            TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  posted_at        INTEGER
);
CREATE INDEX replies_mention ON replies (mention_id, id);
CREATE UNIQUE INDEX replies_queued ON replies (mention_id) WHERE state = 'queued';
CREATE UNIQUE INDEX replies_answer ON replies (mention_id) WHERE state IN ('queued', 'posted') AND edit = 0;
CREATE INDEX mentions_unanswered_positive ON mentions (source, first_seen_at)
  WHERE label = 'positive' AND company_reply = '';
)sql";

constexpr std::array kMigrations{
    Migration{1, kV1},
    Migration{2, kV2},
    Migration{3, kV3},
    Migration{4, kV4},
    Migration{5, kV5},
    Migration{6, kV6},
    Migration{7, kV7},
    Migration{8, kV8},
    Migration{9, kV9},
    Migration{10, kV10},
};

std::string_view text_arg(sqlite3_value* v) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
  return p == nullptr ? std::string_view{} : std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(v)));
}

template <bool kName>
void author_key_function(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 3) {
    sqlite3_result_error(ctx, "expected (source, author, author_id)", -1);
    return;
  }
  const auto keys = understanding::author_keys(text_arg(argv[0]), text_arg(argv[1]), text_arg(argv[2]));
  const std::string& key = kName ? keys.name_key : keys.id_key;
  sqlite3_result_text(ctx, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
}

void text_hash_function(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 2) {
    sqlite3_result_error(ctx, "expected (title, text)", -1);
    return;
  }
  Mention m;
  m.title = std::string(text_arg(argv[0]));
  m.text = std::string(text_arg(argv[1]));
  sqlite3_result_int64(ctx, text_hash(m));
}

/// A mention's text as it reads (packed_text.hpp): a deflated BLOB unpacked, plain text as it is. A
/// text that does not unpack reads as '' (ingest's re-index treats it the same way: sqlite_search.hpp).
void unpack_text_function(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 1) {
    sqlite3_result_error(ctx, "expected (text)", -1);
    return;
  }
  if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
    const std::string_view t = text_arg(argv[0]);
    sqlite3_result_text(ctx, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
    return;
  }
  const auto* p = static_cast<const char*>(sqlite3_value_blob(argv[0]));
  const auto text = unpack(std::string_view(p == nullptr ? "" : p, static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))));
  const std::string& out = text ? *text : std::string();
  sqlite3_result_text(ctx, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

/// The functions schema patches may call: otklik_author_id_key / otklik_author_name_key(source,
/// author, author_id), otklik_text_hash(title, text) and otklik_unpack_text(text).
Result<void> register_functions(sqlite::Database& db) {
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY;
  if (sqlite3_create_function_v2(db.handle(), "otklik_text_hash", 2, kFlags, nullptr, &text_hash_function, nullptr,
                                 nullptr, nullptr) != SQLITE_OK)
    return Failure(errc::store_failed, db.path() + ": cannot register otklik_text_hash: " + sqlite3_errmsg(db.handle()));
  if (sqlite3_create_function_v2(db.handle(), "otklik_unpack_text", 1, kFlags, nullptr, &unpack_text_function, nullptr,
                                 nullptr, nullptr) != SQLITE_OK)
    return Failure(errc::store_failed, db.path() + ": cannot register otklik_unpack_text: " + sqlite3_errmsg(db.handle()));
  for (auto [name, fn] : {std::pair{"otklik_author_id_key", &author_key_function<false>},
                          std::pair{"otklik_author_name_key", &author_key_function<true>}}) {
    if (sqlite3_create_function_v2(db.handle(), name, 3, kFlags, nullptr, fn, nullptr, nullptr, nullptr) != SQLITE_OK)
      return Failure(errc::store_failed, db.path() + ": cannot register " + name + ": " + sqlite3_errmsg(db.handle()));
  }
  return {};
}

}  // namespace

std::span<const Migration> migrations() noexcept { return kMigrations; }

int latest_schema_version() noexcept { return kMigrations.back().version; }

Result<void> migrate(sqlite::Database& db, std::span<const Migration> patches, int latest) {
  if (auto r = register_functions(db); !r) return r.error();
  for (;;) {
    // The version is read inside the write transaction, so two processes opening the same new
    // file at once cannot both apply a patch.
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) return tx.error();
    auto version = db.query_int64("PRAGMA user_version");
    if (!version) return version.error();
    if (*version > latest) {
      return Failure(errc::store_failed, db.path() + ": database schema version " + std::to_string(*version) +
                                             " is newer than this build supports (" + std::to_string(latest) + ")");
    }
    if (*version == latest) return tx->commit();

    const Migration* next = nullptr;
    for (const Migration& m : patches) {
      if (m.version > *version) {
        next = &m;
        break;
      }
    }
    if (next == nullptr || next->version != *version + 1) {
      return Failure(errc::store_failed, db.path() + ": no schema patch from version " + std::to_string(*version));
    }
    if (auto r = db.exec(next->sql); !r) {
      Failure f = r.error();
      f.detail = db.path() + ": schema patch " + std::to_string(next->version) + " failed: " + f.detail;
      return f;
    }
    if (auto r = db.exec("PRAGMA user_version = " + std::to_string(next->version)); !r) return r.error();
    if (auto r = tx->commit(); !r) return r.error();
  }
}

}  // namespace otklik::store
