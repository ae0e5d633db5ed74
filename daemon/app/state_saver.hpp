#pragma once
/// The routine saves of source states — a poll's new validators, times and counters — gathered
/// and written together about once a second in one transaction: ten thousand sources polling
/// every few seconds cost one store job a second instead of a thousand. What must not wait (a
/// health change with its notice, a source's first successful poll) the runner writes at once,
/// and a pending routine save of that source is dropped then (it is older). A crash loses at most
/// the last second of routine saves: the next start polls those sources a little early and finds
/// their items stored (nothing alerts twice, nothing is skipped).

#include "daemon/core/duration.hpp"
#include "daemon/store/store_executor.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <spdlog/logger.h>

#include <map>
#include <memory>
#include <string>

namespace otklik {

class StateSaver {
 public:
  StateSaver(boost::asio::any_io_executor executor, StoreExecutor& store, std::shared_ptr<spdlog::logger> log,
             Duration every = std::chrono::seconds(1));

  /// Keeps `state` to be written with the next batch (replacing an older one of its source).
  void save(SourceState state);
  /// Drops the pending save of `source` (a newer state was written at once).
  void forget(const std::string& source);
  /// Writes what is pending now, in one transaction.
  boost::asio::awaitable<void> flush();
  /// Flushes every `every` until cancelled.
  boost::asio::awaitable<void> run();

  [[nodiscard]] std::size_t pending() const noexcept { return pending_.size(); }

 private:
  StoreAccess<SourceStateStore> store_;
  std::shared_ptr<spdlog::logger> log_;
  int failing_ = 0;  ///< batches failed in a row (the first is logged)
  Duration every_;
  boost::asio::steady_timer timer_;
  std::map<std::string, SourceState> pending_;
};

}  // namespace otklik
