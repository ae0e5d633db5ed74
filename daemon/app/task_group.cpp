#include "daemon/app/task_group.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;

namespace otklik {

TaskGroup::TaskGroup(asio::any_io_executor executor, std::shared_ptr<spdlog::logger> log)
    : executor_(std::move(executor)), log_(std::move(log)), idle_(executor_), alive_(std::make_shared<bool>(true)) {}

TaskGroup::~TaskGroup() { *alive_ = false; }

namespace {

/// A signal emitted before a coroutine first runs reaches none of its operations: it is checked
/// here instead (a task spawned just before a shutdown, e.g. the leader's on becoming leader).
asio::awaitable<void> unless_cancelled(std::shared_ptr<bool> cancelled, asio::awaitable<void> task) {
  if (*cancelled) co_return;
  co_await std::move(task);
}

}  // namespace

void TaskGroup::spawn(std::string name, asio::awaitable<void> task) {
  auto it = tasks_.emplace(tasks_.end());
  it->name = std::move(name);
  log_->debug("task {} started", it->name);
  std::weak_ptr<bool> alive = alive_;
  asio::co_spawn(executor_, unless_cancelled(it->cancelled, std::move(task)),
                 asio::bind_cancellation_slot(it->signal.slot(), [this, it, alive](std::exception_ptr e) {
                   if (alive.expired()) return;  // the group is gone (process teardown)
                   std::string name = it->name;
                   tasks_.erase(it);
                   if (e) {
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       log_->error("task {} failed: {}", name, ex.what());
                     } catch (...) {
                       log_->error("task {} failed with an unknown exception", name);
                     }
                     if (on_failure_) on_failure_(name, e);
                   } else {
                     log_->debug("task {} finished", name);
                   }
                   if (tasks_.empty()) idle_.cancel();
                 }));
}

void TaskGroup::cancel_all() {
  // Emitting may complete a task synchronously and erase it: iterate over a snapshot.
  std::vector<asio::cancellation_signal*> signals;
  for (auto& t : tasks_) {
    *t.cancelled = true;
    signals.push_back(&t.signal);
  }
  for (auto* s : signals) s->emit(asio::cancellation_type::terminal);
}

asio::awaitable<bool> TaskGroup::wait_all(Duration timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!tasks_.empty()) {
    if (std::chrono::steady_clock::now() >= deadline) co_return false;
    idle_.expires_at(deadline);
    co_await idle_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return true;
}

std::string TaskGroup::running_names() const {
  std::string out;
  for (const auto& t : tasks_) out += (out.empty() ? "" : ", ") + t.name;
  return out;
}

}  // namespace otklik
