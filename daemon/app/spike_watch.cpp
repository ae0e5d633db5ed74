#include "daemon/app/spike_watch.hpp"

#include "daemon/core/clock.hpp"
#include "daemon/understanding/spikes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <algorithm>

namespace otklik {

namespace {

understanding::SpikeParams params_of(const SpikesConfig& c) {
  understanding::SpikeParams p;
  p.window = std::chrono::duration_cast<std::chrono::minutes>(c.window);
  p.baseline_weeks = c.baseline_weeks;
  p.min_count = c.min_count;
  p.min_ratio = c.min_ratio;
  return p;
}

std::int64_t to_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string payload(const understanding::SpikeText& t) {
  return boost::json::serialize(boost::json::object{{"title", t.title}, {"text", t.text}});
}

/// A duration shown in notices: minutes below two hours, then whole hours, then whole days.
std::chrono::minutes rounded(Duration d) {
  using namespace std::chrono;
  const auto m = duration_cast<minutes>(d);
  if (m < hours(2)) return std::max(m, minutes(1));
  if (m < hours(48)) return duration_cast<minutes>(duration_cast<hours>(m + minutes(30)));
  return duration_cast<minutes>(hours(24) * ((m.count() + 12 * 60) / (24 * 60)));
}

}  // namespace

SpikeWatch::SpikeWatch(boost::asio::any_io_executor executor, StoreExecutor& store, const Config& config,
                       const Router& router, std::shared_ptr<const understanding::Taxonomy> topics,
                       std::shared_ptr<spdlog::logger> log)
    : store_(store),
      config_(config),
      router_(router),
      topics_(std::move(topics)),
      log_(std::move(log)),
      wake_(std::move(executor)) {}

std::vector<std::string> SpikeWatch::channels_for(const std::string& brand) const {
  if (!config_.spikes.channels.empty()) return config_.spikes.channels;
  std::vector<std::string> out;
  for (const SourceConfig& s : config_.sources) {
    if (!s.brand.empty() && s.brand != brand && !s.match_brands) continue;
    Mention m;
    m.source = s.name;
    m.brand = brand;
    for (auto& ch : router_.channels_for(m, Severity::high))
      if (std::find(out.begin(), out.end(), ch) == out.end()) out.push_back(std::move(ch));
  }
  if (out.empty() && !config_.sources.empty()) {
    // No source of this brand is routed anywhere (mentions without a brand, say): tell every
    // channel some source is routed to rather than record the spike silently.
    for (const SourceConfig& s : config_.sources) {
      Mention m;
      m.source = s.name;
      m.brand = s.brand;
      for (auto& ch : router_.channels_for(m, Severity::high))
        if (std::find(out.begin(), out.end(), ch) == out.end()) out.push_back(std::move(ch));
    }
  }
  return out;
}

void SpikeWatch::touched(const Keys& keys) {
  if (!config_.spikes.enabled || keys.empty()) return;
  touched_.insert(keys.begin(), keys.end());
  wake_.cancel();
}

boost::asio::awaitable<SpikePass> SpikeWatch::check_touched(TimePoint now) {
  Keys keys = std::move(touched_);
  touched_.clear();
  const bool shared = shared_;
  // Shared: the pairs with negatives since the last pass (its minute again, which may have gained
  // more), whichever instance's polls stored them.
  const std::int64_t now_minute = std::chrono::floor<std::chrono::minutes>(now.time_since_epoch()).count();
  const std::int64_t from_minute = last_minute_.value_or(now_minute - 1);
  SpikePass pass = co_await store_.run([&](Store& s) {
    if (shared) {
      auto pairs = static_cast<SpikeStore&>(s).pairs_since(from_minute);
      if (!pairs) {
        SpikePass failed;
        failed.errors.push_back("pairs with new negatives: " + pairs.error().message());
        return failed;
      }
      keys.insert(pairs->begin(), pairs->end());
    }
    return check(s, keys, now);
  });
  if (shared && pass.errors.empty()) last_minute_ = now_minute;
  if (observer_) {
    for (int i = 0; i < pass.started; ++i) observer_(true);
    for (int i = 0; i < pass.ended; ++i) observer_(false);
  }
  co_return pass;
}

SpikePass SpikeWatch::check(SpikeStore& store, const Keys& keys, TimePoint now) {
  SpikePass pass;
  if (!config_.spikes.enabled) return pass;
  const understanding::SpikeParams p = params_of(config_.spikes);
  auto active = store.active_spikes();
  if (!active) {
    pass.errors.push_back("active spikes: " + active.error().message());
    return pass;
  }
  std::set<std::pair<std::string, std::string>> all = keys;
  for (const auto& s : *active) all.emplace(s.brand, s.topic);

  const std::string& locale = config_.daemon.locale;
  const std::int64_t now_ms = to_ms(now);
  const auto [first_minute, last_minute] = understanding::minutes_needed(now_ms, p);
  const std::int64_t window_minutes = std::chrono::duration_cast<std::chrono::minutes>(p.window).count();
  for (const auto& [brand, topic] : all) {
    // The current window, read every time (its minutes only) …
    auto recent = store.negative_counts(brand, topic, last_minute - window_minutes, last_minute);
    if (!recent) {
      pass.errors.push_back(brand + "/" + topic + ": " + recent.error().message());
      continue;
    }
    const int count = understanding::current_count(std::span<const understanding::MinuteCount>(*recent), now_ms, p);
    // … and the baseline weeks read again only when the kept one is older than kBaselineTtl: the
    // median of hundreds of windows barely moves in that time.
    Baseline& base = baselines_[{brand, topic}];
    if (base.windows.empty() || now - base.computed > kBaselineTtl || base.computed > now) {
      auto counts = store.negative_counts(brand, topic, first_minute, last_minute - window_minutes);
      if (!counts) {
        pass.errors.push_back(brand + "/" + topic + ": " + counts.error().message());
        continue;
      }
      base.windows = understanding::baseline_counts(std::span<const understanding::MinuteCount>(*counts), now_ms, p);
      base.computed = now;
      ++pass.baselines_read;
    }
    const auto verdict = understanding::assess(count, base.windows, p);
    const auto it = std::find_if(active->begin(), active->end(),
                                 [&](const SpikeRecord& s) { return s.brand == brand && s.topic == topic; });
    const bool is_active = it != active->end();
    const auto change = understanding::next(is_active, verdict);

    const understanding::Topic* t = topics_ && !topic.empty() ? topics_->find(topic) : nullptr;
    const std::string topic_name = topic.empty() ? std::string() : t ? t->name.in(locale) : topic;
    const BrandConfig* b = config_.find_brand(brand);
    const std::string brand_name = b ? b->name : brand;

    if (change == understanding::SpikeChange::started) {
      const auto text = understanding::spike_started_text(verdict, brand_name, topic_name, p.window, locale);
      std::vector<AlertRequest> notices;
      for (const auto& ch : channels_for(brand)) notices.push_back({ch, "notice", payload(text), std::nullopt});
      SpikeRecord rec;
      rec.brand = brand;
      rec.topic = topic;
      rec.started = now;
      rec.start_count = count;
      rec.peak_count = count;
      rec.usual = verdict.usual;
      auto started = store.start_spike(rec, notices, now);
      if (!started) {
        pass.errors.push_back(brand + "/" + topic + ": " + started.error().message());
      } else if (*started) {
        ++pass.started;
        if (log_) log_->warn("spike: {}{} negatives in {} about {} (usually {:.1f})", brand_name.empty() ? "" : brand_name + ": ",
                             count, understanding::duration_words(p.window, "en"), topic.empty() ? "all topics" : topic,
                             verdict.usual);
      }
    } else if (change == understanding::SpikeChange::ended) {
      const auto text = understanding::spike_ended_text(std::max(it->peak_count, count), count, brand_name, topic_name,
                                                        rounded(std::chrono::duration_cast<Duration>(now - it->started)), p.window, locale);
      std::vector<AlertRequest> notices;
      for (const auto& ch : channels_for(brand)) notices.push_back({ch, "notice", payload(text), std::nullopt});
      auto ended = store.end_spike(it->id, notices, now);
      if (!ended) {
        pass.errors.push_back(brand + "/" + topic + ": " + ended.error().message());
      } else if (*ended) {
        ++pass.ended;
        if (log_) log_->info("spike over: {} about {}", brand_name.empty() ? "-" : brand_name, topic.empty() ? "all topics" : topic);
      }
    } else if (is_active && count > it->peak_count) {
      if (auto r = store.update_spike_peak(it->id, count); !r) pass.errors.push_back(r.error().message());
    }
  }
  if (log_)
    for (const auto& e : pass.errors) log_->error("spike check: {}", e);
  return pass;
}

boost::asio::awaitable<void> run_spike_checks(SpikeWatch& watch, Duration interval, Duration settle,
                                              const Clock& clock) {
  namespace asio = boost::asio;
  co_await asio::this_coro::throw_if_cancelled(false);
  asio::steady_timer pause(co_await asio::this_coro::executor);
  auto last_full = std::chrono::steady_clock::now() - interval;
  for (;;) {
    co_await watch.check_touched(clock.now());
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) co_return;
    last_full = std::chrono::steady_clock::now();
    // Polls close together share the next pass.
    pause.expires_after(settle);
    auto [pe] = co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) co_return;
    (void)pe;
    // Sleep until pairs are touched (the runners cancel `wake`) or the periodic pass is due.
    // Shared with other instances: their polls wake nobody here, so a pass every `settle`.
    while (!watch.shared() && !watch.pending() && std::chrono::steady_clock::now() - last_full < interval) {
      watch.wake().expires_at(last_full + interval);
      auto [ec] = co_await watch.wake().async_wait(asio::as_tuple(asio::use_awaitable));
      if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) co_return;
      (void)ec;
    }
  }
}

}  // namespace otklik
