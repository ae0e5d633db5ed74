#include "daemon/app/source_runner.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace asio = boost::asio;

namespace otklik {

Duration next_poll_delay(Duration interval, std::int64_t failures, std::optional<std::chrono::seconds> retry_after,
                         std::uint64_t random) noexcept {
  using namespace std::chrono_literals;
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

namespace {

/// Saves the source's state after a poll, with a health notice when the poll broke or mended it
/// (in the same transaction: reported exactly once).
Result<void> save_with_health(const SourceConfig& cfg, SourceState& state, const PollOutcome& outcome,
                              std::size_t items, TimePoint now, SourceRunnerDeps& deps) {
  const HealthStep step = track_health(state, outcome, deps.health.empty_polls, now);
  std::vector<AlertRequest> notices;
  if (step.change != HealthChange::none) {
    const std::string payload = health_notice(cfg, step, state, items, deps.health.locale);
    for (const auto& ch : deps.health.channels) notices.push_back({ch, "notice", payload, std::nullopt});
  }
  auto saved = notices.empty() ? deps.store.save_source_state(state) : deps.store.save_source_state(state, notices);
  if (!saved) {
    deps.log->error("source {}: cannot save state: {}", cfg.name, saved.error().message());
    return saved.error();
  }
  if (step.change == HealthChange::broken) {
    deps.log->warn("source {}: reported broken: {}", cfg.name, step.reason);
    deps.events.source_health(cfg.name, true);
  } else if (step.change == HealthChange::recovered) {
    deps.log->info("source {}: works again ({} items)", cfg.name, items);
    deps.events.source_health(cfg.name, false);
  }
  return {};
}

}  // namespace

asio::awaitable<Result<IngestSummary>> poll_source_once(Source& source, SourceRunnerDeps deps) {
  const SourceConfig& cfg = source.config();
  auto state_r = deps.store.source_state(cfg.name);
  if (!state_r) co_return state_r.error();
  SourceState state = *state_r;
  const TimePoint started = SystemClock::now();
  state.last_attempt = started;

  PollContext ctx{deps.http, state, started, cfg.user_agent.value_or(deps.default_user_agent)};
  Result<PollResult> polled = co_await source.poll(ctx);
  if (!polled) {
    state.consecutive_failures += 1;
    state.last_error = polled.error().message();
    PollOutcome outcome;
    if (polled.error().code == make_error_code(errc::blocked)) outcome.blocked = polled.error().detail;
    save_with_health(cfg, state, outcome, 0, started, deps);
    co_return polled.error();
  }
  for (const auto& w : polled->warnings) deps.log->warn("source {}: {}", cfg.name, w);

  IngestSummary summary;
  if (!polled->not_modified) {
    for (auto& m : polled->mentions) {
      if (m.brand.empty()) m.brand = cfg.brand;
      if (m.fetched == TimePoint{}) m.fetched = started;
    }
    summary = deps.pipeline.ingest(cfg, state, polled->mentions, started);
    for (const auto& e : summary.errors) deps.log->error("source {}: store: {}", cfg.name, e);
    for (const auto& w : summary.warnings) deps.log->warn("source {}: {}", cfg.name, w);
    if (summary.dropped > 0) {
      deps.log->debug("source {}: {} items name no configured brand (dropped)", cfg.name, summary.dropped);
      deps.events.dropped_without_brand(cfg.name, summary.dropped);
    }
    if (summary.answered_on_site > 0) {
      deps.log->info("source {}: {} negative reviews already answered by the company on the site", cfg.name,
                     summary.answered_on_site);
      deps.events.answered_on_site(cfg.name, summary.answered_on_site);
    }
    if (deps.spikes != nullptr && !summary.negative_keys.empty()) deps.spikes->check(summary.negative_keys, started);
  }
  // The baseline counts as done only when the items were stored: a store failure repeats it.
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
  } else {
    state.consecutive_failures += 1;
    state.last_error = summary.errors.front();
  }
  PollOutcome outcome;
  outcome.ok = summary.failed == 0;
  outcome.not_modified = polled->not_modified;
  outcome.items = polled->mentions.size();
  if (auto saved = save_with_health(cfg, state, outcome, outcome.items, started, deps); !saved) co_return saved.error();
  if (summary.failed > 0) co_return Failure(errc::store_failed, summary.errors.front());
  deps.events.poll_succeeded(cfg.name, summary, polled->not_modified, started);
  co_return summary;
}

asio::awaitable<void> run_source(Source& source, SourceRunnerDeps deps) {
  const SourceConfig& cfg = source.config();
  // Cancellation (shutdown, reload) is checked by hand so that a cancelled poll ends quietly.
  co_await asio::this_coro::throw_if_cancelled(false);
  asio::steady_timer timer(co_await asio::this_coro::executor);
  std::mt19937_64 rng(std::random_device{}());

  // Resume the schedule across restarts: poll now only if the last attempt is an interval old.
  if (auto st = deps.store.source_state(cfg.name); st && st->last_attempt && st->consecutive_failures == 0) {
    auto since = SystemClock::now() - *st->last_attempt;
    if (since < cfg.interval) {
      timer.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(cfg.interval - since));
      auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;  // cancelled
    }
  }

  for (;;) {
    auto result = co_await poll_source_once(source, deps);
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) co_return;
    std::optional<std::chrono::seconds> retry_after;
    std::int64_t failures = 0;
    if (!result) {
      retry_after = result.error().retry_after;
      if (auto st = deps.store.source_state(cfg.name)) failures = std::max<std::int64_t>(st->consecutive_failures, 1);
      else failures = 1;
      deps.log->warn("source {}: poll failed: {}", cfg.name, result.error().message());
      deps.events.poll_failed(cfg.name, result.error());
    } else {
      const auto& s = *result;
      if (s.inserted + s.updated > 0)
        deps.log->info("source {}: {} new, {} updated, {} negative", cfg.name, s.inserted, s.updated, s.negative);
    }
    Duration delay = next_poll_delay(cfg.interval, failures, retry_after, rng());
    if (failures > 0) deps.log->info("source {}: next attempt in {}", cfg.name, format_duration(delay));
    timer.expires_after(delay);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // cancelled: shutdown or reload
  }
}

}  // namespace otklik
