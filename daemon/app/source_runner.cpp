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
    if (auto saved = deps.store.save_source_state(state); !saved)
      deps.log->error("source {}: cannot save state: {}", cfg.name, saved.error().message());
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
  if (auto saved = deps.store.save_source_state(state); !saved) {
    deps.log->error("source {}: cannot save state: {}", cfg.name, saved.error().message());
    co_return saved.error();
  }
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
