#include "daemon/app/application.hpp"

#include "daemon/app/app_events.hpp"
#include "daemon/app/lease_keeper.hpp"
#include "daemon/app/runtime.hpp"
#include "daemon/app/source_schedule.hpp"
#include "daemon/app/web_inbox.hpp"
#include "daemon/app/worker_pool.hpp"
#include "daemon/core/offload.hpp"
#include "daemon/config/config_load.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/core/log_prefix.hpp"
#include "daemon/core/redactor.hpp"
#include "daemon/health/health_server.hpp"
#include "daemon/health/metrics.hpp"
#include "daemon/health/systemd_notify.hpp"
#include "daemon/app/store_open.hpp"
#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_executor.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <csignal>
#include <cstdlib>
#include <unistd.h>
#include <thread>

namespace asio = boost::asio;

namespace otklik {
namespace {

std::filesystem::path state_path(const Config& cfg) {
  std::filesystem::path p = cfg.daemon.state;
  if (p.is_relative() && p != ":memory:") p = cfg.path.parent_path() / p;
  return p;
}

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "otklik";
  return buf;
}

void apply_log_level(spdlog::logger& log, const std::string& level) {
  log.set_level(spdlog::level::from_str(level));
}

}  // namespace

/// The daemon: owns what lives for the whole process and the current Runtime.
struct Daemon::Impl {
  Impl(std::filesystem::path config_path, std::shared_ptr<spdlog::logger> log,
         std::ostream& console)
      : config_path_(std::move(config_path)),
        log_(std::move(log)),
        console_(console),
        registry_(SourceRegistry::with_builtin_types()),
        events_(metrics_),
        lifetime_(ioc_.get_executor(), log_) {}

  int start();
  int exit_code() const { return exit_code_; }
  asio::awaitable<void> handle_signals();
  asio::awaitable<void> reload();
  asio::awaitable<void> shutdown();
  RuntimeDeps deps() {
    return RuntimeDeps{ioc_.get_executor(),
                       *store_exec_,
                       events_,
                       registry_,
                       log_,
                       console_,
                       clock_,
                       health_.get(),
                       true,
                       work_ ? work_->executor() : boost::asio::any_io_executor{},
                       backlog_ ? backlog_->executor() : boost::asio::any_io_executor{},
                       redactor_.get(),
                       leases_.get(),
                       &schedule_};
  }
  /// Opens (and migrates) the store of `cfg`'s [store] backend into store_; false after logging
  /// why it could not.
  bool open_store(const Config& cfg);
  /// One more session of the configured store (a pool's lane, the lease round's, the inbox's),
  /// with this instance's id; null after a critical log line naming `what`.
  std::unique_ptr<Store> open_session(const Config& cfg, std::string_view what);
  /// Reads the store's figures (outbox, mentions) into their gauges, as a store job.
  asio::awaitable<void> refresh_store_gauges();
  /// GET /metrics: the store's figures read first (the scrape waits for them, nothing else does).
  asio::awaitable<health::ServerResponse> metrics_page();
  void register_process_metrics();
  void log_problems(const std::vector<ConfigProblem>& problems) {
    for (const auto& p : problems) {
      std::string line = format_problems(config_path_, {p});
      while (!line.empty() && line.back() == '\n') line.pop_back();
      if (p.warning) log_->warn("config: {}", line);
      else log_->error("config: {}", line);
    }
  }

  asio::io_context ioc_{1};
  std::filesystem::path config_path_;
  std::shared_ptr<spdlog::logger> log_;
  std::ostream& console_;
  SourceRegistry registry_;
  SystemClockSource clock_;
  health::MetricsRegistry metrics_;
  AppEvents events_;
  std::shared_ptr<Redactor> redactor_ = std::make_shared<Redactor>();  // secrets hidden in logs, errors, notices
  std::unique_ptr<Store> store_;                     // SQLite or PostgreSQL ([store] backend)
  SqliteStore* sqlite_ = nullptr;                    // store_ when it is SQLite: its work figures
  std::vector<std::unique_ptr<Store>> pool_stores_;  // PostgreSQL: the pool's other sessions
  std::unique_ptr<StoreExecutor> store_exec_;        // the store's own thread (a thread a session)
  std::unique_ptr<WorkerPool> work_;                 // parsing and scoring off the event loop
  std::unique_ptr<WorkerPool> backlog_;              // the same for first polls, at a lower priority
  std::unique_ptr<health::HealthServer> health_;
  std::unique_ptr<Store> lease_store_;              // PostgreSQL: the lease rounds' own session
  std::unique_ptr<StoreExecutor> lease_exec_;      // … and thread
  std::unique_ptr<LeaseKeeper> leases_;            // PostgreSQL: this instance's share of the work
  std::string instance_;                           // PostgreSQL: this instance's id
  SourceSchedule schedule_;                        // next polls, and "poll now" from the web inbox
  std::unique_ptr<Store> web_store_;               // [web]: the inbox's own store session…
  std::unique_ptr<StoreExecutor> web_exec_;        // … and thread: its reads never hold up the pipeline
  std::unique_ptr<WebInbox> web_;                  // [web]: the team's web inbox
  std::unique_ptr<Runtime> runtime_;
  std::vector<std::unique_ptr<Runtime>> retired_;  // runtimes whose tasks did not end in time
  TaskGroup lifetime_;                              // signals, health server, watchdog
  asio::signal_set signals_{ioc_, SIGTERM, SIGINT, SIGHUP};
  bool ready_ = false;
  bool stopping_ = false;
  int exit_code_ = kExitOk;
  unsigned short health_port_ = 0;
  unsigned short web_port_ = 0;
};

int Daemon::Impl::start() {
  auto loaded = load_config(config_path_, &registry_);
  log_problems(loaded.problems);
  if (!loaded.config) {
    log_->critical("config {} is invalid; not starting", config_path_.string());
    return kExitConfig;
  }
  Config cfg = std::move(*loaded.config);
  // Every log line from here on passes through the redactor (the configured secrets and any
  // bot-token shape are hidden, whatever a remote error page echoes).
  redactor_->set_secrets(secret_values(cfg));
  {
    auto inner = log_->sinks();
    log_->sinks().clear();
    log_->sinks().push_back(Redactor::sink(redactor_, std::move(inner)));
  }
  apply_log_level(*log_, cfg.daemon.log_level);
  log_->info("config {} loaded: {} sources, {} channels, {} routes", config_path_.string(), cfg.sources.size(),
             cfg.channels.size(), cfg.routes.size());

  const bool shared = cfg.store.backend == StoreConfig::Backend::postgresql;
  if (shared) {
    instance_ = cfg.store.instance.empty() ? host_name() : cfg.store.instance;
    // Every line says which instance wrote it: several write to one journal or collector.
    auto inner = log_->sinks();
    log_->sinks().clear();
    log_->sinks().push_back(prefixing_sink("[" + instance_ + "] ", std::move(inner)));
    log_->info("instance {} (several instances may share the database)", instance_);
  }
  if (!open_store(cfg)) return kExitFailure;
  // Before the store's thread takes it over: nothing else uses it yet. What this instance's
  // previous run held (outbox rows, source and leader leases) is free again at once.
  if (auto r = store_->release_all_leases(); !r) log_->warn("store: cannot release leases: {}", r.error().message());
  if (shared) {
    if (auto r = store_->release_holder(instance_, SystemClock::now()); !r)
      log_->warn("store: cannot release the leases of instance {}: {}", instance_, r.error().message());
  }
  if (shared && cfg.store.pool_size > 1) {
    // The pool ([store] pool_size): more sessions, a thread each, so that one poll's round trips
    // do not hold up another's.
    std::vector<Store*> lanes{store_.get()};
    for (int i = 1; i < cfg.store.pool_size; ++i) {
      auto session = open_session(cfg, "session " + std::to_string(i + 1) + " of the pool");
      if (!session) return kExitFailure;
      pool_stores_.push_back(std::move(session));
      lanes.push_back(pool_stores_.back().get());
    }
    store_exec_ = StoreExecutor::threaded_pool(std::move(lanes));
    log_->info("store: a pool of {} sessions", cfg.store.pool_size);
  } else {
    store_exec_ = StoreExecutor::threaded(*store_);
  }
  if (shared) {
    // The lease rounds on a session and thread of their own: a store busy with polls does not
    // delay them (a late renewal would hand the sources to another instance).
    lease_store_ = open_session(cfg, "the lease session");
    if (!lease_store_) return kExitFailure;
    lease_exec_ = StoreExecutor::threaded(*lease_store_);
    leases_ = std::make_unique<LeaseKeeper>(ioc_.get_executor(), *lease_exec_,
                                            LeaseKeeperOptions{instance_, cfg.store.lease_ttl}, metrics_, log_);
    lifetime_.spawn("leases", leases_->run());
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const int workers = cfg.daemon.workers > 0 ? cfg.daemon.workers
                                             : static_cast<int>(std::clamp(cores > 1 ? cores - 1 : 1u, 1u, 4u));
  work_ = std::make_unique<WorkerPool>(static_cast<std::size_t>(workers));
  // First polls (a new source's backlog, stored silently) on threads the kernel runs when the
  // others leave it time (nice 10): the news of running sources goes first. They may use every core.
  backlog_ = std::make_unique<WorkerPool>(cores, 10);
  log_->info("{} worker thread(s) parse and score; at most {} polls at once", workers, cfg.daemon.max_concurrent_polls);

  register_process_metrics();
  if (!cfg.daemon.listen.empty()) {
    health_ = std::make_unique<health::HealthServer>(
        ioc_.get_executor(), metrics_,
        [this] {
          if (stopping_) return health::Readiness{false, "stopping"};
          if (!ready_) return health::Readiness{false, "starting"};
          if (leases_ && !leases_->healthy()) return health::Readiness{false, "store unreachable"};
          return health::Readiness{true, ""};
        },
        health::HealthServerOptions{}, log_);
    auto ep = health_->listen(cfg.daemon.listen);
    if (!ep) {
      log_->critical("health endpoint {}: {}", cfg.daemon.listen, ep.error().message());
      return kExitFailure;
    }
    health_port_ = ep->port();
    health_->add_async_route("GET", "/metrics", [this](health::ServerRequest) { return metrics_page(); });
    log_->info("health and metrics on http://{}:{}/", ep->address().to_string(), ep->port());
    lifetime_.spawn("health server", health_->run());
  }

  auto rt = build_runtime(std::move(cfg), deps());
  if (!rt) {
    log_->critical("{}", rt.error().message());
    return kExitConfig;
  }
  runtime_ = std::move(*rt);
  start_runtime(*runtime_, deps());

  if (const WebConfig& web = runtime_->config.web; !web.listen.empty()) {
    // The inbox reads (pages, counts, the overview) on a session and thread of their own: a
    // count over a large history must not delay the pipeline's writes.
    web_store_ = open_session(runtime_->config, "the web inbox's session");
    if (!web_store_) return kExitFailure;
    web_exec_ = StoreExecutor::threaded(*web_store_);
    auto inbox = WebInbox::create(web, WebInboxDeps{ioc_.get_executor(), work_->executor(), *web_exec_, clock_,
                                                    metrics_, &schedule_, log_});
    if (!inbox) {
      log_->critical("web inbox {}: {}", web.listen, inbox.error().message());
      return kExitFailure;
    }
    web_ = std::move(*inbox);
    web_->use(runtime_.get());
    const auto ep = web_->local_endpoint();
    web_port_ = ep.port();
    log_->info("web inbox on {}://{}:{}/", web.tls_certificate.empty() ? "http" : "https", ep.address().to_string(),
               ep.port());
    lifetime_.spawn("web inbox", web_->run());
  }

  lifetime_.spawn("signals", handle_signals());
  if (auto interval = systemd::watchdog_interval()) {
    lifetime_.spawn("watchdog", systemd::watchdog_loop(ioc_.get_executor(), *interval, [this] { return !stopping_; }));
    log_->info("systemd watchdog: pinging every {}", format_duration(*interval));
  }
  lifetime_.on_failure([this](const std::string& name, std::exception_ptr) {
    log_->critical("{} ended unexpectedly; shutting down", name);
    exit_code_ = kExitFailure;
    lifetime_.spawn("shutdown", shutdown());
  });
  ready_ = true;
  (void)systemd::ready();
  (void)systemd::status("running");
  log_->info("otklik is running");
  return kExitOk;
}

bool Daemon::Impl::open_store(const Config& cfg) {
  // PostgreSQL migrates under the schema's advisory lock: instances started at once migrate once.
  // Its failure texts never hold the password; the redactor hides the URL besides.
  auto opened = open_configured_store(cfg, clock_);
  if (!opened) {
    log_->critical("store {}: {}", store_description(cfg), opened.error().message());
    return false;
  }
  store_ = std::move(opened->store);
  sqlite_ = opened->sqlite;
  if (opened->pg != nullptr) opened->pg->set_instance(instance_);
  log_->info("store {} open and migrated", opened->where);
  return true;
}

std::unique_ptr<Store> Daemon::Impl::open_session(const Config& cfg, std::string_view what) {
  auto opened = open_configured_store(cfg, clock_);
  if (!opened) {
    log_->critical("store {} ({}): {}", store_description(cfg), what, opened.error().message());
    return nullptr;
  }
  if (opened->pg != nullptr) opened->pg->set_instance(instance_);
  return std::move(opened->store);
}

void Daemon::Impl::register_process_metrics() {
  metrics_.gauge("otklik_build_info", "Build information.", {{"version", "0.1.0"}}).set(1);
  metrics_.gauge("otklik_up", "1 while the daemon runs.").set(1);
  // Gauges of the store are refreshed by a task (refresh_store_gauges): a scrape never waits on
  // the database. The store thread's own figures are read here.
  metrics_.add_collect_hook([this] {
    if (runtime_) events_.http_connections(runtime_->http->stats());
    if (!store_exec_) return;
    const auto& st = store_exec_->stats();
    metrics_.gauge("otklik_store_jobs", "Store jobs run so far.").set(static_cast<double>(st.jobs.load()));
    metrics_.gauge("otklik_store_busy_seconds", "Time spent in store jobs (summed over the sessions of a PostgreSQL pool).")
        .set(static_cast<double>(st.busy_us.load()) / 1e6);
    metrics_.gauge("otklik_store_longest_job_seconds", "The longest store job so far.")
        .set(static_cast<double>(st.longest_us.load()) / 1e6);
    metrics_.gauge("otklik_store_groups", "Transactions shared by several jobs of the pipeline (group commit).")
        .set(static_cast<double>(st.groups.load()));
    metrics_.gauge("otklik_store_grouped_jobs", "Jobs committed in shared transactions.")
        .set(static_cast<double>(st.grouped_jobs.load()));
    metrics_.gauge("otklik_store_group_retries",
                   "Shared transactions rolled back because one job failed; their jobs then ran alone.")
        .set(static_cast<double>(st.group_retries.load()));
    metrics_.gauge("otklik_store_lingered_jobs",
                   "Slices of first polls that waited on the store's queue for others to share their transaction.")
        .set(static_cast<double>(st.lingered.load()));
    // SQLite's own count of the work done (sqlite3_stmt_status): what the scale guards check.
    if (sqlite_ == nullptr) return;
    const auto& work = sqlite_->database().work();
    metrics_.gauge("otklik_store_vm_steps", "SQLite virtual machine steps run so far (rows visited, roughly).")
        .set(static_cast<double>(work.vm_steps.load()));
    metrics_.gauge("otklik_store_fullscan_steps", "SQLite steps of full table scans so far.")
        .set(static_cast<double>(work.fullscan_steps.load()));
    metrics_.gauge("otklik_store_statements", "SQLite statements run so far.").set(static_cast<double>(work.runs.load()));
    if (const auto* c = sqlite_->checkpointer()) {
      const auto& cs = c->stats();
      metrics_.gauge("otklik_store_checkpoints", "WAL checkpoints run by the checkpointer's own thread.")
          .set(static_cast<double>(cs.checkpoints.load()));
      metrics_.gauge("otklik_store_writer_checkpoints",
                     "WAL checkpoints the store thread ran itself (the checkpointer was far behind).")
          .set(static_cast<double>(cs.writer_checkpoints.load()));
      metrics_.gauge("otklik_store_checkpoint_failures", "WAL checkpoints that returned an error.")
          .set(static_cast<double>(cs.failures.load()));
      metrics_.gauge("otklik_store_checkpoint_seconds", "Time spent in WAL checkpoints.")
          .set(static_cast<double>(cs.busy_us.load()) / 1e6);
    }
  });
}

asio::awaitable<void> Daemon::Impl::refresh_store_gauges() {
  struct Figures {
    Result<OutboxCounts> counts;
    Result<std::int64_t> mentions;
  };
  Figures f = co_await store_exec_->run([](Store& s) {
    return Figures{static_cast<OutboxStore&>(s).outbox_counts(), static_cast<MentionStore&>(s).mentions_total()};
  });
  if (f.counts) {
    metrics_.gauge("otklik_alerts_pending", "Alerts waiting in the outbox.").set(static_cast<double>(f.counts->pending));
    metrics_.gauge("otklik_alerts_dead", "Alerts in the dead letter.").set(static_cast<double>(f.counts->dead));
    double age = 0;
    if (f.counts->oldest_pending_created)
      age = std::max(0.0, std::chrono::duration<double>(SystemClock::now() - *f.counts->oldest_pending_created).count());
    metrics_.gauge("otklik_oldest_pending_alert_age_seconds", "Age of the oldest undelivered alert.").set(age);
  }
  if (f.mentions) metrics_.gauge("otklik_mentions_stored", "Mentions in the store.").set(static_cast<double>(*f.mentions));
}

asio::awaitable<health::ServerResponse> Daemon::Impl::metrics_page() {
  co_await refresh_store_gauges();
  health::ServerResponse r;
  r.content_type = std::string(health::MetricsRegistry::kContentType);
  metrics_.collect();  // the hooks read state of this thread
  // Megabytes of text with 10,000 sources: formatted off the event loop, on the low-priority
  // threads, so that a scrape delays neither the loop nor the scoring of running sources' news.
  r.body = co_await offload(backlog_->executor(), [this] { return metrics_.render(); });
  co_return r;
}

asio::awaitable<void> Daemon::Impl::handle_signals() {
  for (;;) {
    auto [ec, sig] = co_await signals_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // cancelled at shutdown
    if (sig == SIGHUP) {
      co_await reload();
      continue;
    }
    log_->info("signal {}: shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    co_await shutdown();
    co_return;
  }
}

asio::awaitable<void> Daemon::Impl::reload() {
  (void)systemd::reloading();
  log_->info("SIGHUP: reloading {}", config_path_.string());
  auto loaded = load_config(config_path_, &registry_);
  log_problems(loaded.problems);
  std::unique_ptr<Runtime> next;
  if (loaded.config) {
    if (state_path(*loaded.config) != state_path(runtime_->config))
      log_->warn("config: [daemon].state changed; the new path takes effect after a restart");
    const StoreConfig& now_store = runtime_->config.store;
    const StoreConfig& next_store = loaded.config->store;
    if (next_store.backend != now_store.backend || next_store.url.value() != now_store.url.value() ||
        next_store.statement_timeout != now_store.statement_timeout ||
        next_store.connect_timeout != now_store.connect_timeout || next_store.instance != now_store.instance ||
        next_store.lease_ttl != now_store.lease_ttl)
      log_->warn("config: [store] changed; it takes effect after a restart");
    // Old and new secrets both hidden while the old runtime winds down.
    auto secrets = secret_values(runtime_->config);
    for (auto& v : secret_values(*loaded.config)) secrets.push_back(std::move(v));
    redactor_->set_secrets(std::move(secrets));
    if (loaded.config->daemon.listen != runtime_->config.daemon.listen)
      log_->warn("config: [daemon].listen changed; the new address takes effect after a restart");
    if (loaded.config->web.listen != runtime_->config.web.listen ||
        loaded.config->web.tls_certificate != runtime_->config.web.tls_certificate ||
        loaded.config->web.tls_key != runtime_->config.web.tls_key)
      log_->warn("config: [web] listen or TLS files changed; they take effect after a restart");
    auto built = build_runtime(std::move(*loaded.config), deps());
    if (built) next = std::move(*built);
    else log_->error("config: {}", built.error().message());
  }
  if (!next) {
    metrics_.counter("otklik_config_reloads_total", "Config reloads by result.", {{"result", "rejected"}}).inc();
    log_->error("reload rejected: keeping the running config");
    (void)systemd::ready();
    co_return;
  }
  if (web_) web_->use(nullptr);  // pages answer 503 for the moment of the switch
  bool clean = co_await stop_runtime(*runtime_, log_);
  events_.http_client_replaced(runtime_->http->stats());
  if (!clean) retired_.push_back(std::move(runtime_));
  runtime_ = std::move(next);  // the old client, if not retired, closes its idle connections
  apply_log_level(*log_, runtime_->config.daemon.log_level);
  start_runtime(*runtime_, deps());
  if (web_) web_->use(runtime_.get());
  metrics_.counter("otklik_config_reloads_total", "Config reloads by result.", {{"result", "applied"}}).inc();
  log_->info("reload applied");
  (void)systemd::ready();
}

asio::awaitable<void> Daemon::Impl::shutdown() {
  if (stopping_) co_return;
  stopping_ = true;
  (void)systemd::stopping();
  if (web_) {
    web_->use(nullptr);
    web_->stop();
  }
  if (runtime_) {
    bool clean = co_await stop_runtime(*runtime_, log_);
    log_->info(clean ? "sources and channels stopped" : "sources and channels stopped (some cancelled)");
  }
  if (leases_) {
    // The others take this instance's sources over at once, not when the leases expire.
    co_await leases_->give_up();
    log_->info("leases given up");
  }
  if (health_) health_->stop();
  boost::system::error_code ignored;
  signals_.cancel(ignored);
  lifetime_.cancel_all();
  log_->info("otklik stopped");
}

Daemon::Daemon(std::filesystem::path config_path, std::shared_ptr<spdlog::logger> log, std::ostream& console) {
  impl_ = std::make_unique<Impl>(std::move(config_path), std::move(log), console);
}

Daemon::~Daemon() = default;

int Daemon::start() { return impl_->start(); }

int Daemon::run() {
  impl_->ioc_.run();
  return impl_->exit_code();
}

void Daemon::request_stop() {
  asio::post(impl_->ioc_, [impl = impl_.get()] { impl->lifetime_.spawn("shutdown", impl->shutdown()); });
}

void Daemon::request_reload() {
  asio::post(impl_->ioc_, [impl = impl_.get()] { impl->lifetime_.spawn("reload", impl->reload()); });
}

unsigned short Daemon::health_port() const { return impl_->health_port_; }

unsigned short Daemon::web_port() const { return impl_->web_port_; }

int run_daemon(const std::filesystem::path& config_path, std::shared_ptr<spdlog::logger> log, std::ostream& console) {
  Daemon daemon(config_path, std::move(log), console);
  int rc = daemon.start();
  if (rc != kExitOk) return rc;
  return daemon.run();
}

}  // namespace otklik
