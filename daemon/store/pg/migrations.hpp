#pragma once
/// The schema of the PostgreSQL backend: the same numbered patches as the SQLite one
/// (daemon/store/migrations.cpp), translated. The version is kept in `schema_version` (a row per
/// applied patch; the highest is the schema's version). Patch N runs in its own transaction with
/// its row, so a crash leaves a whole version. The whole migration holds a session advisory lock:
/// instances started at once migrate once, the others wait and find the schema current. A database
/// whose version is newer than this build knows is refused.

#include "daemon/core/error.hpp"
#include "daemon/store/pg/connection.hpp"

#include <chrono>
#include <cstdint>
#include <span>

namespace otklik::store::pg {

/// One schema patch.
struct Migration {
  int version;      ///< the schema version after the patch
  const char* sql;  ///< one or more statements
};

/// The advisory lock key the migration holds ("otklik" and 1).
inline constexpr std::int64_t kMigrationLockKey = 0x6f746b6c696b0001;

/// Every patch, in order (versions 1, 2, 3…), matching the SQLite patches' versions.
std::span<const Migration> migrations() noexcept;

/// The schema version this build writes (the last patch's version).
int latest_schema_version() noexcept;

/// The schema's version: 0 for a database that has none yet.
Result<int> schema_version(Connection& conn);

/// Brings the database to `latest` with `patches` and returns how many it applied (0 when it was
/// current). The session's statement_timeout is `timeout` meanwhile (waiting for another
/// instance's migration included), then back to what it was. Fails when the database is newer
/// than `latest`, a patch is missing or a patch fails.
Result<int> migrate(Connection& conn, std::span<const Migration> patches, int latest,
                    std::chrono::milliseconds timeout = std::chrono::minutes(5));

/// migrate() with this build's patches.
inline Result<int> migrate(Connection& conn) { return migrate(conn, migrations(), latest_schema_version()); }

}  // namespace otklik::store::pg
