#include "daemon/app/source_runner.hpp"

#include "daemon/core/cancelled.hpp"
#include "daemon/core/mention_text.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace otklik {

Duration next_poll_delay(Duration interval, std::int64_t failures, std::optional<std::chrono::seconds> retry_after,
                         std::uint64_t random) noexcept {
  Duration delay = interval;
  if (failures > 0) {
    const Duration base = std::min<Duration>(interval, 30s);
    const Duration cap = std::max<Duration>(interval, 15min);
    Duration ceiling = base;
    for (std::int64_t i = 1; i < failures && ceiling < cap; ++i) ceiling *= 2;
    ceiling = std::min(ceiling, cap);
    delay = Duration(static_cast<Duration::rep>(random % (static_cast<std::uint64_t>(ceiling.count()) + 1)));
    delay = std::max<Duration>(delay, 1s);
  }
  if (retry_after) delay = std::max<Duration>(delay, *retry_after);
  return delay;
}

Duration first_poll_spread(std::size_t sources, Duration interval) noexcept {
  const Duration by_count = std::chrono::duration_cast<Duration>(10ms) * static_cast<Duration::rep>(sources);
  return std::max<Duration>(std::min(by_count, interval), Duration{0});
}

Duration stable_offset(std::string_view name, Duration spread) noexcept {
  if (spread <= Duration{0}) return Duration{0};
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return Duration(static_cast<Duration::rep>(h % static_cast<std::uint64_t>(spread.count())));
}

Duration first_poll_delay(std::string_view name, Duration interval, Duration spread, const SourceState& state,
                          TimePoint now) noexcept {
  if (state.last_attempt && state.consecutive_failures == 0) {
    const auto since = now - *state.last_attempt;
    if (since >= Duration{0} && since < interval) {
      return std::chrono::duration_cast<Duration>(interval - since) + stable_offset(name, std::min(spread, 1000ms));
    }
  }
  return stable_offset(name, spread);
}

std::chrono::steady_clock::time_point next_slot(std::chrono::steady_clock::time_point nominal, Duration interval,
                                                std::chrono::steady_clock::time_point now) noexcept {
  if (interval <= Duration{0}) return now;
  auto next = nominal + interval;
  if (next <= now) {
    // Overran: the next slot of the same grid after now (no burst of catch-up polls).
    const auto behind = now - next;
    const auto steps = behind / interval + 1;
    next += interval * steps;
  }
  return next;
}

Duration start_jitter(Duration interval, std::uint64_t random) noexcept {
  const Duration cap = std::min<Duration>(interval / 50, 500ms);
  if (cap <= Duration{0}) return Duration{0};
  return Duration(static_cast<Duration::rep>(random % static_cast<std::uint64_t>(cap.count())));
}

namespace {

/// The database is known unreachable: the lease round said so (logged once, counted).
bool store_known_down(const SourceRunnerDeps& deps) { return deps.leases != nullptr && !deps.leases->healthy(); }

/// Saves the source's state after a poll, with a health notice when the poll broke or mended it
/// (in the same transaction: reported exactly once). A routine save goes to the state saver's
/// next batch; a health change and a source's first successful poll are written at once.
asio::awaitable<Result<void>> save_with_health(const SourceConfig& cfg, SourceState& state, const PollOutcome& outcome,
                                               std::size_t items, TimePoint now, bool first_success,
                                               SourceRunnerDeps& deps) {
  const HealthStep step = track_health(state, outcome, deps.health.empty_polls, now);
  std::vector<AlertRequest> notices;
  if (step.change != HealthChange::none) {
    std::string payload = health_notice(cfg, step, state, items, deps.health.locale);
    if (deps.redactor != nullptr) payload = (*deps.redactor)(std::move(payload));
    for (const auto& ch : deps.health.channels) notices.push_back({ch, "notice", payload, std::nullopt});
  }
  if (deps.saver != nullptr && notices.empty() && !first_success) {
    deps.saver->save(state);
    co_return Result<void>{};
  }
  if (deps.saver != nullptr) deps.saver->forget(state.source);
  auto saved =
      co_await deps.store.run_ordered([&](SourceStateStore& s) { return s.save_source_state(state, notices); });
  if (!saved) {
    // A lease taken over is no error of this instance: the runner says so.
    if (saved.error().code != make_error_code(errc::lease_lost))
      deps.log->log(store_known_down(deps) ? spdlog::level::debug : spdlog::level::err,
                    "source {}: cannot save state: {}", cfg.name, saved.error().message());
    co_return saved.error();
  }
  if (step.change == HealthChange::broken) {
    deps.log->warn("source {}: reported broken: {}", cfg.name, step.reason);
    deps.events.source_health(cfg.name, true);
  } else if (step.change == HealthChange::recovered) {
    deps.log->info("source {}: works again ({} items)", cfg.name, items);
    deps.events.source_health(cfg.name, false);
  }
  co_return Result<void>{};
}

}  // namespace

asio::awaitable<Result<IngestSummary>> poll_source_once(Source& source, SourceState& state, SourceRunnerDeps deps) {
  const SourceConfig& cfg = source.config();
  const TimePoint started = SystemClock::now();
  state.last_attempt = started;

  const bool baseline = state.polls == 0;
  PollContext ctx{deps.http, state, started, cfg.user_agent.value_or(deps.default_user_agent),
                  baseline && deps.backlog ? deps.backlog : deps.work};
  Result<PollResult> polled = co_await source.poll(ctx);
  if (!polled) {
    state.consecutive_failures += 1;
    state.last_error = deps.redactor != nullptr ? (*deps.redactor)(polled.error().message()) : polled.error().message();
    PollOutcome outcome;
    const std::string detail =
        deps.redactor != nullptr ? (*deps.redactor)(polled.error().detail) : polled.error().detail;
    if (polled.error().code == make_error_code(errc::blocked)) outcome.blocked = detail;
    if (polled.error().code == make_error_code(errc::unauthorized)) outcome.rejected = detail;
    (void)co_await save_with_health(cfg, state, outcome, 0, started, false, deps);
    co_return polled.error();
  }
  for (const auto& w : polled->warnings) deps.log->warn("source {}: {}", cfg.name, w);

  IngestSummary summary;
  const std::size_t items = polled->mentions.size();
  // A 304, or the very page whose items were all stored last time: nothing to store.
  const bool nothing_new = polled->not_modified || polled->unchanged;
  if (polled->unchanged) deps.log->debug("source {}: the page is the one stored last time", cfg.name);
  if (!nothing_new) {
    std::size_t nul_bytes = 0;
    for (auto& m : polled->mentions) {
      nul_bytes += drop_nul_bytes(m);
      if (m.brand.empty()) m.brand = cfg.brand;
      if (m.fetched == TimePoint{}) m.fetched = started;
    }
    if (nul_bytes > 0) deps.log->warn("source {}: removed {} NUL byte(s) from the items' texts", cfg.name, nul_bytes);
    summary = co_await deps.pipeline.ingest(cfg, state, std::move(polled->mentions), started);
    // Stopped half-way (shutdown, reload): the state is left as it was, so the next run reads the
    // page again and stores the rest (what was stored is found unchanged).
    if (summary.cancelled) co_return Failure(errc::cancelled, "poll of " + cfg.name + " stopped");
    if (summary.lease_lost) co_return Failure(errc::lease_lost, "lease lost to another instance; its poll is dropped");
    // While the lease round already reported the database unreachable (once), each poll's store
    // failure is told at debug level: the outage is one event, not one per source.
    const auto level = store_known_down(deps) ? spdlog::level::debug : spdlog::level::err;
    for (const auto& e : summary.errors) deps.log->log(level, "source {}: store: {}", cfg.name, e);
    for (const auto& w : summary.warnings) deps.log->warn("source {}: {}", cfg.name, w);
    if (summary.dropped > 0) {
      deps.log->debug("source {}: {} items name no configured brand (dropped)", cfg.name, summary.dropped);
      deps.events.dropped_without_brand(cfg.name, summary.dropped);
    }
    if (summary.alerts_capped > 0) {
      deps.log->warn("source {}: {} more negative reviews than max_alerts_per_poll ({}) in one poll: stored, and "
                     "told in one notice instead of one alert each",
                     cfg.name, summary.alerts_capped, cfg.max_alerts_per_poll);
      deps.events.alerts_capped(cfg.name, summary.alerts_capped);
    }
    if (summary.answered_on_site > 0) {
      deps.log->info("source {}: {} negative reviews already answered by the company on the site", cfg.name,
                     summary.answered_on_site);
      deps.events.answered_on_site(cfg.name, summary.answered_on_site);
    }
    if (deps.spikes != nullptr) deps.spikes->touched(summary.negative_keys);
  }
  // The baseline counts as done only when the items were stored: a store failure repeats it.
  const bool first_success = summary.failed == 0 && state.polls == 0;
  if (summary.failed == 0) {
    state.polls += 1;
    state.consecutive_failures = 0;
    state.last_success = started;
    state.last_error.clear();
    if (!polled->not_modified) {
      state.etag = polled->etag;
      state.last_modified = polled->last_modified;
      if (!polled->cursor.empty()) state.cursor = polled->cursor;
    }
    // The page is skipped unparsed next time only when every item of it is stored as it is: not
    // after an error or a warning (a company reply not recorded, a notice not queued), and not
    // for a page without items (the health check counts those polls).
    if (!nothing_new)
      state.page_digest = items > 0 && summary.errors.empty() && summary.warnings.empty()
                              ? std::move(polled->page_digest)
                              : std::string();
  } else {
    state.consecutive_failures += 1;
    state.last_error = deps.redactor != nullptr ? (*deps.redactor)(summary.errors.front()) : summary.errors.front();
  }
  PollOutcome outcome;
  outcome.ok = summary.failed == 0;
  outcome.not_modified = nothing_new;
  outcome.items = items;
  if (auto saved = co_await save_with_health(cfg, state, outcome, items, started, first_success, deps); !saved)
    co_return saved.error();
  if (summary.failed > 0) co_return Failure(errc::store_failed, summary.errors.front());
  deps.events.poll_succeeded(cfg.name, summary, nothing_new, started);
  co_return summary;
}

namespace {

/// After a poll: logs and reports it, and returns when the next one is due — after a failure,
/// the backoff from now (the schedule starts again from the retry); after a success, the next
/// slot of the fixed-rate grid.
std::chrono::steady_clock::time_point after_poll(const Result<IngestSummary>& result, const SourceState& state,
                                                 const SourceConfig& cfg, const SourceRunnerDeps& deps,
                                                 std::chrono::steady_clock::time_point nominal,
                                                 std::mt19937_64& rng) {
  using Steady = std::chrono::steady_clock;
  if (!result) {
    const std::int64_t failures = std::max<std::int64_t>(state.consecutive_failures, 1);
    const bool quiet = store_known_down(deps);
    deps.log->log(quiet ? spdlog::level::debug : spdlog::level::warn, "source {}: poll failed: {}", cfg.name,
                  result.error().message());
    deps.events.poll_failed(cfg.name, result.error());
    const Duration delay = next_poll_delay(cfg.interval, failures, result.error().retry_after, rng());
    deps.log->log(quiet ? spdlog::level::debug : spdlog::level::info, "source {}: next attempt in {}", cfg.name,
                  format_duration(delay));
    return Steady::now() + delay;
  }
  const auto& s = *result;
  if (s.inserted + s.updated > 0)
    deps.log->info("source {}: {} new, {} updated, {} negative", cfg.name, s.inserted, s.updated, s.negative);
  return next_slot(nominal, cfg.interval, Steady::now());
}

/// Waits for a poll's start, reported to the schedule (when there is one) so that the web inbox
/// shows it and "poll now" can cut it short. Returns true when cut short by "poll now".
asio::awaitable<bool> wait_for_slot(asio::steady_timer& timer, std::chrono::steady_clock::time_point start_at,
                                    const std::string& name, SourceSchedule* schedule) {
  timer.expires_at(start_at);
  if (schedule)
    schedule->waiting(name, timer,
                      SystemClock::now() + std::chrono::duration_cast<SystemClock::duration>(
                                               start_at - std::chrono::steady_clock::now()));
  (void)co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return schedule != nullptr && schedule->stopped_waiting(name);
}

/// Marks a source as polling in the schedule (from the wait for a slot to the end of the poll).
struct Polling {
  SourceSchedule* schedule;
  const std::string& name;
  Polling(SourceSchedule* s, const std::string& n) : schedule(s), name(n) {
    if (schedule) schedule->polling(name, true);
  }
  ~Polling() {
    if (schedule) schedule->polling(name, false);
  }
  Polling(const Polling&) = delete;
  Polling& operator=(const Polling&) = delete;
};

/// One instance on the database: polls on the schedule, forever.
asio::awaitable<void> run_alone(Source& source, SourceState state, SourceRunnerDeps deps) {
  const SourceConfig& cfg = source.config();
  asio::steady_timer timer(co_await asio::this_coro::executor);
  std::mt19937_64 rng(std::random_device{}());
  using Steady = std::chrono::steady_clock;

  // The first poll: at the source's offset in the spread, or when its interval since the last
  // attempt is over.
  auto nominal = Steady::now() + first_poll_delay(cfg.name, cfg.interval, deps.spread, state, SystemClock::now());
  for (;;) {
    const auto start_at = nominal + start_jitter(cfg.interval, rng());
    if (start_at > Steady::now()) {
      const bool woken = co_await wait_for_slot(timer, start_at, cfg.name, deps.schedule);
      if (co_await cancelled()) co_return;  // shutdown or reload
      if (woken) nominal = Steady::now();   // "poll now": the schedule goes on from here
    }
    Polling polling{deps.schedule, cfg.name};
    PollSlots::Slot slot;
    PollSlots* slots = state.polls == 0 && deps.baseline_slots != nullptr ? deps.baseline_slots : deps.slots;
    if (slots != nullptr) {
      slot = co_await slots->acquire();
      if (!slot || co_await cancelled()) co_return;
    }
    deps.events.poll_started(cfg.name, std::chrono::duration_cast<Duration>(Steady::now() - nominal));
    auto result = co_await poll_source_once(source, state, deps);
    slot.release();
    if (co_await cancelled()) co_return;
    nominal = after_poll(result, state, cfg, deps, nominal, rng);
  }
}

/// Several instances on the database: polls while this instance holds the source's lease.
asio::awaitable<void> run_leased(Source& source, SourceState state, SourceRunnerDeps deps) {
  const SourceConfig& cfg = source.config();
  LeaseKeeper& leases = *deps.leases;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  std::mt19937_64 rng(std::random_device{}());
  using Steady = std::chrono::steady_clock;
  std::optional<LeaseFence> fence;
  Steady::time_point nominal{};
  for (;;) {
    auto held = co_await leases.wait_for(cfg.name);
    if (!held || co_await cancelled()) co_return;
    if (fence != held) {
      // Claimed (again): another instance may have polled since; its state is the one to go on from.
      fence = held;
      auto read = co_await deps.store.run([&](SourceStateStore& s) { return s.source_state(cfg.name); });
      if (co_await cancelled()) co_return;
      if (!read) {
        deps.log->error("source {}: cannot read its state: {}", cfg.name, read.error().message());
        fence.reset();
        timer.expires_after(std::chrono::seconds(1));
        (void)co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (co_await cancelled()) co_return;
        continue;
      }
      state = std::move(*read);
      state.lease = fence;
      nominal = Steady::now() + first_poll_delay(cfg.name, cfg.interval, deps.spread, state, SystemClock::now());
    }
    const auto start_at = nominal + start_jitter(cfg.interval, rng());
    if (start_at > Steady::now()) {
      const bool woken = co_await wait_for_slot(timer, start_at, cfg.name, deps.schedule);
      if (co_await cancelled()) co_return;
      if (woken) nominal = Steady::now();
    }
    if (leases.fence_of(cfg.name) != fence) {  // given up or lost while waiting
      if (deps.schedule) deps.schedule->gone(cfg.name);
      continue;
    }
    Polling polling{deps.schedule, cfg.name};
    PollSlots::Slot slot;
    PollSlots* slots = state.polls == 0 && deps.baseline_slots != nullptr ? deps.baseline_slots : deps.slots;
    if (slots != nullptr) {
      slot = co_await slots->acquire();
      if (!slot || co_await cancelled()) co_return;
    }
    if (leases.fence_of(cfg.name) != fence) continue;
    deps.events.poll_started(cfg.name, std::chrono::duration_cast<Duration>(Steady::now() - nominal));
    leases.polling(cfg.name, true);
    auto result = co_await poll_source_once(source, state, deps);
    leases.polling(cfg.name, false);
    slot.release();
    if (co_await cancelled()) co_return;
    if (!result && result.error().code == make_error_code(errc::lease_lost)) {
      // Another instance holds the source now: what this poll found is its to store.
      deps.log->info("source {}: {}", cfg.name, result.error().message());
      leases.lost(*fence);
      fence.reset();
      continue;
    }
    nominal = after_poll(result, state, cfg, deps, nominal, rng);
  }
}

}  // namespace

asio::awaitable<void> run_source(Source& source, std::optional<SourceState> stored, SourceRunnerDeps deps) {
  const SourceConfig& cfg = source.config();
  SourceState state;
  state.source = cfg.name;
  if (stored) {
    state = std::move(*stored);
  } else if (auto read = co_await deps.store.run([&](SourceStateStore& s) { return s.source_state(cfg.name); })) {
    state = std::move(*read);
  } else {
    deps.log->error("source {}: cannot read its state: {}", cfg.name, read.error().message());
  }
  // Cancellation (shutdown, reload) is checked by hand so that a cancelled poll ends quietly.
  co_await asio::this_coro::throw_if_cancelled(false);
  SourceSchedule* schedule = deps.schedule;
  if (deps.leases != nullptr) co_await run_leased(source, std::move(state), std::move(deps));
  else co_await run_alone(source, std::move(state), std::move(deps));
  if (schedule) schedule->gone(cfg.name);
}

}  // namespace otklik
