#include "daemon/app/dispatcher.hpp"

#include "daemon/app/delivery_request.hpp"
#include "daemon/app/understand.hpp"
#include "daemon/core/cancelled.hpp"
#include "daemon/net/backoff.hpp"
#include "daemon/routing/router.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace otklik {

namespace {
constexpr std::chrono::seconds kLease = 120s;          // longer than any single send may take
constexpr std::chrono::seconds kIdleRecheck = 60s;     // re-read the queue at least this often
constexpr std::chrono::seconds kStoreErrorPause = 5s;
}  // namespace

Duration delivery_retry_delay(int attempts, std::optional<std::chrono::seconds> retry_after, std::uint64_t random,
                              Duration max_backoff) noexcept {
  Duration d = full_jitter_backoff(std::max(attempts - 1, 0), 2s, std::max<Duration>(max_backoff, 1s), random);
  if (retry_after) d = std::max<Duration>(d, *retry_after);
  return d;
}

Dispatcher::Dispatcher(asio::any_io_executor executor, Channel& channel, StoreExecutor& store, const Config& config,
                       DeliveryEvents& events, std::shared_ptr<spdlog::logger> log, const Redactor* redactor)
    : channel_(channel),
      store_(store),
      config_(config),
      events_(events),
      log_(std::move(log)),
      redactor_(redactor),
      wake_(std::move(executor)),
      rng_(std::random_device{}()) {}

void Dispatcher::notify() { wake_.cancel(); }

void Dispatcher::api_answered() {
  if (held_by_api_ || std::chrono::steady_clock::now() >= hold_until_) return;
  hold_until_ = std::chrono::steady_clock::now();
  retry_held_ = true;
  wake_.cancel();
}

void Dispatcher::stop() {
  stopping_ = true;
  wake_.cancel();
}

DeliveryRequest Dispatcher::build_request(const OutboxItem& item, Store& store) {
  DeliveryRequest req = build_delivery_request(item, store, config_, topics_.get(), channel_.config());
  if (on_build_request_) on_build_request_(req, store);
  return req;
}

Result<Dispatcher::Leased> Dispatcher::lease_next(Store& store, TimePoint now) {
  OutboxStore& outbox = store;
  const std::string& name = channel_name();
  auto leased = outbox.lease(name, now, kLease, 1);
  if (!leased) return leased.error();
  Leased out;
  if (leased->empty()) {
    auto due = outbox.next_due(name);
    if (due) out.next_due = *due;
    return out;
  }
  out.request = build_request(leased->front(), store);
  return out;
}

asio::awaitable<Dispatcher::Step> Dispatcher::step(std::chrono::steady_clock::duration& wait) {
  const std::string& name = channel_name();
  const TimePoint lease_time = SystemClock::now();
  auto leased = co_await store_.run([&](Store& s) { return lease_next(s, lease_time); });
  if (!leased) {
    log_->error("channel {}: cannot lease from the outbox: {}", name, leased.error().message());
    wait = kStoreErrorPause;
    co_return Step::backoff;
  }
  if (!leased->request) {
    wait = kIdleRecheck;
    if (leased->next_due) {
      auto until = *leased->next_due - SystemClock::now();
      wait = std::clamp<std::chrono::steady_clock::duration>(until, 0s, kIdleRecheck);
    }
    co_return Step::idle;
  }
  const OutboxItem item = leased->request->item;
  Delivery d = co_await channel_.deliver(std::move(*leased->request));
  const TimePoint now = SystemClock::now();
  if (redactor_ != nullptr) d.error = (*redactor_)(std::move(d.error));  // stored with the row
  switch (d.status) {
    case Delivery::Status::delivered: {
      const bool clear_hold = hold_kept_;
      auto r = co_await store_.run([&](OutboxStore& s) -> Result<void> {
        if (clear_hold)
          if (auto c = s.set_channel_hold(name, std::nullopt); !c) return c;
        return s.mark_sent(item.id, d.remote_id, now);
      });
      if (r) hold_kept_ = false;
      held_by_api_ = false;
      if (!r) log_->error("channel {}: alert {} sent but not recorded: {}", name, item.id, r.error().message());
      log_->info("channel {}: alert {} delivered{}{}", name, item.id, d.remote_id.empty() ? "" : " as ", d.remote_id);
      events_.delivered(name, item);
      co_return Step::sent;
    }
    case Delivery::Status::retry: {
      Duration delay = delivery_retry_delay(item.attempts + 1, d.retry_after, rng_(), channel_.config().max_backoff);
      // The API's own "not before" is kept in the store: a restart honours it too.
      const bool keep = d.retry_after.has_value();
      auto r = co_await store_.run([&](OutboxStore& s) -> Result<void> {
        if (keep)
          if (auto h = s.set_channel_hold(name, now + delay); !h) return h;
        return s.mark_retry(item.id, now + delay, d.error);
      });
      if (r && keep) hold_kept_ = true;
      held_by_api_ = keep;
      if (!r) log_->error("channel {}: cannot reschedule alert {}: {}", name, item.id, r.error().message());
      log_->warn("channel {}: alert {} failed (attempt {}): {}; retrying in {}", name, item.id, item.attempts + 1,
                 d.error, format_duration(delay));
      events_.retrying(name, item, d);
      wait = delay;  // hold the channel: order and the API's rate limit are kept
      co_return Step::backoff;
    }
    case Delivery::Status::dead: {
      auto r = co_await store_.run([&](OutboxStore& s) { return s.mark_dead(item.id, d.error, now); });
      if (!r) log_->error("channel {}: cannot move alert {} to the dead letter: {}", name, item.id, r.error().message());
      log_->error("channel {}: alert {} rejected permanently, moved to the dead letter: {}", name, item.id, d.error);
      events_.dead(name, item, d);
      co_return Step::sent;
    }
  }
  co_return Step::idle;
}

asio::awaitable<void> Dispatcher::run() {
  co_await asio::this_coro::throw_if_cancelled(false);
  // A "not before" kept from an earlier run (the API's Retry-After) holds the channel at start.
  {
    const std::string& name = channel_name();
    auto kept = co_await store_.run([&](OutboxStore& s) { return s.channel_hold(name); });
    if (kept && *kept && **kept > SystemClock::now()) {
      hold_until_ = std::chrono::steady_clock::now() +
                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(**kept - SystemClock::now());
      held_by_api_ = true;
      hold_kept_ = true;
      log_->info("channel {}: its API asked to wait; holding until {} s from now", name,
                 std::chrono::duration_cast<std::chrono::seconds>(**kept - SystemClock::now()).count());
    } else if (kept && *kept) {
      hold_kept_ = true;  // passed: cleared with the next success
    }
  }
  // While held (after a transient failure), new rows do not cut the wait short: a rate-limited
  // API must not see another request before its Retry-After. Another request to the same API
  // that succeeds does cut a hold short that the API did not ask for (api_answered).
  auto& hold_until = hold_until_;
  while (!stopping_) {
    if (retry_held_) {
      // The rows put off by the failures are due again now (not those held by quiet hours).
      retry_held_ = false;
      const std::string& name = channel_name();
      const TimePoint now = SystemClock::now();
      auto r = co_await store_.run([&](OutboxStore& s) { return s.retry_now(name, now); });
      if (r && *r > 0) log_->info("channel {}: its API answers again; retrying {} held alert(s) now", name, *r);
    }
    if (std::chrono::steady_clock::now() < hold_until) {
      wake_.expires_at(hold_until);
      co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
      if (co_await cancelled()) co_return;
      continue;
    }
    std::chrono::steady_clock::duration wait{};
    Step s = co_await step(wait);
    if (co_await cancelled()) co_return;
    if (s == Step::sent) continue;
    if (s == Step::backoff) {
      hold_until = std::chrono::steady_clock::now() + wait;
      continue;
    }
    wake_.expires_after(wait);
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (co_await cancelled()) co_return;
  }
}

asio::awaitable<void> Dispatcher::drain() {
  for (;;) {
    std::chrono::steady_clock::duration wait{};
    Step s = co_await step(wait);
    if (s != Step::sent) co_return;
  }
}

}  // namespace otklik
