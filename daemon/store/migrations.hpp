#pragma once
/// Schema migrations by PRAGMA user_version: an ordered list of SQL patches, patch N taking the
/// schema from version N-1 to N. Each patch runs in its own BEGIN IMMEDIATE transaction together
/// with the user_version bump, so a crash leaves the schema at a whole version. A database whose
/// version is newer than this build knows is refused (an older build must not write to it).

#include "daemon/core/error.hpp"
#include "daemon/store/sqlite.hpp"

#include <span>

namespace otklik::store {

/// One schema patch.
struct Migration {
  int version;      ///< the user_version after the patch
  const char* sql;  ///< one or more statements
};

/// Every patch, in order (versions 1, 2, 3…).
std::span<const Migration> migrations() noexcept;

/// The schema version this build writes (the last patch's version).
int latest_schema_version() noexcept;

/// Brings `db` to `latest`, applying `patches` whose version is above the database's.
/// Fails (errc::store_failed) when the database is newer than `latest` or a patch fails.
Result<void> migrate(sqlite::Database& db, std::span<const Migration> patches, int latest);

/// migrate() with this build's patches.
inline Result<void> migrate(sqlite::Database& db) { return migrate(db, migrations(), latest_schema_version()); }

}  // namespace otklik::store
