#pragma once
/// Checkpoints a WAL database on a thread of its own. SQLite's automatic checkpoint runs on the
/// committing connection: every 1,000 pages the store's one thread copied the log back into the
/// file and waited for two fsyncs, while the polls' alerts queued behind it. The checkpointer
/// takes that over: the writer's commit hook only says how long the log is, and a second
/// connection, on its own thread, runs PASSIVE checkpoints (they never block the writer, and the
/// writer starts the log over once one has copied all of it). Should the checkpointer fall far
/// behind (a stuck disk), the writer checkpoints itself again, as SQLite would.

#include "daemon/core/error.hpp"
#include "daemon/store/sqlite.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace otklik::sqlite {

class WalCheckpointer {
 public:
  /// What it did so far (for /metrics).
  struct Stats {
    std::atomic<std::uint64_t> checkpoints{0};        ///< PASSIVE checkpoints run on its thread
    std::atomic<std::uint64_t> writer_checkpoints{0};  ///< run by the writer: the thread was far behind
    std::atomic<std::uint64_t> failures{0};           ///< checkpoints that returned an error
    std::atomic<std::int64_t> busy_us{0};             ///< time spent checkpointing, microseconds
  };

  /// Takes over `writer`'s checkpoints: from `pages` pages in the log (SQLite's default is 1,000;
  /// ours 4,000, 32 MiB of 8 KiB pages: a page the log holds several times — an index leaf that
  /// a new source's old dates keep hitting — is copied back once), on a connection of its own to
  /// the same file; the writer checkpoints itself again past 4 times that. `writer` must outlive
  /// the checkpointer.
  static Result<std::unique_ptr<WalCheckpointer>> start(Database& writer, int pages = 4000);

  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;
  /// Gives the writer its automatic checkpoint back and joins the thread.
  ~WalCheckpointer();

  [[nodiscard]] const Stats& stats() const noexcept { return stats_; }

 private:
  WalCheckpointer(Database& writer, Database own, int pages);
  static int on_commit(void* self, sqlite3* db, const char* schema, int pages);
  void run();
  /// One PASSIVE checkpoint on `db`, counted in `count` (and in the failures and time).
  void checkpoint(sqlite3* db, const char* schema, std::atomic<std::uint64_t>& count);

  Database& writer_;
  Database own_;
  const int pages_;
  Stats stats_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace otklik::sqlite
