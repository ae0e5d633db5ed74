#pragma once
/// How the daemon reaches the store: every job runs on the store's own thread (the SQLite
/// connection is used from that thread only) while the event loop goes on; the awaiting coroutine
/// resumes on its own executor with the result. With one store, jobs run one at a time, in the
/// order posted.
///
/// On PostgreSQL the executor may hold a pool of sessions ([store] pool_size): one thread and one
/// session each, every job going to the lane with the fewest jobs waiting. Jobs then run at once
/// on different sessions, as they would on several instances — which the PostgreSQL backend is
/// built for (row locks, SKIP LOCKED, fencing numbers) — while one coroutine's jobs still run in
/// its own order (it awaits each).
///
/// A part of the daemon holds a StoreAccess<Role> for each role it uses:
///
///   auto rows = co_await outbox_([&](OutboxStore& s) { return s.lease(name, now, 120s, 1); });
///
/// Tests and one-shot commands use an inline executor: jobs run at once on the caller's thread.

#include "daemon/core/offload.hpp"
#include "daemon/store/store.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

namespace otklik {

class StoreExecutor {
 public:
  /// Jobs run on a thread of their own (the daemon).
  static std::unique_ptr<StoreExecutor> threaded(Store& store);
  /// Jobs run on one thread per store of `stores` (sessions of one PostgreSQL database, never
  /// SQLite), each on the lane with the fewest jobs waiting. `stores` must not be empty.
  static std::unique_ptr<StoreExecutor> threaded_pool(std::vector<Store*> stores);
  /// Jobs run at once on the caller's thread.
  static std::unique_ptr<StoreExecutor> inline_on(Store& store);

  StoreExecutor(const StoreExecutor&) = delete;
  StoreExecutor& operator=(const StoreExecutor&) = delete;
  /// Runs the jobs already posted, then joins the thread.
  ~StoreExecutor();

  /// `f(store)` on the store's thread; the caller resumes on its own executor.
  template <class F, class R = std::invoke_result_t<F&, Store&>>
  boost::asio::awaitable<R> run(F f) {
    return on_lane(pick(), std::move(f));
  }

  /// `f(store)` on the first lane, in the order posted with every other ordered job: for writes
  /// that must not overtake one another although their coroutines do not await each other (the
  /// state saver's batch and a source's state written at once).
  template <class F, class R = std::invoke_result_t<F&, Store&>>
  boost::asio::awaitable<R> run_ordered(F f) {
    return on_lane(*lanes_.front(), std::move(f));
  }

  /// `f(store)` on the store's thread, possibly sharing one transaction with the other grouped
  /// jobs queued then (group commit, Store::begin_group): the first of them to run takes up to
  /// group_limit() of those waiting, runs them in one transaction and commits once, and each
  /// caller resumes after that commit with its own result. A queue of slices from many polls so
  /// writes each changed page to the WAL once rather than once a slice. Should the group not
  /// commit (a job failed or threw, COMMIT failed), it is rolled back and every job of it runs
  /// again in a transaction of its own, as run(f) would: so `f` must make its result and its
  /// outputs afresh on each run. Where the backend declines groups (PostgreSQL), this is run(f).
  ///
  /// `linger` > 0: the job may wait up to that long for others that linger to join it — for
  /// writes nobody waits on (a new source's backlog), whose pages are then written once for many.
  /// It goes when linger_limit() lingering jobs are queued, or its time is up. Lingering jobs are
  /// grouped only with one another, at most linger_limit() at a time: a job that does not linger
  /// (news) never waits for their rows, only for a group already running.
  template <class F, class R = std::invoke_result_t<F&, Store&>>
  boost::asio::awaitable<R> run_grouped(F f, std::chrono::milliseconds linger = {}) {
    Lane& lane = pick();
    if (!lane.thread || !lane.store->groups()) co_return co_await on_lane(lane, std::move(f));
    Grouped<F, R> job{std::move(f)};
    job.lingers = linger.count() > 0;
    std::shared_ptr<boost::asio::steady_timer> timer;
    if (job.lingers) {
      timer = std::make_shared<boost::asio::steady_timer>(co_await boost::asio::this_coro::executor, linger);
      // Called on the store's thread once another group has run the job: ends the wait early.
      // The executor is taken here: the store's thread never touches the timer itself.
      job.wake = [timer, ex = timer->get_executor()] { boost::asio::post(ex, [timer] { timer->cancel(); }); };
    }
    bool now = !timer;
    {
      std::lock_guard lock(lane.group_mutex);
      lane.grouped.push_back(&job);
      if (!now && lingering(lane) >= linger_limit()) now = true;
    }
    // Should the coroutine end while the job still waits in the queue, it leaves the queue.
    const Unqueue unqueue{lane, job};
    if (!now) {
      stats_.lingered.fetch_add(1, std::memory_order_relaxed);
      co_await timer->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    // Always through the store's thread: a group running the job now has finished by then.
    co_await on_lane(lane, [this, &lane, &job](Store&) {
      run_group(lane, job);
      return 0;
    });
    if (job.error) std::rethrow_exception(job.error);
    co_return std::move(*job.result);
  }
  /// The most lingering jobs one group holds; as many queued end the wait.
  static constexpr std::size_t linger_limit() noexcept { return 32; }
  /// The most jobs one group holds: bounds how long the first of them waits for the others.
  static constexpr std::size_t group_limit() noexcept { return 32; }

  /// Sessions (threads) the jobs are spread over: 1 but for a PostgreSQL pool.
  [[nodiscard]] std::size_t lanes() const noexcept { return lanes_.size(); }
  /// Jobs run so far, and the longest one (for /metrics).
  struct Stats {
    std::atomic<std::uint64_t> jobs{0};
    std::atomic<std::int64_t> busy_us{0};     ///< time spent in jobs, microseconds
    std::atomic<std::int64_t> longest_us{0};  ///< the longest job, microseconds
    std::atomic<std::uint64_t> groups{0};         ///< transactions shared by several grouped jobs
    std::atomic<std::uint64_t> grouped_jobs{0};   ///< jobs committed in those
    std::atomic<std::uint64_t> group_retries{0};  ///< groups rolled back, their jobs run again alone
    std::atomic<std::uint64_t> lingered{0};       ///< grouped jobs that waited for others (run_grouped's linger)
  };
  [[nodiscard]] const Stats& stats() const noexcept { return stats_; }

 private:
  /// A job of run_grouped, whatever its type; touched on its lane's thread only (but for the queue).
  struct GroupedJob {
    virtual void run(Store& store) noexcept = 0;
    [[nodiscard]] virtual bool threw() const noexcept = 0;
    bool done = false;  ///< its result is final (its group committed, or it ran alone)
    bool lingers = false;        ///< grouped only with other lingering jobs (run_grouped's linger)
    std::function<void()> wake;  ///< set while its caller lingers; called on the store's thread once done

   protected:
    ~GroupedJob() = default;
  };
  template <class F, class R>
  struct Grouped final : GroupedJob {
    explicit Grouped(F fn) : f(std::move(fn)) {}
    F f;
    std::optional<R> result;
    std::exception_ptr error;
    void run(Store& store) noexcept override {
      result.reset();
      error = nullptr;
      try {
        result.emplace(f(store));
      } catch (...) {
        error = std::current_exception();
      }
    }
    [[nodiscard]] bool threw() const noexcept override { return error != nullptr; }
  };

  struct Lane {
    Store* store = nullptr;
    std::unique_ptr<boost::asio::thread_pool> thread;  ///< null: inline
    std::atomic<int> waiting{0};                       ///< jobs posted and not yet finished
    std::mutex group_mutex;
    std::deque<GroupedJob*> grouped;  ///< run_grouped's jobs posted and not yet run
  };

  /// Takes a grouped job out of its lane's queue if it is still there.
  struct Unqueue {
    Lane& lane;
    GroupedJob& job;
    ~Unqueue() {
      std::lock_guard lock(lane.group_mutex);
      std::erase(lane.grouped, &job);
    }
  };
  template <class F>
  struct Job {
    F f;
    Store& store;
    Stats& stats;
    std::atomic<int>& waiting;
    auto operator()() {
      const auto t0 = std::chrono::steady_clock::now();
      struct Count {
        Stats& s;
        std::atomic<int>& waiting;
        std::chrono::steady_clock::time_point t0;
        ~Count() {
          waiting.fetch_sub(1, std::memory_order_relaxed);
          const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
          s.jobs.fetch_add(1, std::memory_order_relaxed);
          s.busy_us.fetch_add(us, std::memory_order_relaxed);
          auto longest = s.longest_us.load(std::memory_order_relaxed);
          while (us > longest && !s.longest_us.compare_exchange_weak(longest, us, std::memory_order_relaxed)) {
          }
        }
      } count{stats, waiting, t0};
      return f(store);
    }
  };

  StoreExecutor(const std::vector<Store*>& stores, bool threaded);
  /// The lane of the next job: the one with the fewest jobs waiting (the first on a tie).
  Lane& pick() noexcept;
  /// On `lane`'s thread: runs `self` and the grouped jobs queued with it (run_grouped), unless a
  /// group run earlier has run it already.
  void run_group(Lane& lane, GroupedJob& self);
  /// Marks a grouped job done and wakes its lingering caller.
  static void finish(GroupedJob& job);
  /// Lingering jobs in `lane`'s queue; with its group_mutex held.
  static std::size_t lingering(const Lane& lane) noexcept;
  /// `f(store)` on `lane`, counted as waiting there until it has run.
  template <class F, class R = std::invoke_result_t<F&, Store&>>
  boost::asio::awaitable<R> on_lane(Lane& lane, F f) {
    lane.waiting.fetch_add(1, std::memory_order_relaxed);
    boost::asio::any_io_executor target;
    if (lane.thread) target = lane.thread->get_executor();
    return offload(std::move(target), Job<F>{std::move(f), *lane.store, stats_, lane.waiting});
  }

  std::vector<std::unique_ptr<Lane>> lanes_;
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
  /// `f(role)` in the order posted with the other ordered jobs (StoreExecutor::run_ordered).
  template <class F, class R = std::invoke_result_t<F&, Role&>>
  boost::asio::awaitable<R> ordered(F f) const {
    return executor_->run_ordered(AsRole<F>{std::move(f)});
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
