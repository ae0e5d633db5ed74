#pragma once
/// How the daemon reaches the store: every job runs on the store's own thread (the SQLite
/// connection is used from that thread only) while the event loop goes on; the awaiting coroutine
/// resumes on its own executor with the result. Jobs run one at a time, in the order posted.
///
/// A part of the daemon holds a StoreAccess<Role> for each role it uses:
///
///   auto rows = co_await outbox_([&](OutboxStore& s) { return s.lease(name, now, 120s, 1); });
///
/// Tests and one-shot commands use an inline executor: jobs run at once on the caller's thread.

#include "daemon/core/offload.hpp"
#include "daemon/store/store.hpp"

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

namespace otklik {

class StoreExecutor {
 public:
  /// Jobs run on a thread of their own (the daemon).
  static std::unique_ptr<StoreExecutor> threaded(Store& store);
  /// Jobs run at once on the caller's thread.
  static std::unique_ptr<StoreExecutor> inline_on(Store& store);

  StoreExecutor(const StoreExecutor&) = delete;
  StoreExecutor& operator=(const StoreExecutor&) = delete;
  /// Runs the jobs already posted, then joins the thread.
  ~StoreExecutor();

  /// `f(store)` on the store's thread; the caller resumes on its own executor.
  template <class F, class R = std::invoke_result_t<F&, Store&>>
  boost::asio::awaitable<R> run(F f) {
    return offload(executor(), Job<F>{std::move(f), store_, stats_});
  }

  /// The thread's executor; empty for an inline executor.
  [[nodiscard]] boost::asio::any_io_executor executor() const;
  /// Jobs run so far, and the longest one (for /metrics).
  struct Stats {
    std::atomic<std::uint64_t> jobs{0};
    std::atomic<std::int64_t> busy_us{0};     ///< time spent in jobs, microseconds
    std::atomic<std::int64_t> longest_us{0};  ///< the longest job, microseconds
  };
  [[nodiscard]] const Stats& stats() const noexcept { return stats_; }

 private:
  template <class F>
  struct Job {
    F f;
    Store& store;
    Stats& stats;
    auto operator()() {
      const auto t0 = std::chrono::steady_clock::now();
      struct Count {
        Stats& s;
        std::chrono::steady_clock::time_point t0;
        ~Count() {
          const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
          s.jobs.fetch_add(1, std::memory_order_relaxed);
          s.busy_us.fetch_add(us, std::memory_order_relaxed);
          auto longest = s.longest_us.load(std::memory_order_relaxed);
          while (us > longest && !s.longest_us.compare_exchange_weak(longest, us, std::memory_order_relaxed)) {
          }
        }
      } count{stats, t0};
      return f(store);
    }
  };

  StoreExecutor(Store& store, bool threaded);

  Store& store_;
  std::unique_ptr<boost::asio::thread_pool> thread_;
  Stats stats_;
};

/// One role of the store, reached through its executor.
template <class Role>
class StoreAccess {
 public:
  explicit StoreAccess(StoreExecutor& executor) noexcept : executor_(&executor) {}

  /// `f(role)` on the store's thread.
  template <class F, class R = std::invoke_result_t<F&, Role&>>
  boost::asio::awaitable<R> operator()(F f) const {
    return executor_->run(AsRole<F>{std::move(f)});
  }
  [[nodiscard]] StoreExecutor& executor() const noexcept { return *executor_; }

 private:
  template <class F>
  struct AsRole {
    F f;
    auto operator()(Store& s) { return f(static_cast<Role&>(s)); }
  };
  StoreExecutor* executor_;
};

}  // namespace otklik
