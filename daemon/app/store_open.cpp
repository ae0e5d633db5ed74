#include "daemon/app/store_open.hpp"

#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/sqlite_store.hpp"

#include <chrono>
#include <filesystem>

namespace otklik {
namespace {

std::filesystem::path state_file(const Config& config) {
  std::filesystem::path p = config.daemon.state;
  if (p.is_relative() && p != ":memory:") p = config.path.parent_path() / p;
  return p;
}

}  // namespace

std::string store_description(const Config& config) {
  if (config.store.backend == StoreConfig::Backend::postgresql) return "postgresql";
  return "sqlite " + state_file(config).string();
}

Result<OpenedStore> open_configured_store(const Config& config, Clock& clock) {
  OpenedStore out;
  if (config.store.backend == StoreConfig::Backend::postgresql) {
    store::pg::ConnectOptions options;
    options.conninfo = config.store.url.value();
    options.connect_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(config.store.connect_timeout);
    options.statement_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(config.store.statement_timeout);
    auto opened = store::PgStore::open(options, clock);
    if (!opened) return opened.error();
    out.where = "postgresql " + (*opened)->connection().describe();
    out.pg = opened->get();
    out.store = std::move(*opened);
    return out;
  }
  auto path = state_file(config);
  SqliteStore::Options options;
  options.cache_kib = static_cast<std::int64_t>(config.daemon.cache_size / 1024);
  options.mmap_bytes = static_cast<std::int64_t>(config.daemon.mmap_size);
  auto opened = SqliteStore::open(path.string(), clock, options);
  if (!opened) return opened.error();
  out.sqlite = opened->get();
  out.where = "sqlite " + path.string();
  out.store = std::move(*opened);
  return out;
}

}  // namespace otklik
