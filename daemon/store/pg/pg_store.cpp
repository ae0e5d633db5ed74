// PgStore: opening the session, the source-state and cursor roles, and named counters.
#include "daemon/store/pg/pg_store.hpp"

#include "daemon/store/pg/migrations.hpp"
#include "daemon/store/pg/row.hpp"
#include "daemon/store/pg/search_index.hpp"
#include "daemon/store/pg/transaction.hpp"
#include "daemon/store/store_detail.hpp"

#include <algorithm>

namespace otklik::store {
namespace {

using pg::Row;
using pg::Transaction;

constexpr const char* kStateColumns =
    "source, etag, last_modified, polls, consecutive_failures, last_success_at, last_attempt_at, last_error, cursor, "
    "empty_polls, broken_since, broken_reason";

Result<SourceState> read_state(const pg::QueryResult& r, int i) {
  Row row(r, i);
  SourceState out;
  out.source = row.text(0);
  out.etag = row.text(1);
  out.last_modified = row.text(2);
  out.polls = row.int64(3);
  out.consecutive_failures = row.int64(4);
  out.last_success = from_ms(row.optional_int64(5));
  out.last_attempt = from_ms(row.optional_int64(6));
  out.last_error = row.text(7);
  out.cursor = row.text(8);
  out.empty_polls = row.int64(9);
  out.broken_since = from_ms(row.optional_int64(10));
  out.broken_reason = row.text(11);
  OTKLIK_STORE_CHECK(row.status());
  return out;
}

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::open(const pg::ConnectOptions& options, Clock& clock) {
  OTKLIK_STORE_TRY(conn, pg::Connection::connect(options));
  OTKLIK_STORE_TRY(applied, pg::migrate(conn));
  (void)applied;
  // Mentions without search words (stored before schema version 8, or by an older build during
  // an upgrade) are made searchable before the store serves: a lookup of an empty partial index
  // when there are none.
  OTKLIK_STORE_TRY(filled, pg::fill_missing_search(conn));
  (void)filled;
  return std::unique_ptr<PgStore>(new PgStore(std::move(conn), clock));
}

// --- counters -----------------------------------------------------------------------------

// Each instance adds to a row of its own ("mentions@a"): one row for all would be locked by every
// storing transaction of every instance until it commits, and they would queue behind each other.
// A count is the sum of the name's rows ("mentions", from a copy or a single instance, included).

Result<void> PgStore::bump_counter(std::string_view name, std::int64_t delta) {
  std::string row(name);
  if (!instance_.empty()) row += "@" + instance_;
  OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO counters (name, value) VALUES ($1, $2) "
                                  "ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value",
                                  {row, delta}));
  (void)r;
  return {};
}

Result<std::int64_t> PgStore::counter(std::string_view name) {
  // A handful of rows (a few names, one per instance): read whole.
  OTKLIK_STORE_TRY(r, conn_.query("SELECT COALESCE(SUM(value), 0)::BIGINT FROM counters "
                                  "WHERE split_part(name, '@', 1) = $1",
                                  {name}));
  return r.int64(0, 0);
}

// --- sources --------------------------------------------------------------------------------

Result<SourceState> PgStore::source_state(const std::string& source) {
  static const std::string kSelect = std::string("SELECT ") + kStateColumns + " FROM sources_state WHERE source = $1";
  OTKLIK_STORE_TRY(r, conn_.query(kSelect, {source}));
  if (r.rows() == 0) {
    SourceState out;
    out.source = source;
    return out;
  }
  return read_state(r, 0);
}

Result<std::vector<SourceState>> PgStore::source_states() {
  // COLLATE "C": byte order, as SQLite sorts.
  static const std::string kSelect =
      std::string("SELECT ") + kStateColumns + " FROM sources_state ORDER BY source COLLATE \"C\"";
  OTKLIK_STORE_TRY(r, conn_.query(kSelect));
  std::vector<SourceState> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    OTKLIK_STORE_TRY(state, read_state(r, i));
    out.push_back(std::move(state));
  }
  return out;
}

Result<void> PgStore::write_source_state(const SourceState& state) {
  static const std::string kUpsert =
      std::string("INSERT INTO sources_state (") + kStateColumns +
      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (source) DO UPDATE SET "
      "etag = excluded.etag, last_modified = excluded.last_modified, polls = excluded.polls, "
      "consecutive_failures = excluded.consecutive_failures, "
      "last_success_at = excluded.last_success_at, last_attempt_at = excluded.last_attempt_at, "
      "last_error = excluded.last_error, cursor = excluded.cursor, "
      "empty_polls = excluded.empty_polls, broken_since = excluded.broken_since, "
      "broken_reason = excluded.broken_reason";
  OTKLIK_STORE_TRY(r, conn_.query(kUpsert, {state.source, state.etag, state.last_modified, state.polls,
                                            state.consecutive_failures, to_ms(state.last_success),
                                            to_ms(state.last_attempt), state.last_error, state.cursor,
                                            state.empty_polls, to_ms(state.broken_since), state.broken_reason}));
  (void)r;
  return {};
}

Result<void> PgStore::queue_notices(const std::vector<AlertRequest>& notices, TimePoint now) {
  for (const AlertRequest& n : notices) OTKLIK_STORE_CHECK(insert_outbox(n, 0, now));
  return {};
}

Result<void> PgStore::save_source_state(const SourceState& state, const std::vector<AlertRequest>& notices) {
  const TimePoint now = clock_.now();
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  OTKLIK_STORE_CHECK(check_fence(state.lease));
  OTKLIK_STORE_CHECK(write_source_state(state));
  OTKLIK_STORE_CHECK(queue_notices(notices, now));
  return tx.commit();
}

Result<void> PgStore::save_source_states(const std::vector<SourceState>& states) {
  if (states.empty()) return {};
  // The fenced ones in lease-name order (byte order): renew_leases locks the same rows in that
  // order, so the two cannot deadlock.
  std::vector<const SourceState*> ordered;
  ordered.reserve(states.size());
  for (const SourceState& state : states) ordered.push_back(&state);
  std::stable_sort(ordered.begin(), ordered.end(), [](const SourceState* a, const SourceState* b) {
    const std::string_view x = a->lease ? std::string_view(a->lease->name) : std::string_view();
    const std::string_view y = b->lease ? std::string_view(b->lease->name) : std::string_view();
    return x < y;
  });
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  for (const SourceState* s : ordered) {
    const SourceState& state = *s;
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

Result<std::optional<std::string>> PgStore::cursor(const std::string& name) {
  OTKLIK_STORE_TRY(r, conn_.query("SELECT value FROM cursors WHERE name = $1", {name}));
  if (r.rows() == 0) return std::optional<std::string>{};
  OTKLIK_STORE_TRY(value, r.text(0, 0));
  return std::optional<std::string>(std::move(value));
}

Result<void> PgStore::save_cursor(const std::string& name, const std::string& value, TimePoint now) {
  OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO cursors (name, value, updated_at) VALUES ($1, $2, $3) "
                                  "ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
                                  "updated_at = excluded.updated_at",
                                  {name, value, to_ms(now)}));
  (void)r;
  return {};
}

}  // namespace otklik::store
