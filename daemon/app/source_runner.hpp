#pragma once
/// One coroutine per source: poll at its interval, ingest what it found, back off with full
/// jitter after failures (never earlier than a Retry-After), and keep its state in the store.

#include "daemon/app/pipeline.hpp"
#include "daemon/app/source_health.hpp"
#include "daemon/app/spike_watch.hpp"
#include "daemon/core/duration.hpp"
#include "sources/source.hpp"

#include <boost/asio/awaitable.hpp>

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <random>

namespace otklik {

/// What a source runner reports (the application turns these into metrics and wake-ups).
class SourceEvents {
 public:
  virtual ~SourceEvents() = default;
  virtual void poll_succeeded(const std::string& source, const IngestSummary& summary, bool not_modified,
                              TimePoint now) = 0;
  virtual void poll_failed(const std::string& source, const Failure& failure) = 0;
  /// The source was reported broken (captcha, ban, nothing found) or working again.
  virtual void source_health(const std::string& source, bool broken) { (void)source, (void)broken; }
  /// Items of a match_brands source that named no configured brand (dropped).
  virtual void dropped_without_brand(const std::string& source, int n) { (void)source, (void)n; }
  /// Negative reviews the company had answered on the site (cases marked answered on the site).
  virtual void answered_on_site(const std::string& source, int n) { (void)source, (void)n; }
};

/// Delay before the next poll: the interval after a success; after `failures` consecutive
/// failures, full jitter in [0, min(cap, base·2^(failures-1))] with base = min(interval, 30s) and
/// cap = max(interval, 15m), never below 1s and never before `retry_after`. `random` is uniform.
Duration next_poll_delay(Duration interval, std::int64_t failures, std::optional<std::chrono::seconds> retry_after,
                         std::uint64_t random) noexcept;

struct SourceRunnerDeps {
  HttpClient& http;
  Store& store;
  Pipeline& pipeline;
  SourceEvents& events;
  std::shared_ptr<spdlog::logger> log;
  std::string default_user_agent;
  SourceHealthPolicy health{};  ///< when to report a broken source, and to whom
  SpikeWatch* spikes = nullptr; ///< checked after a poll that brought new negatives; may be null
};

/// Polls `source` forever (until cancelled). Never throws for failures of normal life.
boost::asio::awaitable<void> run_source(Source& source, SourceRunnerDeps deps);

/// Polls `source` once, ingests the result and updates its state. Returns the failure, if any.
boost::asio::awaitable<Result<IngestSummary>> poll_source_once(Source& source, SourceRunnerDeps deps);

}  // namespace otklik
