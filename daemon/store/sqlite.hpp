#pragma once
/// Small RAII wrappers over the SQLite C API: a connection (Database) with a prepared-statement
/// cache, a Statement with bind/step/column helpers, and a write Transaction guard
/// (BEGIN IMMEDIATE … COMMIT, ROLLBACK when left without commit). Every SQLite failure becomes an
/// otklik::Failure with errc::store_failed and SQLite's own message.

#include "daemon/core/error.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

struct sqlite3;
struct sqlite3_stmt;

namespace otklik::sqlite {

/// The work a connection's statements did, from sqlite3_stmt_status: the guard tests check that a
/// poll's work does not grow with the history, and /metrics shows it. Written on the store's
/// thread, read anywhere.
struct WorkCounters {
  std::atomic<std::uint64_t> vm_steps{0};        ///< virtual machine steps (rows visited, roughly)
  std::atomic<std::uint64_t> fullscan_steps{0};  ///< steps of full table scans
  std::atomic<std::uint64_t> sorts{0};           ///< sorts of results
  std::atomic<std::uint64_t> runs{0};            ///< statements run
};

/// A prepared statement. Parameters are 1-based (as in SQLite), columns 0-based.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, WorkCounters* work = nullptr) noexcept
      : db_(db), stmt_(stmt), work_(work) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  void bind(int index, std::int64_t value);
  void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
  void bind(int index, double value);
  /// Binds text; SQLite copies it (SQLITE_TRANSIENT), so temporaries are fine.
  void bind(int index, std::string_view value);
  void bind(int index, const std::string& value) { bind(index, std::string_view(value)); }
  void bind(int index, const char* value) { bind(index, std::string_view(value)); }
  void bind_null(int index);
  /// Binds bytes as a BLOB (copied).
  void bind_blob(int index, std::string_view bytes);
  /// Binds the value, or NULL when empty.
  template <class T>
  void bind(int index, const std::optional<T>& value) {
    if (value) bind(index, *value); else bind_null(index);
  }

  /// Runs one step: true when a row is available, false when done; a Failure on error.
  Result<bool> step();
  /// Steps to completion (for statements that return no rows, or whose rows are ignored).
  Result<void> run();
  /// Resets the statement and clears its bindings so it can be reused.
  void reset() noexcept;

  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] bool is_blob(int column) const;
  /// The column's bytes (a BLOB, or TEXT as its bytes; "" for NULL).
  [[nodiscard]] std::string bytes(int column) const;
  [[nodiscard]] std::int64_t int64(int column) const;
  [[nodiscard]] double real(int column) const;
  /// The column as text ("" for NULL).
  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] std::optional<std::int64_t> optional_int64(int column) const;
  [[nodiscard]] std::optional<double> optional_real(int column) const;

  /// The SQL text, for error messages.
  [[nodiscard]] std::string_view sql() const;

 private:
  /// Adds the statement's work since its last reset to the connection's counters.
  void count_work() noexcept;

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  WorkCounters* work_ = nullptr;
};

/// A cached statement borrowed from its Database; resets itself (and clears bindings) when it goes
/// out of scope, so no read transaction is held open by a half-stepped SELECT.
class CachedStatement {
 public:
  explicit CachedStatement(Statement& s) noexcept : s_(&s) {}
  CachedStatement(CachedStatement&& other) noexcept : s_(std::exchange(other.s_, nullptr)) {}
  CachedStatement& operator=(CachedStatement&&) = delete;
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;
  ~CachedStatement() {
    if (s_ != nullptr) s_->reset();
  }
  Statement* operator->() const noexcept { return s_; }
  Statement& operator*() const noexcept { return *s_; }

 private:
  Statement* s_;
};

/// One SQLite connection. Not thread-safe: use it from one thread.
class Database {
 public:
  /// Opens (creating if missing) a database file; ":memory:" opens a private in-memory database.
  static Result<Database> open(const std::string& path);
  /// Opens an existing database file for reading only (never created, never written: `otklik
  /// store copy` reads its source so).
  static Result<Database> open_read_only(const std::string& path);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  /// Runs one or more SQL statements without parameters (schema patches, PRAGMAs).
  Result<void> exec(std::string_view sql);
  /// Prepares a statement owned by the caller (for one-off statements).
  Result<Statement> prepare(std::string_view sql);
  /// Returns the cached prepared statement for `sql`, preparing it on first use.
  Result<CachedStatement> cached(std::string_view sql);

  /// The first column of the first row of `sql` as an integer (e.g. PRAGMA user_version).
  Result<std::int64_t> query_int64(std::string_view sql);
  /// The first column of the first row of `sql` as text (e.g. PRAGMA journal_mode).
  Result<std::string> query_text(std::string_view sql);

  void set_busy_timeout(std::chrono::milliseconds timeout);
  [[nodiscard]] std::int64_t last_insert_rowid() const;
  /// Rows changed by the last INSERT/UPDATE/DELETE.
  [[nodiscard]] std::int64_t changes() const;
  /// True while an explicit transaction is open.
  [[nodiscard]] bool in_transaction() const;

  /// Group commit (StoreExecutor::run_grouped): begin_group opens one write transaction that the
  /// next Transactions join instead of opening their own, so that the writes of several jobs
  /// reach the WAL (and the full-text index its segments) once. A joined Transaction that ends
  /// without commit() spoils the group: end_group then rolls everything back, and the caller runs
  /// each job again in a transaction of its own.
  Result<void> begin_group();
  /// Commits the group (true), or rolls it back when `commit` is false, a member spoiled it or
  /// COMMIT failed (false).
  bool end_group(bool commit);
  /// True while a group is open, unspoiled, and its transaction still there (SQLite rolls a
  /// transaction back by itself on some errors: disk full, I/O).
  [[nodiscard]] bool group_intact() const { return group_.open && !group_.spoiled && in_transaction(); }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  /// A store_failed Failure carrying SQLite's current error message and `context`.
  [[nodiscard]] Failure failure(std::string_view context) const;

  sqlite3* handle() const noexcept { return db_; }
  /// What the statements of this connection did so far.
  [[nodiscard]] const WorkCounters& work() const noexcept { return *work_; }

 private:
  Database(sqlite3* db, std::string path);
  void close() noexcept;

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };

  friend class Transaction;
  struct Group {
    bool open = false;
    bool spoiled = false;
  };

  sqlite3* db_ = nullptr;
  std::string path_;
  Group group_;
  std::unique_ptr<WorkCounters> work_ = std::make_unique<WorkCounters>();  ///< stable across moves
  std::unordered_map<std::string, std::unique_ptr<Statement>, Hash, std::equal_to<>> cache_;
};

/// A write transaction: BEGIN IMMEDIATE on begin(), ROLLBACK on destruction unless committed.
/// IMMEDIATE takes the write lock up front, so a busy database fails (after busy_timeout) at
/// BEGIN rather than half-way through. Inside a group (Database::begin_group) it joins the
/// group's transaction: commit() commits nothing yet, and ending without commit() spoils the group.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);

  Transaction(Transaction&& other) noexcept
      : db_(std::exchange(other.db_, nullptr)), joined_(other.joined_) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  /// Commits; on failure the transaction is rolled back by the destructor.
  Result<void> commit();

 private:
  Transaction(Database& db, bool joined) noexcept : db_(&db), joined_(joined) {}
  Database* db_;
  bool joined_;
};

}  // namespace otklik::sqlite
