#pragma once
/// Named long-lived coroutines with cancellation and a bounded wait for them to finish.
/// No task is detached silently: an exception ending a task is logged with the task's name
/// and reported to `on_failure` (the application decides whether that is fatal).

#include "daemon/core/duration.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include <spdlog/logger.h>

#include <exception>
#include <functional>
#include <list>
#include <memory>
#include <string>

namespace otklik {

class TaskGroup {
 public:
  using FailureHandler = std::function<void(const std::string& name, std::exception_ptr)>;

  TaskGroup(boost::asio::any_io_executor executor, std::shared_ptr<spdlog::logger> log);
  ~TaskGroup();
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  void on_failure(FailureHandler f) { on_failure_ = std::move(f); }

  /// Starts `task` as a named coroutine on the executor.
  void spawn(std::string name, boost::asio::awaitable<void> task);
  /// Sends terminal cancellation to every running task.
  void cancel_all();
  /// Completes when every task has finished, or after `timeout` (returns false then).
  boost::asio::awaitable<bool> wait_all(Duration timeout);
  [[nodiscard]] std::size_t running() const noexcept { return tasks_.size(); }
  /// The names of the tasks still running, comma-separated (for the log of a slow stop).
  [[nodiscard]] std::string running_names() const;

 private:
  struct Task {
    std::string name;
    boost::asio::cancellation_signal signal;
    /// Set by cancel_all(): a task cancelled before it first ran (no operation of it waited on
    /// the signal yet) does not start at all.
    std::shared_ptr<bool> cancelled = std::make_shared<bool>(false);
  };
  boost::asio::any_io_executor executor_;
  std::shared_ptr<spdlog::logger> log_;
  std::list<Task> tasks_;
  boost::asio::steady_timer idle_;
  FailureHandler on_failure_;
  std::shared_ptr<bool> alive_;
};

}  // namespace otklik
