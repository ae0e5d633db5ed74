#pragma once
/// `otklik store copy`: a SQLite store moved into an empty PostgreSQL database with its whole
/// history, in one PostgreSQL transaction (all or nothing). Ids are kept (posted alerts stay linked
/// to their outbox rows), sequences are set past them, lease state is left behind. The tables and
/// columns copied are an explicit list (store_copy_tables.cpp); a test checks that every table of
/// the SQLite schema is either copied or named as not copied, so a new migration cannot be
/// skipped silently.

#include "daemon/core/error.hpp"
#include "daemon/store/pg/connection.hpp"
#include "daemon/store/sqlite.hpp"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::store {

/// How a SQLite value becomes its PostgreSQL value.
enum class CopyKind {
  integer,  ///< INTEGER → BIGINT (NULL stays NULL)
  real,     ///< REAL → DOUBLE PRECISION
  text,     ///< TEXT → TEXT; a value holding a NUL byte is refused (PostgreSQL's text cannot)
  packed,   ///< a packed text (packed_text.hpp) → marked BYTEA: a BLOB as kPackedMarker + its bytes
            ///< (not inflated), a TEXT as kPlainMarker + its bytes, "" as ""
};

struct CopyColumn {
  std::string_view name;
  CopyKind kind;
};

/// One table copied, with the columns copied, in the order tables are copied (parents first).
struct CopyTable {
  std::string_view name;
  std::span<const CopyColumn> columns;
  /// How many leading columns name a row in messages ("mentions id=42").
  int key_columns = 1;
  /// Columns of the SQLite table deliberately not copied (runtime state, left to its default).
  std::span<const std::string_view> left_out;
  /// The BIGSERIAL column whose sequence is set past the copied ids ("" when none).
  std::string_view serial;
  /// A condition on the rows the schema's own patches write (the counters at 0): a target holding
  /// only such rows counts as empty, and they are replaced by the source's ("" when none).
  std::string_view schema_rows;
  /// Columns of the PostgreSQL table that the SQLite table has not, computed by the copy from the
  /// copied rows before it commits (mentions.search: the search words of the title and text).
  std::span<const std::string_view> computed;
};

/// The tables copied, parents before the tables that refer to them.
std::span<const CopyTable> copied_tables() noexcept;

/// Tables of the SQLite schema deliberately not copied (runtime state of the instances).
std::span<const std::string_view> tables_not_copied() noexcept;

struct CopyOptions {
  /// Rows per INSERT (fewer when a table's columns × rows would pass PostgreSQL's 65,535
  /// parameters). Default 1,000.
  int batch_rows = 1000;
  /// How often a table's progress is reported, in rows. Default 100,000.
  std::int64_t progress_every = 100'000;
  /// Called with a table's rows so far; `done` once at its end. May be empty.
  std::function<void(std::string_view table, std::int64_t rows, bool done)> progress;
};

struct CopiedCount {
  std::string table;
  std::int64_t rows = 0;
};

struct CopyReport {
  int schema_version = 0;       ///< of both databases
  int target_patches = 0;       ///< schema patches the copy applied to the target first
  std::vector<CopiedCount> tables;  ///< rows per table, checked equal in source and target
};

/// Opens the SQLite file of a store for reading and checks its schema: refused when missing, not
/// an Otklik store, older than this build (open it once with this build to migrate it) or newer.
Result<sqlite::Database> open_copy_source(const std::string& path);

/// Copies `source` (open_copy_source) into `target`: migrates the target (under the migration's
/// advisory lock), then, in one transaction that locks its tables, refuses a target holding any
/// row (naming the table), copies every table in batches, sets the sequences, computes the
/// mentions' search words, and checks the row counts of each table in the target against the
/// source before committing. The source is read
/// in one read transaction (a consistent snapshot). Any failure leaves the target without rows.
Result<CopyReport> copy_store(sqlite::Database& source, pg::Connection& target, const CopyOptions& options = {});

}  // namespace otklik::store
