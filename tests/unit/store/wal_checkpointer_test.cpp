// The WAL checkpointer (daemon/store/wal_checkpointer.hpp): the log is copied back into the file
// by the checkpointer's own thread, never by the committing one, and the log does not grow
// without bound while the writer keeps writing.

#include "daemon/store/sqlite_store.hpp"

#include "store_test_support.hpp"
#include "tests/support/catch_result.hpp"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

/// Text that does not deflate (so each row costs its size in pages).
std::string noise(std::mt19937_64& rng, std::size_t size) {
  static constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string out(size, ' ');
  for (char& c : out) c = kLetters[rng() % (sizeof kLetters - 1)];
  return out;
}

/// Waits (up to 10 s) until `ok()` holds.
template <class F>
bool eventually(F ok) {
  for (int i = 0; i < 1000 && !ok(); ++i) std::this_thread::sleep_for(10ms);
  return ok();
}

}  // namespace

TEST_CASE("WAL checkpoints run on the checkpointer's thread, not the writer's", "[store][sqlite][checkpoint]") {
  test::TempDir dir;
  const std::string path = dir.file("state.db");
  ManualClock clock(test::test_start());
  auto store = SqliteStore::open(path, clock);
  REQUIRE(store);
  const sqlite::WalCheckpointer* c = (*store)->checkpointer();
  REQUIRE(c != nullptr);

  // ~24 MB of rows in batches of 100: three times SQLite's threshold of 1,000 pages of 8 KiB.
  std::mt19937_64 rng(7);
  int n = 0;
  for (int batch = 0; batch < 30; ++batch) {
    std::vector<IngestItem> items;
    for (int i = 0; i < 100; ++i, ++n)
      items.push_back({test::sample_mention("m" + std::to_string(n), noise(rng, 8000)),
                       test::sentiment_of(Label::positive), {}, test::two_channels()});
    REQUIRE((*store)->ingest_batch(items));
  }
  CHECK(eventually([&] { return c->stats().checkpoints.load() >= 1; }));
  CHECK(c->stats().writer_checkpoints.load() == 0);
  CHECK(c->stats().failures.load() == 0);
  // The pages reached the database file itself (without a checkpoint they would all still be in
  // the log, and the file would hold little more than the schema).
  CHECK(eventually([&] { return std::filesystem::file_size(path) > 8u * 1024 * 1024; }));
  // The log starts over once a checkpoint copied all of it: the frames in it stay near the
  // threshold, not the ~3,000 pages written. (The file keeps its size, up to journal_size_limit.)
  auto probe = sqlite::Database::open(path);
  REQUIRE(probe);
  REQUIRE(probe->query_text("PRAGMA journal_mode").value() == "wal");
  auto frames_in_log = [&] {
    int log = 0, copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(probe->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    return rc == SQLITE_OK ? log : -1;  // BUSY: the checkpointer is at it; ask again
  };
  int ticks = 0;
  CHECK(eventually([&] {
    // The writer starts the log over at its next transaction after a complete checkpoint.
    std::vector<IngestItem> tick;
    tick.push_back({test::sample_mention("tick" + std::to_string(ticks++), "fine"), test::sentiment_of(Label::positive),
                    {}, test::two_channels()});
    REQUIRE((*store)->ingest_batch(tick));
    const int log = frames_in_log();
    return log >= 0 && log < 1500;
  }));
  CHECK((*store)->mentions_total().value() == n + ticks);
}

TEST_CASE("without the checkpointer the writer checkpoints, as SQLite does by default", "[store][sqlite][checkpoint]") {
  test::TempDir dir;
  ManualClock clock(test::test_start());
  SqliteStore::Options options;
  options.background_checkpoints = false;
  auto store = SqliteStore::open(dir.file("state.db"), clock, options);
  REQUIRE(store);
  CHECK((*store)->checkpointer() == nullptr);
  auto memory = SqliteStore::open(":memory:", clock);
  REQUIRE(memory);
  CHECK((*memory)->checkpointer() == nullptr);
}
