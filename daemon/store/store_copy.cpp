// `otklik store copy`: the SQLite store streamed into PostgreSQL, table by table, in one
// transaction. The table list is in store_copy_tables.cpp.
#include "daemon/store/store_copy.hpp"

#include "daemon/store/migrations.hpp"
#include "daemon/store/packed_text.hpp"
#include "daemon/store/pg/failure.hpp"
#include "daemon/store/pg/migrations.hpp"
#include "daemon/store/pg/search_index.hpp"
#include "daemon/store/pg/transaction.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace otklik::store {
namespace {

constexpr int kMaxParams = 65535;  ///< PostgreSQL's limit of parameters per statement
constexpr const char* kLockTimeout = "10s";  ///< waiting for the target's tables (a daemon on them)

Failure copy_failure(std::string detail) { return Failure(errc::store_failed, std::move(detail)); }

/// A failure with `context` in front of its text.
Failure with_context(Failure f, const std::string& context) {
  f.detail = context + ": " + f.detail;
  return f;
}

/// One read transaction on the source, so that every table is read from the same snapshot even if
/// something writes the file meanwhile. Ended (rolled back: it wrote nothing) on destruction.
class ReadSnapshot {
 public:
  static Result<ReadSnapshot> begin(sqlite::Database& db) {
    if (auto r = db.exec("BEGIN"); !r) return r.error();
    ReadSnapshot snapshot(db);
    // A deferred transaction takes its snapshot at the first read.
    if (auto r = db.query_int64("SELECT COUNT(*) FROM sqlite_master"); !r) return r.error();
    return snapshot;
  }
  ReadSnapshot(ReadSnapshot&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  ReadSnapshot& operator=(ReadSnapshot&&) = delete;
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot() {
    if (db_ != nullptr && db_->in_transaction()) (void)db_->exec("ROLLBACK");
  }

 private:
  explicit ReadSnapshot(sqlite::Database& db) noexcept : db_(&db) {}
  sqlite::Database* db_;
};

std::string quoted_name(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string column_list(const CopyTable& table) {
  std::string out;
  for (const auto& c : table.columns) {
    if (!out.empty()) out += ", ";
    out += c.name;
  }
  return out;
}

const char* pg_type(CopyKind kind) {
  switch (kind) {
    case CopyKind::integer: return "bigint";
    case CopyKind::real: return "float8";
    case CopyKind::text: return "text";
    case CopyKind::packed: return "bytea";
  }
  return "text";
}

/// INSERT INTO table (…) VALUES ($1::bigint, …), (…) for `rows` rows.
std::string insert_sql(const CopyTable& table, int rows) {
  std::string sql = "INSERT INTO " + std::string(table.name) + " (" + column_list(table) + ") VALUES ";
  int n = 0;
  for (int r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ", (";
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      if (c != 0) sql += ", ";
      sql += "$" + std::to_string(++n) + "::" + pg_type(table.columns[c].kind);
    }
    sql += ")";
  }
  return sql;
}

/// "id=42" or "brand=Acme, topic=, minute=29633" for the current row: its key columns, NULs shown
/// as \0.
std::string row_key(const CopyTable& table, const sqlite::Statement& st) {
  std::string out;
  for (int c = 0; c < table.key_columns; ++c) {
    if (c != 0) out += ", ";
    out += table.columns[static_cast<std::size_t>(c)].name;
    out += '=';
    for (char ch : st.bytes(c)) {
      if (ch == '\0') out += "\\0";
      else out += ch;
    }
  }
  return out;
}

/// Column `c` of the current row as the parameter PgStore's column expects.
Result<pg::Param> to_param(const CopyTable& table, const sqlite::Statement& st, int c) {
  const CopyColumn& column = table.columns[static_cast<std::size_t>(c)];
  if (st.is_null(c)) return pg::Param();
  switch (column.kind) {
    case CopyKind::integer: return pg::Param(st.int64(c));
    case CopyKind::real: return pg::Param(st.real(c));
    case CopyKind::text: {
      std::string value = st.bytes(c);
      if (value.find('\0') != std::string::npos) {
        return copy_failure(std::string(table.name) + " row " + row_key(table, st) + ": column " +
                            std::string(column.name) +
                            " holds a NUL byte, which PostgreSQL's text cannot store; remove it in the SQLite "
                            "file (a copy of it) and copy again");
      }
      pg::Param p;
      p.text = std::move(value);
      return p;
    }
    case CopyKind::packed: {
      // The representations agree: SQLite's BLOB is pack()'s format, PostgreSQL's marked BYTEA is
      // a marker byte and the same format, so nothing is inflated or deflated again.
      const bool packed = st.is_blob(c);
      std::string bytes = st.bytes(c);
      if (bytes.empty()) return pg::Param::bytea("");
      return pg::Param::bytea((packed ? kPackedMarker : kPlainMarker) + bytes);
    }
  }
  return pg::Param();
}

/// The tables of the source's schema (SQLite's own sqlite_* aside).
Result<std::vector<std::string>> source_tables(sqlite::Database& db) {
  auto st = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                       "ORDER BY name");
  if (!st) return st.error();
  std::vector<std::string> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(st->text(0));
  }
}

/// The highest id SQLite's AUTOINCREMENT handed out per table (ids of deleted rows included).
Result<std::map<std::string, std::int64_t, std::less<>>> autoincrement_seqs(sqlite::Database& db) {
  std::map<std::string, std::int64_t, std::less<>> out;
  auto has = db.query_int64("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_sequence'");
  if (!has) return has.error();
  if (*has == 0) return out;
  auto st = db.prepare("SELECT name, seq FROM sqlite_sequence");
  if (!st) return st.error();
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return out;
    out[st->text(0)] = st->int64(1);
  }
}

/// The tables of the target's schema (its schema_version aside).
Result<std::vector<std::string>> target_tables(pg::Connection& target) {
  auto tables = target.query(
      "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_version' "
      "ORDER BY tablename");
  if (!tables) return tables.error();
  std::vector<std::string> names;
  for (int r = 0; r < tables->rows(); ++r) {
    auto name = tables->text(r, 0);
    if (!name) return name.error();
    names.push_back(std::move(*name));
  }
  return names;
}

/// Refuses a target whose tables hold a row (the schema's own rows aside), naming the table.
Result<void> check_empty(pg::Connection& target, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    std::string sql = "SELECT EXISTS (SELECT 1 FROM " + quoted_name(name);
    for (const auto& t : copied_tables()) {
      if (t.name == name && !t.schema_rows.empty()) sql += " WHERE NOT (" + std::string(t.schema_rows) + ")";
    }
    auto any = target.query(sql + ")");
    if (!any) return any.error();
    auto yes = any->boolean(0, 0);
    if (!yes) return yes.error();
    if (*yes)
      return copy_failure(target.describe() + ": table " + name +
                          " has rows; the copy goes only into an empty database (nothing was written)");
  }
  return {};
}

/// In the copy's transaction: locks every table of the target against writers (a daemon started
/// on it meanwhile waits), then checks again that none holds a row.
Result<void> lock_and_check_empty(pg::Connection& target) {
  auto names = target_tables(target);
  if (!names) return names.error();
  if (names->empty()) return {};
  std::string lock = "LOCK TABLE ";
  for (std::size_t i = 0; i < names->size(); ++i) lock += (i == 0 ? "" : ", ") + quoted_name((*names)[i]);
  lock += " IN EXCLUSIVE MODE";
  if (auto r = target.exec(std::string("SET LOCAL lock_timeout = '") + kLockTimeout + "'"); !r) return r.error();
  if (auto r = target.exec(lock); !r) {
    if (pg::sqlstate(r.error()) == "55P03")
      return copy_failure(target.describe() + ": its tables are in use by another session (a daemon running on "
                                              "it?); stop it and copy again");
    return r.error();
  }
  return check_empty(target, *names);
}

/// Streams one table from the source into the target in batches; returns the rows copied.
Result<std::int64_t> copy_table(const CopyTable& table, sqlite::Database& source, pg::Connection& target,
                                const CopyOptions& options) {
  const int columns = static_cast<int>(table.columns.size());
  const int batch = std::max(1, std::min(options.batch_rows, kMaxParams / columns));
  const std::string full_sql = insert_sql(table, batch);

  auto st = source.prepare("SELECT " + column_list(table) + " FROM " + std::string(table.name));
  if (!st) return with_context(st.error(), std::string(table.name));

  std::vector<pg::Param> params;
  params.reserve(static_cast<std::size_t>(batch * columns));
  std::int64_t copied = 0, reported = 0;
  int rows = 0;
  std::string first_key, last_key;

  auto flush = [&]() -> Result<void> {
    if (rows == 0) return {};
    auto r = target.query(rows == batch ? full_sql : insert_sql(table, rows), params);
    if (!r) {
      return with_context(r.error(), std::string(table.name) + " rows " + first_key +
                                         (rows > 1 ? " … " + last_key : std::string()));
    }
    copied += rows;
    rows = 0;
    params.clear();
    if (options.progress && options.progress_every > 0 && copied - reported >= options.progress_every) {
      reported = copied;
      options.progress(table.name, copied, false);
    }
    return {};
  };

  for (;;) {
    auto row = st->step();
    if (!row) return with_context(row.error(), std::string(table.name));
    if (!*row) break;
    for (int c = 0; c < columns; ++c) {
      auto p = to_param(table, *st, c);
      if (!p) return p.error();
      params.push_back(std::move(*p));
    }
    last_key = row_key(table, *st);  // after the values: reading a key as text converts it
    if (rows == 0) first_key = last_key;
    if (++rows == batch) {
      if (auto r = flush(); !r) return r.error();
    }
  }
  if (auto r = flush(); !r) return r.error();
  if (options.progress) options.progress(table.name, copied, true);
  return copied;
}

/// Sets the sequence of `table`'s serial column past the highest id copied (and past the highest
/// SQLite ever handed out, for AUTOINCREMENT tables), so that new rows get fresh ids.
Result<void> set_sequence(const CopyTable& table, pg::Connection& target, std::int64_t sqlite_seq) {
  const std::string name(table.name), column(table.serial);
  auto r = target.query("SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT COALESCE(MAX(" + column +
                            "), 0) FROM " + name + "), $3::bigint) + 1, false)",
                        {name, column, sqlite_seq});
  if (!r) return with_context(r.error(), name + ": setting the sequence of " + column);
  return {};
}

/// The search words of the copied mentions (mentions.search), computed from their titles and
/// texts in the copy's transaction: SQLite's search table is not copied, and a copied store is
/// searchable from its first start.
Result<void> fill_search(pg::Connection& target, const CopyOptions& options) {
  constexpr std::string_view kName = "mentions (search words)";
  std::int64_t filled = 0, reported = 0;
  for (;;) {
    auto n = pg::fill_search_batch(target, options.batch_rows);
    if (!n) return with_context(n.error(), "mentions: computing the search words");
    if (*n == 0) break;
    filled += *n;
    if (options.progress && options.progress_every > 0 && filled - reported >= options.progress_every) {
      reported = filled;
      options.progress(kName, filled, false);
    }
  }
  if (options.progress) options.progress(kName, filled, true);
  return {};
}

Result<std::int64_t> target_count(pg::Connection& target, std::string_view table) {
  auto r = target.query("SELECT COUNT(*) FROM " + std::string(table));
  if (!r) return r.error();
  return r->int64(0, 0);
}

}  // namespace

Result<sqlite::Database> open_copy_source(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return copy_failure(path + ": no such file (the SQLite store to copy, [daemon] state of its config)");
  auto db = sqlite::Database::open_read_only(path);
  if (!db) return db.error();
  auto version = db->query_int64("PRAGMA user_version");
  if (!version) return with_context(version.error(), path);
  const int latest = latest_schema_version();
  if (*version == 0) return copy_failure(path + ": not an Otklik store (no schema version)");
  if (*version < latest) {
    return copy_failure(path + ": schema version " + std::to_string(*version) + " is older than this build's (" +
                        std::to_string(latest) +
                        "); open it once with this build to migrate it (start the daemon on it, or run `otklik "
                        "feedback export -c CONFIG`), then copy again");
  }
  if (*version > latest) {
    return copy_failure(path + ": database schema version " + std::to_string(*version) +
                        " is newer than this build supports (" + std::to_string(latest) + ")");
  }
  return db;
}

Result<CopyReport> copy_store(sqlite::Database& source, pg::Connection& target, const CopyOptions& options) {
  CopyReport report;
  report.schema_version = latest_schema_version();
  if (pg::latest_schema_version() != report.schema_version)
    return copy_failure("this build's SQLite and PostgreSQL schemas differ in version");

  auto snapshot = ReadSnapshot::begin(source);
  if (!snapshot) return with_context(snapshot.error(), source.path());
  auto tables = source_tables(source);
  if (!tables) return with_context(tables.error(), source.path());
  std::set<std::string_view> known(tables_not_copied().begin(), tables_not_copied().end());
  for (const auto& t : copied_tables()) known.insert(t.name);
  for (const auto& name : *tables) {
    if (known.count(name) == 0)
      return copy_failure(source.path() + ": table " + name + " is unknown to this build's copy");
  }
  auto seqs = autoincrement_seqs(source);
  if (!seqs) return with_context(seqs.error(), source.path());

  // Checked before migrating too, so that a database holding other data gets no schema either.
  auto existing = target_tables(target);
  if (!existing) return existing.error();
  if (auto r = check_empty(target, *existing); !r) return r.error();
  auto applied = pg::migrate(target);
  if (!applied) return applied.error();
  report.target_patches = *applied;

  auto tx = pg::Transaction::begin(target);
  if (!tx) return tx.error();
  if (auto r = lock_and_check_empty(target); !r) return r.error();

  for (const CopyTable& table : copied_tables()) {
    auto expected = source.query_int64("SELECT COUNT(*) FROM " + std::string(table.name));
    if (!expected) return with_context(expected.error(), source.path());
    if (!table.schema_rows.empty()) {
      if (auto r = target.exec("DELETE FROM " + std::string(table.name) + " WHERE " + std::string(table.schema_rows));
          !r)
        return r.error();
    }
    auto copied = copy_table(table, source, target, options);
    if (!copied) return copied.error();
    if (!table.serial.empty()) {
      const auto seq = seqs->find(table.name);
      if (auto r = set_sequence(table, target, seq == seqs->end() ? 0 : seq->second); !r) return r.error();
    }
    auto in_target = target_count(target, table.name);
    if (!in_target) return in_target.error();
    if (*copied != *expected || *in_target != *expected) {
      return copy_failure(std::string(table.name) + ": " + std::to_string(*expected) + " rows in the source, " +
                          std::to_string(*copied) + " read, " + std::to_string(*in_target) +
                          " in the target; nothing was written");
    }
    report.tables.push_back({std::string(table.name), *expected});
  }
  if (auto r = fill_search(target, options); !r) return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  return report;
}

}  // namespace otklik::store
