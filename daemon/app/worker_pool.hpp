#pragma once
/// Threads that run the pure work of polls (parsing pages, scoring, understanding) off the event
/// loop, optionally at a lower scheduling priority (nice): a new source's backlog then takes only
/// the time the rest of the daemon leaves.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <optional>
#include <thread>
#include <vector>

namespace otklik {

class WorkerPool {
 public:
  /// `threads` threads (at least one); `nice` > 0 lowers their priority (Linux: per thread).
  explicit WorkerPool(std::size_t threads, int nice = 0);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  /// Runs what was posted, then joins the threads.
  ~WorkerPool();

  [[nodiscard]] boost::asio::any_io_executor executor() noexcept { return context_.get_executor(); }
  [[nodiscard]] std::size_t size() const noexcept { return threads_.size(); }

 private:
  boost::asio::io_context context_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
  std::vector<std::thread> threads_;
};

}  // namespace otklik
