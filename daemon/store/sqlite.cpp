#include "daemon/store/sqlite.hpp"

#include <sqlite3.h>

#include <limits>

namespace otklik::sqlite {
namespace {

constexpr std::size_t kSqlInMessages = 60;  ///< characters of SQL quoted in an error message

Failure make_failure(sqlite3* db, int rc, std::string_view context) {
  std::string detail = "sqlite: ";
  if (!context.empty()) {
    detail.append(context.substr(0, kSqlInMessages));
    if (context.size() > kSqlInMessages) detail += "…";
    detail += ": ";
  }
  detail += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  detail += " (" + std::to_string(rc) + ")";
  return Failure(errc::store_failed, std::move(detail));
}

int text_size(std::string_view s) {
  // SQLite takes an int length; strings near 2 GiB never reach the store (size caps upstream).
  return s.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ? std::numeric_limits<int>::max()
                                                                               : static_cast<int>(s.size());
}

}  // namespace

// --- Statement ------------------------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      work_(std::exchange(other.work_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    count_work();
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    work_ = std::exchange(other.work_, nullptr);
  }
  return *this;
}

Statement::~Statement() {
  count_work();
  sqlite3_finalize(stmt_);
}

void Statement::count_work() noexcept {
  if (work_ == nullptr || stmt_ == nullptr) return;
  const int steps = sqlite3_stmt_status(stmt_, SQLITE_STMTSTATUS_VM_STEP, 1);
  if (steps == 0) return;  // not run since the last count
  work_->vm_steps.fetch_add(static_cast<std::uint64_t>(steps), std::memory_order_relaxed);
  work_->fullscan_steps.fetch_add(
      static_cast<std::uint64_t>(sqlite3_stmt_status(stmt_, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1)),
      std::memory_order_relaxed);
  work_->sorts.fetch_add(static_cast<std::uint64_t>(sqlite3_stmt_status(stmt_, SQLITE_STMTSTATUS_SORT, 1)),
                         std::memory_order_relaxed);
  work_->runs.fetch_add(1, std::memory_order_relaxed);
}

void Statement::bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
void Statement::bind(int index, double value) { sqlite3_bind_double(stmt_, index, value); }
void Statement::bind(int index, std::string_view value) {
  // A non-null pointer even for "" so that the value is '' and not NULL.
  sqlite3_bind_text(stmt_, index, value.empty() ? "" : value.data(), text_size(value), SQLITE_TRANSIENT);
}
void Statement::bind_null(int index) { sqlite3_bind_null(stmt_, index); }
void Statement::bind_blob(int index, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, index, bytes.empty() ? "" : bytes.data(), text_size(bytes), SQLITE_TRANSIENT);
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return make_failure(db_, rc, sql());
}

Result<void> Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) return r.error();
    if (!*r) return {};
  }
}

void Statement::reset() noexcept {
  count_work();
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
bool Statement::is_blob(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_BLOB; }

std::string Statement::bytes(int column) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  if (p == nullptr) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}
std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::optional<double> Statement::optional_real(int column) const {
  if (is_null(column)) return std::nullopt;
  return real(column);
}

std::string_view Statement::sql() const {
  const char* s = sqlite3_sql(stmt_);
  return s != nullptr ? std::string_view(s) : std::string_view();
}

// --- Database -------------------------------------------------------------------------------

Database::Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      group_(std::exchange(other.group_, {})),
      work_(std::move(other.work_)),
      cache_(std::move(other.cache_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    group_ = std::exchange(other.group_, {});
    work_ = std::move(other.work_);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

Database::~Database() { close(); }

void Database::close() noexcept {
  cache_.clear();  // statements must be finalized before the connection closes
  if (db_ != nullptr) sqlite3_close(db_);
  db_ = nullptr;
}

namespace {

Result<sqlite3*> open_handle(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Failure f = make_failure(db, rc, "open " + path);
    sqlite3_close(db);
    return f;
  }
  sqlite3_extended_result_codes(db, 1);
  return db;
}

}  // namespace

Result<Database> Database::open(const std::string& path) {
  auto db = open_handle(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db) return db.error();
  return Database(*db, path);
}

Result<Database> Database::open_read_only(const std::string& path) {
  auto db = open_handle(path, SQLITE_OPEN_READONLY);
  if (!db) return db.error();
  return Database(*db, path);
}

Result<void> Database::exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  std::string detail = "sqlite: " + text.substr(0, kSqlInMessages) + ": " +
                       (message != nullptr ? message : sqlite3_errstr(rc)) + " (" + std::to_string(rc) + ")";
  sqlite3_free(message);
  return Failure(errc::store_failed, std::move(detail));
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), text_size(sql), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return make_failure(db_, rc, sql);
  return Statement(db_, stmt, work_.get());
}

Result<CachedStatement> Database::cached(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return CachedStatement(*it->second);
  auto prepared = prepare(sql);
  if (!prepared) return prepared.error();
  auto owned = std::make_unique<Statement>(std::move(*prepared));
  Statement& ref = *owned;
  cache_.emplace(std::string(sql), std::move(owned));
  return CachedStatement(ref);
}

Result<std::int64_t> Database::query_int64(std::string_view sql) {
  auto st = prepare(sql);
  if (!st) return st.error();
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return Failure(errc::store_failed, "sqlite: no row from " + std::string(sql));
  return st->int64(0);
}

Result<std::string> Database::query_text(std::string_view sql) {
  auto st = prepare(sql);
  if (!st) return st.error();
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return Failure(errc::store_failed, "sqlite: no row from " + std::string(sql));
  return st->text(0);
}

void Database::set_busy_timeout(std::chrono::milliseconds timeout) {
  sqlite3_busy_timeout(db_, static_cast<int>(timeout.count()));
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
std::int64_t Database::changes() const { return sqlite3_changes64(db_); }
bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

Failure Database::failure(std::string_view context) const {
  return make_failure(db_, sqlite3_extended_errcode(db_), context);
}

// --- Transaction ----------------------------------------------------------------------------

Result<void> Database::begin_group() {
  if (group_.open) return Failure(errc::store_failed, "sqlite: a group is already open");
  auto st = cached("BEGIN IMMEDIATE");
  if (!st) return st.error();
  if (auto r = (*st)->run(); !r) return r.error();
  group_ = Group{true, false};
  return {};
}

bool Database::end_group(bool commit) {
  if (!group_.open) return false;
  const bool spoiled = group_.spoiled;
  group_ = {};
  if (commit && !spoiled) {
    if (auto st = cached("COMMIT"); st && (*st)->run()) return true;
  }
  // Some errors (disk full, I/O) roll back by themselves; only roll back what is still open.
  if (in_transaction()) (void)exec("ROLLBACK");
  return false;
}

Result<Transaction> Transaction::begin(Database& db) {
  if (db.group_.open) return Transaction(db, true);
  auto st = db.cached("BEGIN IMMEDIATE");
  if (!st) return st.error();
  if (auto r = (*st)->run(); !r) return r.error();
  return Transaction(db, false);
}

Result<void> Transaction::commit() {
  if (joined_) {
    db_ = nullptr;
    return {};
  }
  auto st = db_->cached("COMMIT");
  if (!st) return st.error();
  if (auto r = (*st)->run(); !r) return r.error();
  db_ = nullptr;
  return {};
}

Transaction::~Transaction() {
  if (db_ == nullptr) return;
  if (joined_) {
    db_->group_.spoiled = true;
    return;
  }
  // Some errors (disk full, I/O) roll back by themselves; only roll back what is still open.
  if (db_->in_transaction()) (void)db_->exec("ROLLBACK");
}

}  // namespace otklik::sqlite
