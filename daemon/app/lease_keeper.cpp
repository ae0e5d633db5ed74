#include "daemon/app/lease_keeper.hpp"

#include "daemon/core/cancelled.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/core/duration.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <unistd.h>

namespace asio = boost::asio;

namespace otklik {

namespace {
constexpr std::string_view kSourcePrefix = "source:";
}  // namespace

std::string source_lease_name(const std::string& source) { return std::string(kSourcePrefix) + source; }

int fair_share(int sources, int live) noexcept {
  if (sources <= 0) return 0;
  live = std::max(1, live);
  return (sources + live - 1) / live;
}

std::vector<std::string> surplus(const std::set<std::string>& held, const std::set<std::string>& busy, int share) {
  std::vector<std::string> out;
  int excess = static_cast<int>(held.size()) - std::max(0, share);
  for (auto it = held.rbegin(); it != held.rend() && excess > 0; ++it) {
    if (busy.contains(*it)) continue;
    out.push_back(*it);
    --excess;
  }
  return out;
}

/// What a round did in the store, applied on the I/O thread.
struct LeaseKeeper::RoundResult {
  std::optional<Failure> failure;
  Heartbeat beat;
  bool renewed_ok = false;
  std::vector<HeldLease> renewed;    ///< every lease held after the renewal (sources and leader)
  std::vector<std::string> released; ///< source names given up this round
  std::vector<HeldLease> claimed;    ///< leases claimed this round
  bool ensured = false;              ///< the lease rows of the sources were made
};

LeaseKeeper::LeaseKeeper(asio::any_io_executor executor, StoreExecutor& store, LeaseKeeperOptions options,
                         health::MetricsRegistry& metrics, std::shared_ptr<spdlog::logger> log)
    : executor_(std::move(executor)),
      store_(store),
      options_(std::move(options)),
      log_(std::move(log)),
      held_gauge_(metrics.gauge("otklik_leases_held", "Source leases this instance holds (the sources it polls).")),
      leader_gauge_(metrics.gauge("otklik_leader", "1 while this instance holds the leader lease "
                                                   "(SLA timer, digest, spike checks, Telegram updates).")),
      live_gauge_(metrics.gauge("otklik_instances_live", "Instances sharing the database, as the last heartbeat saw.")),
      taken_(metrics.counter("otklik_leases_taken_total", "Leases this instance claimed (sources and leader).")),
      lost_(metrics.counter("otklik_leases_lost_total",
                            "Leases found taken over by another instance (this one was late renewing them).")),
      given_up_(metrics.counter("otklik_leases_given_up_total",
                                "Source leases given up for balance (instances joined) or because the source "
                                "left the config.")),
      round_failures_(metrics.counter("otklik_lease_round_failures_total",
                                      "Lease rounds that could not reach the database.")),
      round_seconds_(metrics.histogram("otklik_lease_round_seconds",
                                       "Time of one lease round in the database (heartbeat, renewal, claims).",
                                       {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5})) {
  std::random_device rd;
  incarnation_ = fmt::format("{}-{:016x}", ::getpid(), (static_cast<std::uint64_t>(rd()) << 32) | rd());
  metrics.gauge("otklik_instance_info", "This instance's id among those sharing the database.",
                {{"instance", options_.instance}})
      .set(1);
}

void LeaseKeeper::set_sources(std::vector<std::string> sources) {
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
  sources_ = std::move(sources);
  ensured_ = false;
}

void LeaseKeeper::on_leader(std::function<void(bool)> f) {
  on_leader_ = std::move(f);
  if (on_leader_ && leader_) on_leader_(true);
}

asio::awaitable<void> LeaseKeeper::run() {
  co_await asio::this_coro::throw_if_cancelled(false);
  asio::steady_timer timer(executor_);
  const auto period = std::max<Duration>(options_.ttl / 3, Duration{100});
  bool first = true;
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    co_await round(first);
    first = false;
    if (co_await cancelled()) break;
    timer.expires_at(started + period);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec || co_await cancelled()) break;
  }
  set_leader(false);
}

asio::awaitable<void> LeaseKeeper::round(bool first) {
  if (stopped_) co_return;  // given up: no more claims (the store runs jobs in order, so a round
                            // already posted ran before the release)
  // What the round decides from: a copy, the job runs on the store's thread.
  std::set<std::string> held;
  std::set<std::string> busy;
  for (const auto& [name, h] : held_) {
    held.insert(name);
    if (h.polling) busy.insert(name);
  }
  const std::vector<std::string> sources = sources_;
  const std::string instance = options_.instance;
  const std::string incarnation = incarnation_;
  const Duration ttl = options_.ttl;
  const bool ensure = !ensured_;
  const auto t0 = std::chrono::steady_clock::now();

  RoundResult result = co_await store_([&](LeaseStore& s) {
    RoundResult r;
    const TimePoint now = SystemClock::now();
    const TimePoint until = now + ttl;
    auto fail = [&r](const Failure& f) {
      r.failure = f;
      return r;
    };
    auto beat = s.heartbeat(instance, incarnation, now, ttl);
    if (!beat) return fail(beat.error());
    r.beat = *beat;
    auto renewed = s.renew_leases(instance, until);
    if (!renewed) return fail(renewed.error());
    r.renewed_ok = true;
    r.renewed = std::move(*renewed);
    if (first) return r;  // announce first: instances started together see each other before claiming
    if (ensure) {
      std::vector<std::string> names{std::string(kLeaderLease)};
      for (const std::string& name : sources) names.push_back(source_lease_name(name));
      if (auto made = s.ensure_leases(names); !made) return fail(made.error());
      r.ensured = true;
    }

    std::set<std::string> configured(sources.begin(), sources.end());
    std::set<std::string> mine;       // source names held now
    std::vector<std::string> strays;  // leases of sources no longer configured here
    bool leader = false;
    for (const HeldLease& l : r.renewed) {
      if (l.name == kLeaderLease) {
        leader = true;
      } else if (l.name.starts_with(kSourcePrefix)) {
        std::string name = l.name.substr(kSourcePrefix.size());
        if (configured.contains(name)) mine.insert(std::move(name));
        else strays.push_back(l.name);
      }
    }
    const int share = fair_share(static_cast<int>(sources.size()), r.beat.live);
    std::set<std::string> polling;
    std::set_intersection(busy.begin(), busy.end(), mine.begin(), mine.end(), std::inserter(polling, polling.end()));
    std::vector<std::string> give_up;
    for (std::string& name : surplus(mine, polling, share)) {
      mine.erase(name);
      r.released.push_back(name);
      give_up.push_back(source_lease_name(name));
    }
    give_up.insert(give_up.end(), strays.begin(), strays.end());
    if (!give_up.empty()) {
      if (auto rel = s.release_leases(instance, give_up, now); !rel) return fail(rel.error());
    }

    std::vector<std::string> candidates;
    candidates.reserve(sources.size());
    for (const std::string& name : sources)
      if (!mine.contains(name)) candidates.push_back(source_lease_name(name));
    const int want = share - static_cast<int>(mine.size());
    if (!candidates.empty()) {
      // Under the share: leases free now. At or over it: only leases free for a whole lease
      // period, which no instance under its share took (the live count disagreed for a while).
      auto claimed = want > 0 ? s.claim_leases(instance, candidates, want, now, until)
                              : s.claim_leases(instance, candidates, static_cast<int>(candidates.size()),
                                               now - ttl, until);
      if (!claimed) return fail(claimed.error());
      r.claimed = std::move(*claimed);
    }
    if (!leader) {
      auto claimed = s.claim_leases(instance, {std::string(kLeaderLease)}, 1, now, until);
      if (!claimed) return fail(claimed.error());
      r.claimed.insert(r.claimed.end(), claimed->begin(), claimed->end());
    }
    return r;
  });
  round_seconds_.observe(std::chrono::steady_clock::now() - t0);
  apply(result);
}

void LeaseKeeper::apply(const RoundResult& r) {
  if (stopped_) return;
  if (r.ensured) ensured_ = true;
  if (r.renewed_ok) {
    // What the database says this instance holds now; anything else was taken over.
    std::map<std::string, std::int64_t> renewed;
    bool leader = false;
    for (const HeldLease& l : r.renewed) {
      if (l.name == kLeaderLease) {
        leader = true;
      } else if (l.name.starts_with(kSourcePrefix)) {
        renewed.emplace(l.name.substr(kSourcePrefix.size()), l.fence);
      }
    }
    std::vector<std::string> gone;
    for (const auto& [name, h] : held_) {
      auto it = renewed.find(name);
      if (it == renewed.end() || it->second != h.fence) gone.push_back(name);
    }
    for (const auto& name : gone) {
      lost_.inc();
      forget(name, "taken over by another instance");
    }
    if (leader_ && !leader) {
      lost_.inc();
      log_->warn("leases: the leader lease was taken over by another instance");
      set_leader(false);
    }
  }
  for (const auto& name : r.released) {
    given_up_.inc();
    held_.erase(name);
  }
  if (!r.released.empty())
    log_->info("leases: gave up {} source(s) to the instances that joined ({} instances alive)", r.released.size(),
               r.beat.live);
  int taken = 0;
  for (const HeldLease& l : r.claimed) {
    taken_.inc();
    if (l.name == kLeaderLease) {
      log_->info("leases: this instance is the leader now (fence {})", l.fence);
      set_leader(true);
      continue;
    }
    std::string name = l.name.substr(kSourcePrefix.size());
    held_[name] = Held{l.fence, false};
    wake(name);
    ++taken;
  }
  if (taken > 0) log_->info("leases: took {} source(s); {} held, {} instances alive", taken, held_.size(), r.beat.live);

  if (r.failure) {
    round_failures_.inc();
    if (!down_)
      log_->error("leases: cannot reach the store: {}; polls and leader tasks go on under the leases held, "
                  "whose writes the store refuses once another instance took them over",
                  r.failure->message());
    down_ = true;
    healthy_ = false;
  } else {
    if (down_) log_->info("leases: the store answers again");
    down_ = false;
    healthy_ = true;
    last_ok_ = std::chrono::steady_clock::now();
    live_gauge_.set(r.beat.live);
    // The first beat finds the row of this id's previous run: no clash.
    if (r.beat.id_clash && beats_ > 0 && !clash_reported_) {
      log_->critical("leases: another running process uses instance id \"{}\": give each instance its own "
                     "[store] instance",
                     options_.instance);
      clash_reported_ = true;
    }
    ++beats_;
  }
  held_gauge_.set(static_cast<double>(held_.size()));
}

asio::awaitable<void> LeaseKeeper::give_up() {
  stopped_ = true;
  const std::string instance = options_.instance;
  auto r = co_await store_([&](LeaseStore& s) { return s.release_holder(instance, SystemClock::now()); });
  if (!r) log_->warn("leases: cannot give up the leases at stop: {}; they expire in {}", r.error().message(),
                     format_duration(options_.ttl));
  held_.clear();
  held_gauge_.set(0);
  set_leader(false);
}

void LeaseKeeper::set_leader(bool on) {
  if (leader_ == on) return;
  leader_ = on;
  leader_gauge_.set(on ? 1 : 0);
  if (on_leader_) on_leader_(on);
}

void LeaseKeeper::wake(const std::string& source) {
  auto [b, e] = waiting_.equal_range(source);
  for (auto it = b; it != e; ++it) it->second->cancel();
}

void LeaseKeeper::forget(const std::string& source, const char* why) {
  if (held_.erase(source) > 0) log_->info("source {}: lease lost ({}); another instance polls it", source, why);
  held_gauge_.set(static_cast<double>(held_.size()));
}

std::optional<LeaseFence> LeaseKeeper::fence_of(const std::string& source) const {
  auto it = held_.find(source);
  if (it == held_.end()) return std::nullopt;
  return LeaseFence{source_lease_name(source), options_.instance, it->second.fence};
}

asio::awaitable<std::optional<LeaseFence>> LeaseKeeper::wait_for(const std::string& source) {
  co_await asio::this_coro::throw_if_cancelled(false);
  for (;;) {
    if (auto f = fence_of(source)) co_return f;
    asio::steady_timer timer(executor_, asio::steady_timer::time_point::max());
    auto it = waiting_.emplace(source, &timer);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    waiting_.erase(it);
    (void)ec;
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none)
      co_return std::nullopt;
  }
}

void LeaseKeeper::polling(const std::string& source, bool on) {
  if (auto it = held_.find(source); it != held_.end()) it->second.polling = on;
}

void LeaseKeeper::lost(const LeaseFence& fence) {
  if (!fence.name.starts_with(kSourcePrefix)) return;
  const std::string name = fence.name.substr(kSourcePrefix.size());
  auto it = held_.find(name);
  if (it == held_.end() || it->second.fence != fence.fence) return;
  lost_.inc();
  forget(name, "its poll's writes were refused");
}

}  // namespace otklik
