#include "daemon/store/pg/migrations.hpp"

#include "daemon/store/pg/failure.hpp"
#include "daemon/store/pg/transaction.hpp"

#include <array>
#include <string>

namespace otklik::store::pg {
namespace {

// The SQLite patches (daemon/store/migrations.cpp) translated, version for version: INTEGER
// columns are BIGINT (SQLite's integers are 64-bit), INTEGER PRIMARY KEY [AUTOINCREMENT] is
// BIGSERIAL, REAL is DOUBLE PRECISION, WITHOUT ROWID tables are plain tables, partial indexes
// stay partial. The columns that hold packed texts (packed_text.hpp: a mention's text and its
// sentiment and understanding JSON, zlib BLOBs in SQLite's TEXT columns) are BYTEA. Every *_at
// column is integer milliseconds since the Unix epoch, UTC. Never edit a released patch.
constexpr const char* kV1 = R"sql(
CREATE TABLE mentions (
  id              BIGSERIAL PRIMARY KEY,
  source          TEXT NOT NULL,
  external_id     TEXT NOT NULL,
  url             TEXT NOT NULL DEFAULT '',
  author          TEXT NOT NULL DEFAULT '',
  author_id       TEXT NOT NULL DEFAULT '',
  title           TEXT NOT NULL DEFAULT '',
  text            BYTEA NOT NULL DEFAULT '',
  rating          DOUBLE PRECISION,
  published_at    BIGINT,
  fetched_at      BIGINT NOT NULL,
  brand           TEXT NOT NULL DEFAULT '',
  company_reply   TEXT NOT NULL DEFAULT '',
  text_hash       TEXT NOT NULL,
  label           TEXT NOT NULL CHECK (label IN ('negative', 'neutral', 'positive')),
  score           DOUBLE PRECISION NOT NULL,
  confidence      DOUBLE PRECISION NOT NULL,
  lang            TEXT NOT NULL,
  sentiment_json  BYTEA NOT NULL,
  first_seen_at   BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  UNIQUE (source, external_id)
);
CREATE INDEX mentions_first_seen ON mentions (first_seen_at);

CREATE TABLE outbox (
  id               BIGSERIAL PRIMARY KEY,
  channel          TEXT NOT NULL CHECK (length(channel) > 0),
  kind             TEXT NOT NULL CHECK (length(kind) > 0),
  payload          TEXT NOT NULL DEFAULT '',
  mention_id       BIGINT REFERENCES mentions (id),
  state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
  attempts         BIGINT NOT NULL DEFAULT 0,
  next_attempt_at  BIGINT NOT NULL,
  lease_until      BIGINT,
  remote_id        TEXT,
  last_error       TEXT,
  created_at       BIGINT NOT NULL,
  sent_at          BIGINT,
  dead_at          BIGINT
);
CREATE INDEX outbox_due ON outbox (channel, state, next_attempt_at);
CREATE INDEX outbox_state ON outbox (state, created_at);
CREATE INDEX outbox_mention ON outbox (mention_id);

CREATE TABLE sources_state (
  source                TEXT PRIMARY KEY,
  etag                  TEXT NOT NULL DEFAULT '',
  last_modified         TEXT NOT NULL DEFAULT '',
  polls                 BIGINT NOT NULL DEFAULT 0,
  consecutive_failures  BIGINT NOT NULL DEFAULT 0,
  last_success_at       BIGINT,
  last_attempt_at       BIGINT,
  last_error            TEXT NOT NULL DEFAULT '',
  cursor                TEXT NOT NULL DEFAULT ''
);
)sql";

constexpr const char* kV2 = R"sql(
CREATE TABLE cases (
  mention_id           BIGINT PRIMARY KEY REFERENCES mentions (id),
  state                TEXT NOT NULL DEFAULT 'new'
                       CHECK (state IN ('new', 'taken', 'answered', 'resolved', 'dismissed')),
  severity             TEXT NOT NULL DEFAULT '',
  route                TEXT NOT NULL DEFAULT '',
  created_at           BIGINT NOT NULL,
  taken_by_platform    TEXT, taken_by_id TEXT, taken_by_name TEXT, taken_at BIGINT,
  answered_by_platform TEXT, answered_by_id TEXT, answered_by_name TEXT, answered_at BIGINT,
  resolved_by_platform TEXT, resolved_by_id TEXT, resolved_by_name TEXT, resolved_at BIGINT,
  dismissed_by_platform TEXT, dismissed_by_id TEXT, dismissed_by_name TEXT, dismissed_at BIGINT,
  note                 TEXT NOT NULL DEFAULT '',
  take_escalations     BIGINT NOT NULL DEFAULT 0,
  resolve_escalations  BIGINT NOT NULL DEFAULT 0,
  follow_up_sent_at    BIGINT
);
CREATE INDEX cases_state ON cases (state, created_at);

CREATE TABLE case_events (
  id              BIGSERIAL PRIMARY KEY,
  mention_id      BIGINT NOT NULL REFERENCES mentions (id),
  action          TEXT NOT NULL,
  actor_platform  TEXT NOT NULL DEFAULT '',
  actor_id        TEXT NOT NULL DEFAULT '',
  actor_name      TEXT NOT NULL DEFAULT '',
  note            TEXT NOT NULL DEFAULT '',
  changed         BIGINT NOT NULL,
  at              BIGINT NOT NULL
);
CREATE INDEX case_events_mention ON case_events (mention_id, at);

CREATE TABLE digests (
  week            TEXT NOT NULL,          -- ISO week, "2026-W47"
  recipients      TEXT NOT NULL,          -- the sorted, comma-joined addresses
  message_id      TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts        BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error      TEXT NOT NULL DEFAULT '',
  created_at      BIGINT NOT NULL,
  sent_at         BIGINT,
  PRIMARY KEY (week, recipients)
);
)sql";

constexpr const char* kV3 = R"sql(
ALTER TABLE mentions ADD COLUMN understanding_json BYTEA NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN author_id_key TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN author_name_key TEXT NOT NULL DEFAULT '';
CREATE INDEX mentions_author_id ON mentions (author_id_key) WHERE author_id_key != '';
CREATE INDEX mentions_author_name ON mentions (author_name_key) WHERE author_name_key != '';
CREATE INDEX mentions_brand_label ON mentions (brand, label, first_seen_at);

CREATE TABLE mention_topics (
  mention_id  BIGINT NOT NULL REFERENCES mentions (id),
  topic       TEXT NOT NULL CHECK (length(topic) > 0),
  PRIMARY KEY (mention_id, topic)
);
CREATE INDEX mention_topics_topic ON mention_topics (topic, mention_id);

CREATE TABLE spikes (
  id          BIGSERIAL PRIMARY KEY,
  brand       TEXT NOT NULL,              -- '' for mentions without a brand
  topic       TEXT NOT NULL,              -- '' for all topics
  started_at  BIGINT NOT NULL,
  ended_at    BIGINT,
  start_count BIGINT NOT NULL,
  peak_count  BIGINT NOT NULL,
  usual       DOUBLE PRECISION NOT NULL
);
CREATE UNIQUE INDEX spikes_active ON spikes (brand, topic) WHERE ended_at IS NULL;

ALTER TABLE sources_state ADD COLUMN empty_polls BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sources_state ADD COLUMN broken_since BIGINT;
ALTER TABLE sources_state ADD COLUMN broken_reason TEXT NOT NULL DEFAULT '';
)sql";

// SQLite's patches 4 and 5 recompute author keys and content hashes with the daemon's own code
// (SQL functions registered by migrate()). PostgreSQL cannot call it, and needs not: this backend
// starts at version 6, so no PostgreSQL database holds mentions written before these patches. A
// database that does is refused rather than left with wrong keys.
constexpr const char* kV4 = R"sql(
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM mentions) THEN
    RAISE EXCEPTION 'schema patch 4 recomputes author keys with the daemon''s code: '
                    'migrate this database with SQLite, or start from an empty one';
  END IF;
END
$$;
)sql";

constexpr const char* kV5 = R"sql(
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM mentions) THEN
    RAISE EXCEPTION 'schema patch 5 computes content hashes with the daemon''s code: '
                    'migrate this database with SQLite, or start from an empty one';
  END IF;
END
$$;
ALTER TABLE mentions ADD COLUMN event_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE mentions ADD COLUMN content_hash BIGINT NOT NULL DEFAULT 0;
UPDATE mentions SET event_at = LEAST(COALESCE(published_at, first_seen_at), first_seen_at), text_hash = '';
UPDATE mentions SET sentiment_json = '' WHERE label != 'negative';
DROP INDEX mentions_first_seen;
DROP INDEX mentions_brand_label;
CREATE INDEX mentions_event ON mentions (event_at);

CREATE TABLE negative_counts (
  brand   TEXT NOT NULL,
  topic   TEXT NOT NULL,                -- '' for all topics
  minute  BIGINT NOT NULL,              -- event_at / 60000
  n       BIGINT NOT NULL,
  PRIMARY KEY (brand, topic, minute)
);
INSERT INTO negative_counts (brand, topic, minute, n)
  SELECT brand, '', event_at / 60000, COUNT(*) FROM mentions WHERE label = 'negative' GROUP BY 1, 3;
INSERT INTO negative_counts (brand, topic, minute, n)
  SELECT m.brand, mt.topic, m.event_at / 60000, COUNT(*) FROM mentions m
  JOIN mention_topics mt ON mt.mention_id = m.id WHERE m.label = 'negative' GROUP BY 1, 2, 3;

CREATE TABLE cursors (
  name        TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  updated_at  BIGINT NOT NULL
);
INSERT INTO cursors (name, value, updated_at)
  SELECT source, cursor, COALESCE(last_success_at, 0) FROM sources_state WHERE source LIKE 'telegram:bot%';
DELETE FROM sources_state WHERE source LIKE 'telegram:bot%';

CREATE TABLE counters (
  name   TEXT PRIMARY KEY,
  value  BIGINT NOT NULL
);
INSERT INTO counters (name, value) SELECT 'mentions', COUNT(*) FROM mentions;
INSERT INTO counters (name, value) SELECT 'outbox_sent', COUNT(*) FROM outbox WHERE state = 'sent';
INSERT INTO counters (name, value) SELECT 'outbox_dead', COUNT(*) FROM outbox WHERE state = 'dead';

ALTER TABLE cases ADD COLUMN check_at BIGINT;
UPDATE cases SET check_at = created_at WHERE state IN ('new', 'taken', 'answered');
CREATE INDEX cases_check ON cases (check_at) WHERE check_at IS NOT NULL;
CREATE INDEX cases_created ON cases (created_at);
CREATE INDEX cases_open ON cases (created_at) WHERE state IN ('new', 'taken');

DROP INDEX outbox_due;
DROP INDEX outbox_state;
CREATE INDEX outbox_pending ON outbox (channel, next_attempt_at) WHERE state = 'pending';
)sql";

constexpr const char* kV6 = R"sql(
CREATE TABLE channel_holds (
  channel     TEXT PRIMARY KEY,
  not_before  BIGINT NOT NULL
);
)sql";

// Several instances on this database: named leases with a fencing number, the instances'
// heartbeats, the instance holding each outbox lease, and the negative counts by minute for the
// leader's spike pass over the pairs every instance's polls touched.
constexpr const char* kV7 = R"sql(
CREATE TABLE leases (
  name        TEXT PRIMARY KEY,           -- "source:NAME", "leader"
  holder      TEXT,                       -- the instance id; NULL: free
  fence       BIGINT NOT NULL DEFAULT 0,  -- raised by every claim
  expires_at  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX leases_holder ON leases (holder) WHERE holder IS NOT NULL;
CREATE TABLE instances (
  id           TEXT PRIMARY KEY,
  incarnation  TEXT NOT NULL,             -- unique per process start
  started_at   BIGINT NOT NULL,
  seen_at      BIGINT NOT NULL
);
ALTER TABLE outbox ADD COLUMN leased_by TEXT;
CREATE INDEX negative_counts_minute ON negative_counts (minute);
)sql";

// The web inbox: its users and their server-side sessions, the team's relabels, the indexes of
// the inbox's newest-first pages and full-text search. As SQLite's patch 8, said the PostgreSQL
// way:
// - an index (x, event_at) in SQLite ends with the rowid; here the id is named, so that a keyset
//   page ((event_at, id) < cursor, newest first) is one range of the index for no filter, a label,
//   a brand or a source. mentions_event and cases_created become (event_at, id) and
//   (created_at, mention_id) under their names (the live feed pages through cases the same way);
// - search: SQLite's contentless FTS5 table is a tsvector column of mentions with a GIN index.
//   Its words are cut and folded in C++ (pg/search_words.hpp), since texts are BYTEA that may be
//   deflated and PostgreSQL's parser depends on the database's ctype. This patch cannot compute
//   them: the rows it finds are NULL and filled by the store after migrating (pg/search_index.hpp),
//   through the partial index of the rows still to fill;
// - `user` is a reserved word in PostgreSQL: the column keeps SQLite's name, quoted.
constexpr const char* kV8 = R"sql(
CREATE TABLE users (
  name           TEXT PRIMARY KEY,
  role           TEXT NOT NULL CHECK (role IN ('viewer', 'agent', 'admin')),
  password_hash  TEXT NOT NULL DEFAULT '',  -- '' = no password (sign-in through the proxy only)
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL
);

CREATE TABLE web_sessions (
  token_hash  TEXT PRIMARY KEY,             -- hex hash of the cookie's token
  "user"      TEXT NOT NULL REFERENCES users (name),
  csrf        TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  seen_at     BIGINT NOT NULL,
  address     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX web_sessions_user ON web_sessions ("user");
CREATE INDEX web_sessions_seen ON web_sessions (seen_at);

CREATE TABLE relabels (
  id           BIGSERIAL PRIMARY KEY,
  mention_id   BIGINT NOT NULL REFERENCES mentions (id),
  label        TEXT NOT NULL CHECK (label IN ('negative', 'neutral', 'positive')),
  by_platform  TEXT NOT NULL DEFAULT '',
  by_id        TEXT NOT NULL DEFAULT '',
  by_name      TEXT NOT NULL DEFAULT '',
  at           BIGINT NOT NULL
);
CREATE INDEX relabels_mention ON relabels (mention_id, at);
CREATE INDEX relabels_at ON relabels (at);

DROP INDEX mentions_event;
CREATE INDEX mentions_event ON mentions (event_at, id);
CREATE INDEX mentions_label_event ON mentions (label, event_at, id);
CREATE INDEX mentions_brand_event ON mentions (brand, event_at, id);
CREATE INDEX mentions_source_event ON mentions (source, event_at, id);
DROP INDEX cases_created;
CREATE INDEX cases_created ON cases (created_at, mention_id);

ALTER TABLE mentions ADD COLUMN search TSVECTOR;
CREATE INDEX mentions_search ON mentions USING gin (search);
CREATE INDEX mentions_search_missing ON mentions (id) WHERE search IS NULL;
)sql";

// Version 9: what a review is about when one source covers several things (a marketplace's
// product, an account's location, an app).
constexpr const char* kV9 = R"sql(
ALTER TABLE mentions ADD COLUMN subject TEXT NOT NULL DEFAULT '';
)sql";

// Version 10: the replies (reply_store.hpp). The partial unique indexes hold the exactly-once rule
// for every session at once: two instances queueing replies of one mention at the same moment
// cannot both commit a queued row (the second waits for the first's index entry, then fails with a
// unique violation). PgStore also locks the mention row while it decides (FOR NO KEY UPDATE), so
// that a racing queue sees the winner's row and answers busy / already_posted instead of failing.
constexpr const char* kV10 = R"sql(
CREATE TABLE replies (
  id               BIGSERIAL PRIMARY KEY,
  mention_id       BIGINT NOT NULL REFERENCES mentions (id),
  source           TEXT NOT NULL,
  channel          TEXT NOT NULL DEFAULT '',
  actor_platform   TEXT NOT NULL DEFAULT '',
  actor_id         TEXT NOT NULL DEFAULT '',
  actor_name       TEXT NOT NULL DEFAULT '',
  text             TEXT NOT NULL,
  state            TEXT NOT NULL DEFAULT 'preview'
                   CHECK (state IN ('preview', 'queued', 'posted', 'failed', 'cancelled')),
  edit             BIGINT NOT NULL DEFAULT 0 CHECK (edit IN (0, 1)),
  automatic        BIGINT NOT NULL DEFAULT 0 CHECK (automatic IN (0, 1)),
  preview_message  TEXT NOT NULL DEFAULT '',
  site_answer_id   TEXT NOT NULL DEFAULT '',
  error            TEXT NOT NULL DEFAULT '',
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL,
  posted_at        BIGINT
);
CREATE INDEX replies_mention ON replies (mention_id, id);
CREATE UNIQUE INDEX replies_queued ON replies (mention_id) WHERE state = 'queued';
CREATE UNIQUE INDEX replies_answer ON replies (mention_id) WHERE state IN ('queued', 'posted') AND edit = 0;
CREATE INDEX mentions_unanswered_positive ON mentions (source, first_seen_at, id)
  WHERE label = 'positive' AND company_reply = '';
)sql";

constexpr std::array kMigrations{
    Migration{1, kV1}, Migration{2, kV2}, Migration{3, kV3}, Migration{4, kV4},
    Migration{5, kV5}, Migration{6, kV6}, Migration{7, kV7}, Migration{8, kV8}, Migration{9, kV9},
    Migration{10, kV10},
};

constexpr const char* kCreateVersionTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_version (
  version     INTEGER PRIMARY KEY,
  applied_at  BIGINT NOT NULL           -- milliseconds since the Unix epoch, UTC
)
)sql";

/// Holds the migration's advisory lock and statement_timeout; gives both back when destroyed.
class MigrationSession {
 public:
  explicit MigrationSession(Connection& conn) noexcept : conn_(conn), previous_(conn.statement_timeout()) {}
  MigrationSession(const MigrationSession&) = delete;
  MigrationSession& operator=(const MigrationSession&) = delete;
  ~MigrationSession() {
    if (!conn_.ok()) return;  // the server let go of the lock with the session
    if (locked_) (void)conn_.query("SELECT pg_advisory_unlock($1::bigint)", {kMigrationLockKey});
    (void)conn_.set_statement_timeout(previous_);
  }

  Result<void> start(std::chrono::milliseconds timeout) {
    if (auto r = conn_.set_statement_timeout(timeout); !r) return r;
    if (auto r = conn_.query("SELECT pg_advisory_lock($1::bigint)", {kMigrationLockKey}); !r) return r.error();
    locked_ = true;
    return {};
  }

 private:
  Connection& conn_;
  std::chrono::milliseconds previous_;
  bool locked_ = false;
};

Failure migration_failure(const Connection& conn, std::string message) {
  return make_failure(errc::store_failed, conn.describe(), message);
}

}  // namespace

std::span<const Migration> migrations() noexcept { return kMigrations; }

int latest_schema_version() noexcept { return kMigrations.back().version; }

Result<int> schema_version(Connection& conn) {
  auto exists = conn.query("SELECT to_regclass('schema_version') IS NOT NULL");
  if (!exists) return exists.error();
  auto yes = exists->boolean(0, 0);
  if (!yes) return yes.error();
  if (!*yes) return 0;
  auto r = conn.query("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!r) return r.error();
  auto v = r->int64(0, 0);
  if (!v) return v.error();
  return static_cast<int>(*v);
}

Result<int> migrate(Connection& conn, std::span<const Migration> patches, int latest,
                    std::chrono::milliseconds timeout) {
  MigrationSession session(conn);
  if (auto r = session.start(timeout); !r) return r.error();
  if (auto r = conn.exec(kCreateVersionTable); !r) return r.error();

  int applied = 0;
  for (;;) {
    auto version = schema_version(conn);
    if (!version) return version.error();
    if (*version > latest) {
      return migration_failure(conn, "database schema version " + std::to_string(*version) +
                                         " is newer than this build supports (" + std::to_string(latest) + ")");
    }
    if (*version == latest) return applied;

    const Migration* next = nullptr;
    for (const Migration& m : patches) {
      if (m.version > *version) {
        next = &m;
        break;
      }
    }
    if (next == nullptr || next->version != *version + 1)
      return migration_failure(conn, "no schema patch from version " + std::to_string(*version));

    auto tx = Transaction::begin(conn);
    if (!tx) return tx.error();
    if (auto r = conn.exec(next->sql); !r) {
      Failure f = r.error();
      std::string_view why = f.detail;
      if (why.starts_with(conn.describe() + ": ")) why.remove_prefix(conn.describe().size() + 2);
      f.detail = conn.describe() + ": schema patch " + std::to_string(next->version) + " failed: " + std::string(why);
      return f;
    }
    if (auto r = conn.query("INSERT INTO schema_version (version, applied_at) "
                            "VALUES ($1::integer, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)",
                            {next->version});
        !r)
      return r.error();
    if (auto r = tx->commit(); !r) return r.error();
    ++applied;
  }
}

}  // namespace otklik::store::pg
