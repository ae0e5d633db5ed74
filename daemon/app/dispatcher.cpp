#include "daemon/app/dispatcher.hpp"

#include "daemon/app/delivery_request.hpp"
#include "daemon/app/understand.hpp"
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

Duration delivery_retry_delay(int attempts, std::optional<std::chrono::seconds> retry_after,
                              std::uint64_t random) noexcept {
  Duration d = full_jitter_backoff(std::max(attempts - 1, 0), 2s, 5min, random);
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

void Dispatcher::stop() {
  stopping_ = true;
  wake_.cancel();
}

DeliveryRequest Dispatcher::build_request(const OutboxItem& item, MentionStore& mentions, CaseStore& cases,
                                          OutboxStore& outbox) {
  DeliveryRequest req = build_delivery_request(item, mentions, config_, topics_.get(), channel_.config());
  if (on_build_request_) on_build_request_(req, cases, outbox);
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
  out.request = build_request(leased->front(), store, store, store);
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
      auto r = co_await store_.run([&](OutboxStore& s) { return s.mark_sent(item.id, d.remote_id, now); });
      if (!r) log_->error("channel {}: alert {} sent but not recorded: {}", name, item.id, r.error().message());
      log_->info("channel {}: alert {} delivered{}{}", name, item.id, d.remote_id.empty() ? "" : " as ", d.remote_id);
      events_.delivered(name, item);
      co_return Step::sent;
    }
    case Delivery::Status::retry: {
      Duration delay = delivery_retry_delay(item.attempts + 1, d.retry_after, rng_());
      auto r = co_await store_.run([&](OutboxStore& s) { return s.mark_retry(item.id, now + delay, d.error); });
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
  auto cancelled = []() -> asio::awaitable<bool> {
    co_return (co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none;
  };
  // While held (after a transient failure), new rows do not cut the wait short: a rate-limited
  // API must not see another request before its Retry-After.
  std::chrono::steady_clock::time_point hold_until{};
  while (!stopping_) {
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
