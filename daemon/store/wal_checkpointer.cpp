#include "daemon/store/wal_checkpointer.hpp"

#include <sqlite3.h>

#include <chrono>

namespace otklik::sqlite {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(Database& writer, int pages) {
  auto own = Database::open(writer.path());
  if (!own) return own.error();
  // A connection sees the log only once it has read the file: until then a checkpoint on it
  // does nothing (and says so only by returning -1 frames).
  auto mode = own->query_text("PRAGMA journal_mode");
  if (!mode) return mode.error();
  if (*mode != "wal") return Failure(errc::store_failed, "checkpointer: the database is not in WAL mode ('" + *mode + "')");
  std::unique_ptr<WalCheckpointer> c(new WalCheckpointer(writer, std::move(*own), pages < 1 ? 1 : pages));
  // The hook replaces SQLite's automatic checkpoint (sqlite3_wal_autocheckpoint is a hook too).
  sqlite3_wal_hook(writer.handle(), &WalCheckpointer::on_commit, c.get());
  c->thread_ = std::thread([p = c.get()] { p->run(); });
  return c;
}

WalCheckpointer::WalCheckpointer(Database& writer, Database own, int pages)
    : writer_(writer), own_(std::move(own)), pages_(pages) {}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_autocheckpoint(writer_.handle(), pages_);
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* schema, int pages) {
  auto* c = static_cast<WalCheckpointer*>(self);
  if (pages >= 4 * c->pages_) {
    // Far behind: copy what can be copied now, on the writer, as SQLite's own hook would.
    c->checkpoint(db, schema, c->stats_.writer_checkpoints);
    return SQLITE_OK;
  }
  if (pages >= c->pages_) {
    {
      std::lock_guard lock(c->mutex_);
      c->due_ = true;
    }
    c->wake_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return due_ || stop_; });
      if (stop_) return;
      due_ = false;
    }
    checkpoint(own_.handle(), nullptr, stats_.checkpoints);
  }
}

void WalCheckpointer::checkpoint(sqlite3* db, const char* schema, std::atomic<std::uint64_t>& count) {
  const auto t0 = std::chrono::steady_clock::now();
  const int rc = sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  count.fetch_add(1, std::memory_order_relaxed);
  // BUSY: another checkpoint (the other thread's, or another process's) was running; the next
  // commit asks again.
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) stats_.failures.fetch_add(1, std::memory_order_relaxed);
  stats_.busy_us.fetch_add(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count(),
      std::memory_order_relaxed);
}

}  // namespace otklik::sqlite
