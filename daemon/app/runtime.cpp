#include "daemon/app/runtime.hpp"

#include "daemon/app/replies_runtime.hpp"

#include "daemon/app/alert_actions_runtime.hpp"
#include "daemon/app/lease_keeper.hpp"
#include "daemon/app/sla_task.hpp"
#include "daemon/channels/channel_factory.hpp"
#include "daemon/lifecycle/quiet_hours.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>

using namespace std::chrono_literals;

namespace otklik {

namespace {
/// Polls close together share one spike pass: at most one every this long.
constexpr Duration kSpikeSettle = 5s;
}  // namespace

std::map<std::string, Dispatcher*> Runtime::dispatcher_map() const {
  std::map<std::string, Dispatcher*> out;
  for (const auto& d : dispatchers) out[d->channel_name()] = d.get();
  return out;
}

Result<std::unique_ptr<Runtime>> build_runtime(Config config, RuntimeDeps deps) {
  auto rt = std::make_unique<Runtime>();
  rt->config = std::move(config);
  const Config& cfg = rt->config;

  auto scorer = make_lexicon_scorer(cfg.sentiment, cfg.path.parent_path());
  if (!scorer) return Failure(scorer.error().code, "sentiment: " + scorer.error().message());
  rt->scorer = std::move(*scorer);

  rt->http = make_http_client(deps.executor, cfg.http, cfg.daemon.user_agent);
  rt->router = std::make_unique<Router>(cfg.routes);
  Lang lang = parse_lang(cfg.sentiment.lang).value_or(Lang::automatic);
  rt->pipeline = std::make_unique<Pipeline>(*rt->scorer, *rt->router, deps.store, lang, deps.work, deps.backlog);
  auto topics = load_topics(cfg.topics);
  if (!topics) return Failure(topics.error().code, "topics: " + topics.error().message());
  rt->topics = std::move(*topics);
  rt->understander = std::make_unique<Understander>(*rt->scorer, rt->topics, make_brand_matcher(cfg.brands), cfg.understanding);
  rt->pipeline->understand_with(rt->understander.get());
  rt->pipeline->notice_locale(cfg.daemon.locale);
  rt->spikes = std::make_unique<SpikeWatch>(deps.executor, deps.store, rt->config, *rt->router, rt->topics, deps.log);
  rt->spikes->share_with_instances(deps.leases != nullptr);
  rt->spikes->on_change([&events = deps.events](bool started) {
    events.spike(started);
    events.notify_all();
  });
  AppEvents& events = deps.events;
  rt->pipeline->on_score([&events](double s) { events.scored(s); });
  rt->pipeline->on_ingest([&events](const Mention& m, const IngestResult& r) {
    events.ingested(m.source, r.outcome, r.alerts_queued);
  });

  // Lifecycle: the team's calendar, quiet hours on new alerts, the SLA checker (started later).
  auto calendar = make_calendar(cfg.calendar);
  if (!calendar) return Failure(calendar.error().code, "calendar: " + calendar.error().message());
  rt->calendar = std::make_unique<BusinessCalendar>(std::move(*calendar));
  if (cfg.quiet_hours.enabled) {
    const BusinessCalendar* cal = rt->calendar.get();
    QuietHoursConfig quiet = cfg.quiet_hours;
    rt->pipeline->hold_with([cal, quiet](Severity s, TimePoint now) { return hold_until(quiet, *cal, s, now); });
  }
  rt->lifecycle_tasks = std::make_unique<TaskGroup>(deps.executor, deps.log);
  if (cfg.digest.enabled && cfg.smtp.enabled && deps.digest) {
    auto sender = digest::DigestSender::create(
        cfg, deps.store, deps.clock,
        digest::smtp_mail_send(deps.executor, cfg.smtp, mail::SmtpTls{cfg.smtp.ca_file, true, {}}), deps.log);
    if (!sender) return Failure(sender.error().code, "digest: " + sender.error().message());
    rt->digest = std::shared_ptr<digest::DigestSender>(std::move(*sender));
    rt->digest->set_topic_names(topic_names(*rt->topics, cfg.digest.locale.value_or(cfg.daemon.locale)));
  }

  for (const auto& s : cfg.sources) {
    if (!s.enabled) continue;
    try {
      rt->sources.push_back(deps.registry.create(s));
    } catch (const std::exception& e) {
      return Failure(errc::invalid_input, "source " + s.name + ": " + e.what());
    }
  }
  RenderOptions render;
  render.locale = cfg.daemon.locale;
  render.timezone = cfg.daemon.timezone;
  for (const auto& c : cfg.channels) {
    RenderOptions r = render;
    if (c.locale) r.locale = *c.locale;
    try {
      rt->channels.push_back(make_channel(c, *rt->http, r, deps.console, deps.log, &cfg.smtp));
    } catch (const std::exception& e) {
      return Failure(errc::invalid_input, "channel " + c.name + ": " + e.what());
    }
  }
  for (auto& ch : rt->channels) {
    rt->dispatchers.push_back(
        std::make_unique<Dispatcher>(deps.executor, *ch, deps.store, rt->config, deps.events, deps.log, deps.redactor));
    rt->dispatchers.back()->use_topics(rt->topics);
  }
  rt->source_tasks = std::make_unique<TaskGroup>(deps.executor, deps.log);
  rt->poll_slots = std::make_unique<PollSlots>(deps.executor, static_cast<std::size_t>(cfg.daemon.max_concurrent_polls));
  rt->state_saver = std::make_unique<StateSaver>(deps.executor, deps.store, deps.log);
  // First polls have as many slots again, of their own: their slices wait on the store's queue
  // for one another (Pipeline::kBacklogLinger), so enough of them must be in flight to meet there.
  rt->baseline_slots = std::make_unique<PollSlots>(deps.executor, static_cast<std::size_t>(2 * cfg.daemon.max_concurrent_polls));
  rt->dispatch_tasks = std::make_unique<TaskGroup>(deps.executor, deps.log);
  rt->leader_tasks = std::make_unique<TaskGroup>(deps.executor, deps.log);
  // Answers from the chat: the site reply dispatchers join the chats' before the hooks are set.
  if (auto replies = build_replies(*rt, deps); !replies) return replies.error();
  build_alert_actions(*rt, deps);  // buttons on alerts: after the channels and dispatchers
  if (rt->alert_actions) rt->alert_actions->use_topics(rt->topics);
  return rt;
}

namespace {

/// Runs `make()`'s coroutine; if it ends with an exception (a bug), logs it and starts it again
/// after a pause, so one broken source or channel never takes the daemon down. Ends when the
/// coroutine returns normally or on cancellation.
boost::asio::awaitable<void> supervised(std::string name, std::function<boost::asio::awaitable<void>()> make,
                                        std::shared_ptr<spdlog::logger> log) {
  namespace asio = boost::asio;
  co_await asio::this_coro::throw_if_cancelled(false);
  asio::steady_timer pause(co_await asio::this_coro::executor);
  for (;;) {
    std::string error;
    try {
      co_await make();
      co_return;
    } catch (const std::exception& e) {
      error = e.what();
    }
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) co_return;
    log->critical("{} failed: {}; restarting it in 60s", name, error);
    pause.expires_after(60s);
    co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) co_return;
  }
}

/// Reads every source's stored state (one store job), then starts one supervised runner a source.
boost::asio::awaitable<void> start_sources(Runtime& rt, RuntimeDeps deps) {
  auto states = co_await deps.store.run([](SourceStateStore& s) { return s.source_states(); });
  std::map<std::string, SourceState> by_name;
  if (!states) {
    deps.log->error("cannot read the sources' stored state: {}; every source starts as never polled",
                    states.error().message());
  } else {
    for (auto& st : *states) by_name.emplace(st.source, std::move(st));
  }
  Duration longest{};
  for (auto& s : rt.sources) longest = std::max(longest, s->config().interval);
  const Duration spread = first_poll_spread(rt.sources.size(), longest);
  std::size_t started = 0;
  for (auto& s : rt.sources) {
    // Ten thousand runners start in slices: the event loop answers in between.
    if (++started % 256 == 0) co_await boost::asio::post(co_await boost::asio::this_coro::executor, boost::asio::use_awaitable);
    // Under leases every state carries its fence: a batch of routine saves written after the
    // lease moved on skips that state (the holder's own is the one to keep).
    SourceRunnerDeps sd{*rt.http,  deps.store, *rt.pipeline, deps.events, deps.log, rt.config.daemon.user_agent,
                        make_health_policy(rt.config), rt.spikes.get(), rt.poll_slots.get(),
                        rt.baseline_slots.get(), deps.work, deps.backlog, std::min(spread, s->config().interval),
                        rt.state_saver.get(), deps.redactor, deps.leases,
                        deps.schedule};
    std::string name = "source " + s->config().name;
    Source* sp = s.get();
    // The state read now for the first start; a runner restarted after a bug reads it again.
    auto first = std::make_shared<std::optional<SourceState>>();
    if (auto it = by_name.find(s->config().name); it != by_name.end()) *first = std::move(it->second);
    else *first = SourceState{s->config().name};
    rt.source_tasks->spawn(name, supervised(name, [sp, sd, first] {
      std::optional<SourceState> state = std::exchange(*first, std::nullopt);
      return run_source(*sp, std::move(state), sd);
    }, deps.log));
  }
}

/// The one-per-deployment tasks: the SLA and follow-up timer, spike checks, the digest schedule
/// and (with `updates`) the Telegram update loops, in `group`.
void start_deployment_tasks(Runtime& rt, RuntimeDeps deps, TaskGroup& group, bool updates) {
  {
    StoreExecutor* store = &deps.store;
    const Config* cfg = &rt.config;
    const BusinessCalendar* cal = rt.calendar.get();
    AppEvents* events = &deps.events;
    const Clock* clock = &deps.clock;
    auto log = deps.log;
    group.spawn("sla", supervised("sla checker", [store, cfg, cal, events, clock, log] {
      return run_sla_checks(*store, *cfg, *cal, *events, *clock, log);
    }, deps.log));
  }
  if (rt.spikes && rt.config.spikes.enabled) {
    SpikeWatch* watch = rt.spikes.get();
    const Duration every = rt.config.spikes.check_interval;
    const Clock* clock = &deps.clock;
    group.spawn("spikes", supervised("spike checks", [watch, every, clock] {
      return run_spike_checks(*watch, every, kSpikeSettle, *clock);
    }, deps.log));
  }
  if (rt.digest) {
    auto sender = rt.digest;
    auto executor = deps.executor;
    group.spawn("digest", supervised("digest schedule", [executor, sender] {
      return digest::run_digest_schedule(executor, sender);
    }, deps.log));
  }
  if (rt.reply_desk) {
    Runtime* r = &rt;
    StoreExecutor* store = &deps.store;
    const Clock* clock = &deps.clock;
    auto log = deps.log;
    group.spawn("auto replies", supervised("auto replies", [r, store, clock, log] {
      return run_auto_replies(*r, *store, *clock, log);
    }, deps.log));
  }
  if (updates) {
    start_telegram_updates(rt, deps, [log = deps.log](std::string name, std::function<boost::asio::awaitable<void>()> make) {
      return supervised(std::move(name), std::move(make), log);
    }, group);
  }
}

}  // namespace

void start_runtime(Runtime& rt, RuntimeDeps deps) {
  deps.events.set_dispatchers(rt.dispatcher_map());
  for (auto& d : rt.dispatchers) {
    std::string name = "channel " + d->channel_name();
    Dispatcher* dp = d.get();
    rt.dispatch_tasks->spawn(name, supervised(name, [dp] { return dp->run(); }, deps.log));
  }
  if (!rt.sources.empty()) {
    // The stored states of every source in one read, then one runner each.
    rt.source_tasks->spawn("sources", start_sources(rt, deps));
    StateSaver* saver = rt.state_saver.get();
    rt.lifecycle_tasks->spawn("source states", supervised("source state saves", [saver] { return saver->run(); }, deps.log));
  }
  {
    // Closes kept-alive connections as they expire; stopped with the runtime, so no timer of the
    // client outlives the daemon's tasks.
    HttpClient* http = rt.http.get();
    rt.lifecycle_tasks->spawn("http idle connections", supervised("http idle connections", [http] {
      return http->expire_idle_connections();
    }, deps.log));
  }
  if (deps.leases == nullptr) {
    start_deployment_tasks(rt, deps, *rt.lifecycle_tasks, false);
  } else {
    // Several instances: the one-per-deployment tasks run on the leader only, from when it
    // becomes the leader until it stops being one.
    Runtime* r = &rt;
    rt.leases = deps.leases;
    deps.leases->set_sources([&] {
      std::vector<std::string> names;
      for (const auto& src : rt.sources) names.push_back(src->config().name);
      return names;
    }());
    deps.leases->on_leader([r, deps](bool leader) {
      if (leader) {
        deps.log->info("leader: running the SLA timer, digest, spike checks and Telegram update loops here");
        start_deployment_tasks(*r, deps, *r->leader_tasks, true);
      } else {
        deps.log->info("leader: no longer; the SLA timer, digest, spike checks and Telegram update loops stop here");
        r->leader_tasks->cancel_all();
      }
    });
  }
  start_alert_actions(rt, deps, [log = deps.log](std::string name, std::function<boost::asio::awaitable<void>()> make) {
    return supervised(std::move(name), std::move(make), log);
  });
  deps.log->info("started {} sources and {} channels", rt.sources.size(), rt.dispatchers.size());
}

boost::asio::awaitable<bool> stop_runtime(Runtime& rt, std::shared_ptr<spdlog::logger> log) {
  // Everything ends within shutdown_timeout: the sends in flight get it but a short grace, then
  // they are cancelled (and retried after the restart); the rest only finish what they hold.
  const Duration bound = rt.config.daemon.shutdown_timeout;
  const Duration grace = std::min<Duration>(bound / 5, 2s);
  const auto deadline = std::chrono::steady_clock::now() + bound;
  auto left = [&] {
    return std::max<Duration>(std::chrono::duration_cast<Duration>(deadline - std::chrono::steady_clock::now()),
                              Duration{0});
  };
  if (rt.leases != nullptr) rt.leases->on_leader({});  // leadership changes no longer concern this runtime
  rt.source_tasks->cancel_all();
  rt.action_tasks->cancel_all();  // update loops and Slack response posts
  rt.lifecycle_tasks->cancel_all();
  rt.leader_tasks->cancel_all();
  for (auto& d : rt.dispatchers) d->stop();
  bool sends_done = co_await rt.dispatch_tasks->wait_all(std::max<Duration>(left() - grace, Duration{0}));
  if (!sends_done) {
    log->warn("{} deliveries still in flight after {}; cancelling them (they will be retried)",
              rt.dispatch_tasks->running(), format_duration(bound - grace));
    rt.dispatch_tasks->cancel_all();
  }
  bool sources_done = co_await rt.source_tasks->wait_all(left());
  // What the sources saved in passing, written before the store's thread goes.
  if (rt.state_saver) co_await rt.state_saver->flush();
  sources_done = co_await rt.lifecycle_tasks->wait_all(left()) && sources_done;
  sources_done = co_await rt.leader_tasks->wait_all(left()) && sources_done;
  bool dispatch_done = co_await rt.dispatch_tasks->wait_all(left());
  dispatch_done = co_await rt.action_tasks->wait_all(left()) && dispatch_done;
  if (!sources_done || !dispatch_done) {
    log->warn("stop: {} source and {} delivery tasks had not ended after {}", rt.source_tasks->running(),
              rt.dispatch_tasks->running() + rt.action_tasks->running(), format_duration(bound));
    for (const auto& [what, group] : {std::pair{"lifecycle", rt.lifecycle_tasks.get()},
                                      std::pair{"leader", rt.leader_tasks.get()},
                                      std::pair{"actions", rt.action_tasks.get()}})
      if (group->running() > 0) log->warn("stop: still running ({}): {}", what, group->running_names());
  }
  co_return sources_done && dispatch_done;
}

}  // namespace otklik
