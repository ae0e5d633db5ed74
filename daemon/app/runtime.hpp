#pragma once
/// Everything built from one config: HTTP client, scorer, router, pipeline, sources, channels and
/// their dispatchers, with the task groups that run them. A reload builds a new Runtime, stops the
/// old one and starts the new; the store, metrics and health server outlive both.

#include "daemon/app/app_events.hpp"
#include "daemon/app/dispatcher.hpp"
#include "daemon/app/pipeline.hpp"
#include "daemon/app/source_runner.hpp"
#include "daemon/app/task_group.hpp"
#include "daemon/channels/channel.hpp"
#include "daemon/config/config.hpp"
#include "daemon/net/http_client.hpp"
#include "daemon/routing/router.hpp"
#include "daemon/sentiment/scorer.hpp"
#include "sources/source.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <spdlog/logger.h>

#include <iosfwd>
#include <map>
#include <memory>
#include <vector>

namespace otklik {

struct Runtime {
  Config config;
  std::unique_ptr<HttpClient> http;
  std::unique_ptr<Scorer> scorer;
  std::unique_ptr<Router> router;
  std::unique_ptr<Pipeline> pipeline;
  std::vector<std::unique_ptr<Source>> sources;
  std::vector<std::unique_ptr<Channel>> channels;
  std::vector<std::unique_ptr<Dispatcher>> dispatchers;
  std::unique_ptr<TaskGroup> source_tasks;
  std::unique_ptr<TaskGroup> dispatch_tasks;

  [[nodiscard]] std::map<std::string, Dispatcher*> dispatcher_map() const;
};

struct RuntimeDeps {
  boost::asio::any_io_executor executor;
  Store& store;
  AppEvents& events;
  const SourceRegistry& registry;
  std::shared_ptr<spdlog::logger> log;
  std::ostream& console;  ///< where console channels write
};

/// Builds (does not start) a runtime. Failures: a lexicon that does not load, a source or channel
/// that cannot be created.
Result<std::unique_ptr<Runtime>> build_runtime(Config config, RuntimeDeps deps);

/// Starts one coroutine per enabled source and per channel dispatcher.
void start_runtime(Runtime& rt, RuntimeDeps deps);

/// Stops sources at once and dispatchers after their in-flight send, bounded by
/// config.daemon.shutdown_timeout; what is still running then is cancelled. Returns true when
/// every task ended.
boost::asio::awaitable<bool> stop_runtime(Runtime& rt, std::shared_ptr<spdlog::logger> log);

}  // namespace otklik
