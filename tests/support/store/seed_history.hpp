#pragma once
// A history of stored mentions for tests and benchmarks that check that the daemon's work does
// not grow with it: mentions spread over sources and the last weeks, a share of them negative
// with topics and a case, their alerts delivered, authors that come back again and again — the
// rows every per-poll, per-alert and per-tick query would trip over if it read the history.

#include "daemon/store/sqlite_store.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace otklik::test {

struct SeedOptions {
  std::int64_t mentions = 100'000;
  int sources = 50;                        ///< named source_prefix + 0 … sources − 1
  std::string source_prefix = "seed-";
  int source_width = 0;                    ///< digits of the number, zero-padded (0: as is)
  std::string brand = "Bank";
  int weeks = 4;                           ///< spread evenly over the weeks before `now`
  int negative_percent = 30;
  int authors = 500;                       ///< a pool of names: most authors come back often
  std::string channel = "chat";            ///< where the negatives' alerts went (delivered)
  int open_percent = 10;                   ///< cases left open; the others were answered and resolved
  int batch = 2000;                        ///< mentions per transaction
};

/// The author names of the pool, as seeded (tests reuse them so that new items meet the history).
std::string seed_author(int i);

/// Runs one SQL statement on the store's own connection (the seed resolves most cases in bulk).
using RunSql = std::function<Result<void>(const std::string& sql)>;

/// Fills `store` (its clock moved through the weeks; left at `now`), any backend: `run_sql` runs
/// the bulk update on its connection. `progress` (may be null) is called after each batch with
/// the mentions stored so far. Returns the failure, if any.
Result<void> seed_history(Store& store, const RunSql& run_sql, ManualClock& clock, TimePoint now,
                          const SeedOptions& options, const std::function<void(std::int64_t)>& progress = {});

/// The same for a SqliteStore.
Result<void> seed_history(SqliteStore& store, ManualClock& clock, TimePoint now, const SeedOptions& options,
                          const std::function<void(std::int64_t)>& progress = {});

}  // namespace otklik::test
