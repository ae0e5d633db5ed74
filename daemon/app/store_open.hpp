#pragma once
/// Opens the store a config names ([store] backend): SQLite at [daemon] state (relative: to the
/// config file's folder) or PostgreSQL at [store] url. The daemon and the one-shot commands
/// (digest, feedback, poll) open it here, so that they all read the same database.

#include "daemon/config/config.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/core/error.hpp"
#include "daemon/store/store.hpp"

#include <memory>
#include <string>

namespace otklik {

class SqliteStore;
namespace store {
class PgStore;
}

struct OpenedStore {
  std::unique_ptr<Store> store;
  SqliteStore* sqlite = nullptr;  ///< `store` when it is SQLite (its work figures), else null
  store::PgStore* pg = nullptr;   ///< `store` when it is PostgreSQL, else null
  /// "sqlite /var/lib/otklik/otklik.db" or "postgresql host:port/database": for logs, never the
  /// password.
  std::string where;
};

/// "sqlite PATH" or "postgresql": what a failure to open names.
std::string store_description(const Config& config);

/// Opens the store of `config` and migrates its schema (PostgreSQL: under the migration's
/// advisory lock). `clock` must outlive the store.
Result<OpenedStore> open_configured_store(const Config& config, Clock& clock);

}  // namespace otklik
