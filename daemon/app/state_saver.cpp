#include "daemon/app/state_saver.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <vector>

namespace otklik {

namespace asio = boost::asio;

StateSaver::StateSaver(asio::any_io_executor executor, StoreExecutor& store, std::shared_ptr<spdlog::logger> log,
                       Duration every)
    : store_(store), log_(std::move(log)), every_(every), timer_(std::move(executor)) {}

void StateSaver::save(SourceState state) {
  std::string name = state.source;
  pending_.insert_or_assign(std::move(name), std::move(state));
}

void StateSaver::forget(const std::string& source) { pending_.erase(source); }

asio::awaitable<void> StateSaver::flush() {
  if (pending_.empty()) co_return;
  std::vector<SourceState> batch;
  batch.reserve(pending_.size());
  for (auto& [name, state] : pending_) batch.push_back(std::move(state));
  pending_.clear();
  // Ordered: a state written at once later (a health change) must not be overtaken by this batch.
  auto saved = co_await store_.ordered([&](SourceStateStore& s) { return s.save_source_states(batch); });
  if (!saved) {
    // Once per run of failures: a store that is down fails every second's batch the same way.
    if (log_ && failing_++ == 0)
      log_->error("cannot save the state of {} sources: {}; keeping it, and trying again every flush", batch.size(),
                  saved.error().message());
    // Kept unless a newer state of the source arrived meanwhile.
    for (auto& state : batch) pending_.try_emplace(state.source, std::move(state));
    co_return;
  }
  if (failing_ > 0 && log_) log_->info("source states saved again after {} failed batch(es)", failing_);
  failing_ = 0;
}

asio::awaitable<void> StateSaver::run() {
  co_await asio::this_coro::throw_if_cancelled(false);
  for (;;) {
    timer_.expires_after(every_);
    auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // cancelled: stop_runtime flushes what is left
    co_await flush();
    // A cancellation that came during the flush's store job reached no timer: it is seen here, or
    // the loop would go on after the runtime stopped and keep the process from exiting.
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) co_return;
  }
}

}  // namespace otklik
