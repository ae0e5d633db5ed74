// SqliteStore: opening the database, the source-state and cursor roles, and named counters.
#include "daemon/store/sqlite_store.hpp"

#include "daemon/store/migrations.hpp"
#include "daemon/store/store_detail.hpp"

#include <filesystem>
#include <system_error>

namespace otklik {
namespace {

using sqlite::Transaction;
using store::from_ms;
using store::to_ms;

bool is_file_path(const std::string& path) { return !path.empty() && path != ":memory:"; }

Failure at_path(Failure f, const std::string& path) {
  f.detail = path + ": " + f.detail;
  return f;
}

constexpr const char* kStateColumns =
    "source, etag, last_modified, polls, consecutive_failures, last_success_at, last_attempt_at, last_error, cursor, "
    "empty_polls, broken_since, broken_reason";

SourceState read_state(const sqlite::Statement& st) {
  SourceState out;
  out.source = st.text(0);
  out.etag = st.text(1);
  out.last_modified = st.text(2);
  out.polls = st.int64(3);
  out.consecutive_failures = st.int64(4);
  out.last_success = from_ms(st.optional_int64(5));
  out.last_attempt = from_ms(st.optional_int64(6));
  out.last_error = st.text(7);
  out.cursor = st.text(8);
  out.empty_polls = st.int64(9);
  out.broken_since = from_ms(st.optional_int64(10));
  out.broken_reason = st.text(11);
  return out;
}

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

  // A new file gets 8 KiB pages: a mention with its detail is 1–2 KiB, so 4 KiB pages would hold
  // one or two and leave a third empty. (An existing file keeps its page size.)
  if (auto r = db->exec("PRAGMA page_size = 8192"); !r) return at_path(r.error(), path);
  // busy_timeout first, so that switching to WAL waits for another opener's lock.
  auto mode = db->query_text("PRAGMA journal_mode = WAL");
  if (!mode) return at_path(mode.error(), path);
  if (*mode != "wal" && *mode != "memory") {
    return Failure(errc::store_failed, path + ": cannot switch to WAL journal mode (still '" + *mode + "')");
  }
  // NORMAL, never OFF: in WAL mode NORMAL loses no committed transaction on a process crash.
  // journal_size_limit: the WAL file is truncated back to 64 MiB after a checkpoint that emptied it.
  // cache_size / mmap_size: the working set (indexes of recent mentions, the outbox, the counts)
  // stays in memory without growing the process with the history.
  if (auto r = db->exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
                        "PRAGMA journal_size_limit = 67108864; PRAGMA temp_store = MEMORY; "
                        "PRAGMA cache_size = -" + std::to_string(std::max<std::int64_t>(options.cache_kib, 256)) +
                        "; PRAGMA mmap_size = " + std::to_string(std::max<std::int64_t>(options.mmap_bytes, 0)) + ";");
      !r) {
    return at_path(r.error(), path);
  }
  if (auto r = store::migrate(*db); !r) return r.error();
  auto fk = db->query_int64("PRAGMA foreign_keys");
  if (!fk) return at_path(fk.error(), path);
  if (*fk != 1) return Failure(errc::store_failed, path + ": SQLite refused foreign_keys = ON");
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(*db), clock));
  if (options.background_checkpoints && is_file_path(path)) {
    auto c = sqlite::WalCheckpointer::start(store->db_);
    if (!c) return at_path(c.error(), path);
    store->checkpointer_ = std::move(*c);
  }
  return store;
}

// --- counters -----------------------------------------------------------------------------

Result<void> SqliteStore::bump_counter(std::string_view name, std::int64_t delta) {
  OTKLIK_STORE_TRY(st, db_.cached("INSERT INTO counters (name, value) VALUES (?1, ?2) "
                                  "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value"));
  st->bind(1, name);
  st->bind(2, delta);
  return st->run();
}

Result<std::int64_t> SqliteStore::counter(std::string_view name) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT value FROM counters WHERE name = ?1"));
  st->bind(1, name);
  OTKLIK_STORE_TRY(row, st->step());
  return row ? st->int64(0) : 0;
}

// --- sources --------------------------------------------------------------------------------

Result<SourceState> SqliteStore::source_state(const std::string& source) {
  static const std::string kSelect = std::string("SELECT ") + kStateColumns + " FROM sources_state WHERE source = ?1";
  OTKLIK_STORE_TRY(st, db_.cached(kSelect));
  st->bind(1, source);
  OTKLIK_STORE_TRY(row, st->step());
  if (!row) {
    SourceState out;
    out.source = source;
    return out;
  }
  return read_state(*st);
}

Result<std::vector<SourceState>> SqliteStore::source_states() {
  static const std::string kSelect = std::string("SELECT ") + kStateColumns + " FROM sources_state ORDER BY source";
  OTKLIK_STORE_TRY(st, db_.cached(kSelect));
  std::vector<SourceState> out;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    out.push_back(read_state(*st));
  }
  return out;
}

Result<void> SqliteStore::write_source_state(const SourceState& state) {
  static const std::string kUpsert =
      std::string("INSERT INTO sources_state (") + kStateColumns +
      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (source) DO UPDATE SET "
      "etag = excluded.etag, last_modified = excluded.last_modified, polls = excluded.polls, "
      "consecutive_failures = excluded.consecutive_failures, "
      "last_success_at = excluded.last_success_at, last_attempt_at = excluded.last_attempt_at, "
      "last_error = excluded.last_error, cursor = excluded.cursor, "
      "empty_polls = excluded.empty_polls, broken_since = excluded.broken_since, "
      "broken_reason = excluded.broken_reason";
  OTKLIK_STORE_TRY(st, db_.cached(kUpsert));
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
  return st->run();
}

Result<void> SqliteStore::save_source_state(const SourceState& state, const std::vector<AlertRequest>& notices) {
  const TimePoint now = clock_.now();
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  OTKLIK_STORE_CHECK(check_fence(state.lease));
  OTKLIK_STORE_CHECK(write_source_state(state));
  for (const AlertRequest& n : notices) {
    OTKLIK_STORE_TRY(id, insert_outbox(n, 0, now));
    (void)id;
  }
  return tx.commit();
}

Result<void> SqliteStore::save_source_states(const std::vector<SourceState>& states) {
  if (states.empty()) return {};
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  for (const SourceState& state : states) {
    // A state whose lease moved on is left to the instance that holds it now.
    if (state.lease) {
      OTKLIK_STORE_TRY(holds, fence_holds(*state.lease));
      if (!holds) continue;
    }
    OTKLIK_STORE_CHECK(write_source_state(state));
  }
  return tx.commit();
}

// --- cursors --------------------------------------------------------------------------------

Result<std::optional<std::string>> SqliteStore::cursor(const std::string& name) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT value FROM cursors WHERE name = ?1"));
  st->bind(1, name);
  OTKLIK_STORE_TRY(row, st->step());
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>(st->text(0));
}

Result<void> SqliteStore::save_cursor(const std::string& name, const std::string& value, TimePoint now) {
  OTKLIK_STORE_TRY(st, db_.cached("INSERT INTO cursors (name, value, updated_at) VALUES (?1, ?2, ?3) "
                                  "ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
                                  "updated_at = excluded.updated_at"));
  st->bind(1, name);
  st->bind(2, value);
  st->bind(3, to_ms(now));
  return st->run();
}

}  // namespace otklik
