#pragma once
/// One coroutine per source: poll on a fixed-rate schedule, ingest what it found, back off with
/// full jitter after failures (never earlier than a Retry-After), and keep its state in the store.
///
/// The schedule holds under load: the first polls after start-up are spread over the interval
/// (a stable offset per source name, so 10,000 sources do not all start at t=0), each later poll
/// starts one interval after the previous one *started* (plus a small jitter), not after it ended,
/// and a poll that overran its slot skips to the next slot rather than bursting to catch up. A
/// restart resumes the schedule (a source polled recently waits out its interval). The number of
/// polls running at once is bounded (PollSlots), so memory does not grow with the source count.

#include "daemon/app/lease_keeper.hpp"
#include "daemon/app/pipeline.hpp"
#include "daemon/app/poll_slots.hpp"
#include "daemon/app/source_health.hpp"
#include "daemon/app/source_schedule.hpp"
#include "daemon/app/spike_watch.hpp"
#include "daemon/app/state_saver.hpp"
#include "daemon/core/duration.hpp"
#include "daemon/core/redactor.hpp"
#include "sources/source.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <optional>
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
  /// How late a poll started against its schedule (the wait for a free slot included).
  virtual void poll_started(const std::string& source, Duration late) { (void)source, (void)late; }
  /// Negatives held back by max_alerts_per_poll (stored, told in one notice).
  virtual void alerts_capped(const std::string& source, int n) { (void)source, (void)n; }
};

/// Delay before the next poll: the interval after a success; after `failures` consecutive
/// failures, full jitter in [0, min(cap, base·2^(failures-1))] with base = min(interval, 30s) and
/// cap = max(interval, 15m), never below 1s and never before `retry_after`. `random` is uniform.
Duration next_poll_delay(Duration interval, std::int64_t failures, std::optional<std::chrono::seconds> retry_after,
                         std::uint64_t random) noexcept;

/// Over how long the first polls of `sources` sources with `interval` are spread: 10 ms a
/// source, at most the interval (three sources start within 30 ms; 10,000 within a minute).
Duration first_poll_spread(std::size_t sources, Duration interval) noexcept;

/// A stable offset in [0, spread) for a source name (FNV-1a of the name).
Duration stable_offset(std::string_view name, Duration spread) noexcept;

/// When a source polls first after start-up, from now: a source that polled within its interval
/// (and was not failing) waits out the rest of it; any other starts at its stable offset.
Duration first_poll_delay(std::string_view name, Duration interval, Duration spread, const SourceState& state,
                          TimePoint now) noexcept;

/// The fixed-rate step: the next nominal start after `nominal` (interval later; when that is
/// already past `now`, the first slot of the grid after `now`, so an overrun never bursts).
std::chrono::steady_clock::time_point next_slot(std::chrono::steady_clock::time_point nominal, Duration interval,
                                                std::chrono::steady_clock::time_point now) noexcept;

/// The small jitter added to each start: up to 1/50 of the interval, at most 500 ms.
Duration start_jitter(Duration interval, std::uint64_t random) noexcept;

struct SourceRunnerDeps {
  HttpClient& http;
  StoreExecutor& store;          ///< source-state role (and the pipeline's roles)
  Pipeline& pipeline;
  SourceEvents& events;
  std::shared_ptr<spdlog::logger> log;
  std::string default_user_agent;
  SourceHealthPolicy health{};   ///< when to report a broken source, and to whom
  SpikeWatch* spikes = nullptr;  ///< told of the pairs a poll brought new negatives for; may be null
  PollSlots* slots = nullptr;    ///< the bound on polls at once; null: none
  /// A source's first poll (its whole backlog, stored silently) takes a slot of its own pool, so
  /// it never holds up the news of sources already running; null: `slots`.
  PollSlots* baseline_slots = nullptr;
  boost::asio::any_io_executor work{};     ///< where pages are parsed (empty: inline)
  boost::asio::any_io_executor backlog{};  ///< where a first poll's page is parsed (empty: `work`)
  Duration spread{};             ///< over how long the first polls are spread (first_poll_spread)
  StateSaver* saver = nullptr;   ///< gathers routine state saves; null: every save is written at once
  const Redactor* redactor = nullptr;  ///< hides secrets in the errors kept and the notices sent
  /// Several instances on one database: the source is polled only while this instance holds its
  /// lease, and the poll's writes are fenced by it; null: one instance, always polls.
  LeaseKeeper* leases = nullptr;
  /// Where the runner reports its next poll, and where "poll now" reaches it; may be null.
  SourceSchedule* schedule = nullptr;
};

/// Polls `source` forever (until cancelled), starting from `state` (the stored one; none: read
/// from the store). Never throws for failures of normal life. With deps.leases, polls only while
/// holding the source's lease; each time the lease is claimed the state is read again (another
/// instance polled meanwhile) and the schedule goes on from its last attempt.
boost::asio::awaitable<void> run_source(Source& source, std::optional<SourceState> state, SourceRunnerDeps deps);

/// Polls `source` once from `state`, ingests the result and saves the new state (returned in
/// `state`). Returns the failure, if any.
boost::asio::awaitable<Result<IngestSummary>> poll_source_once(Source& source, SourceState& state,
                                                               SourceRunnerDeps deps);

}  // namespace otklik
