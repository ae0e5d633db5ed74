#pragma once
/// Everything built from one config: HTTP client, scorer, router, pipeline, sources, channels and
/// their dispatchers, with the task groups that run them. A reload builds a new Runtime, stops the
/// old one and starts the new; the store, metrics and health server outlive both.

#include "daemon/app/alert_actions.hpp"
#include "daemon/app/app_events.hpp"
#include "daemon/app/dispatcher.hpp"
#include "daemon/app/pipeline.hpp"
#include "daemon/app/poll_slots.hpp"
#include "daemon/app/reply_desk.hpp"
#include "daemon/app/source_runner.hpp"
#include "daemon/app/spike_watch.hpp"
#include "daemon/app/state_saver.hpp"
#include "daemon/app/understand.hpp"
#include "daemon/app/task_group.hpp"
#include "daemon/channels/channel.hpp"
#include "daemon/channels/slack_actions.hpp"
#include "daemon/config/config.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/core/redactor.hpp"
#include "daemon/digest/digest_sender.hpp"
#include "daemon/lifecycle/calendar.hpp"
#include "daemon/net/http_client.hpp"
#include "daemon/routing/router.hpp"
#include "daemon/sentiment/scorer.hpp"
#include "sources/source.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <spdlog/logger.h>

#include <iosfwd>
#include <map>
#include <memory>
#include <vector>

namespace otklik {

class LeaseKeeper;
class SourceSchedule;

namespace health {
class HealthServer;
}
namespace replies {
struct ReplyBook;
}

struct Runtime {
  Config config;
  std::unique_ptr<HttpClient> http;
  std::unique_ptr<Scorer> scorer;
  std::unique_ptr<Router> router;
  std::unique_ptr<Pipeline> pipeline;
  /// The complaint topics ([topics]) and what the pipeline understands of each mention.
  std::shared_ptr<const understanding::Taxonomy> topics;
  std::unique_ptr<Understander> understander;
  std::unique_ptr<SpikeWatch> spikes;
  std::vector<std::unique_ptr<Source>> sources;
  /// The bound on polls running at once ([daemon] max_concurrent_polls), and the slots of first
  /// polls (a quarter of it, at least one) which never take a slot from the news.
  std::unique_ptr<PollSlots> poll_slots;
  std::unique_ptr<PollSlots> baseline_slots;
  /// The sources' routine state saves, written in batches (flushed by stop_runtime).
  std::unique_ptr<StateSaver> state_saver;
  std::vector<std::unique_ptr<Channel>> channels;
  std::vector<std::unique_ptr<Dispatcher>> dispatchers;
  std::unique_ptr<TaskGroup> source_tasks;
  std::unique_ptr<TaskGroup> dispatch_tasks;
  /// The team's working time ([calendar]): SLA clocks and quiet hours.
  std::unique_ptr<BusinessCalendar> calendar;
  /// The SLA checker and other periodic lifecycle work; stopped with the sources.
  std::unique_ptr<TaskGroup> lifecycle_tasks;
  /// The weekly digest's sender, when [digest] and [smtp] are configured and a database is given.
  std::shared_ptr<digest::DigestSender> digest;
  // Alert actions: buttons on alerts (Telegram update loops, the Slack endpoint).
  std::unique_ptr<AlertActions> alert_actions;
  std::shared_ptr<channels::SlackActions> slack_actions;  ///< the route holds a weak_ptr
  std::unique_ptr<TaskGroup> action_tasks;                ///< update loops, Slack response posts
  /// Several instances on one database: the one-per-deployment tasks (SLA timer, digest, spike
  /// checks, Telegram update loops), run while this instance is the leader.
  std::unique_ptr<TaskGroup> leader_tasks;
  LeaseKeeper* leases = nullptr;  ///< set by start_runtime from RuntimeDeps::leases
  /// Answers from the chat ([replies], replies_runtime.hpp): the templates in force and the desk
  /// behind the Reply buttons (null when [replies] is off).
  std::shared_ptr<const replies::ReplyBook> reply_book;
  std::unique_ptr<ReplyDesk> reply_desk;

  [[nodiscard]] std::map<std::string, Dispatcher*> dispatcher_map() const;
};

struct RuntimeDeps {
  boost::asio::any_io_executor executor;
  /// The store, reached off the event loop; each part takes the roles it uses.
  StoreExecutor& store;
  AppEvents& events;
  const SourceRegistry& registry;
  std::shared_ptr<spdlog::logger> log;
  std::ostream& console;  ///< where console channels write
  Clock& clock;           ///< for deadlines, quiet hours and the digest schedule
  health::HealthServer* health = nullptr;  ///< for routes such as Slack's interactivity; may be null
  /// Whether the weekly digest may run (false for dry runs).
  bool digest = false;
  /// Where pages are parsed and items scored (a thread pool); empty: inline on the I/O thread.
  boost::asio::any_io_executor work{};
  /// The same for sources' first polls (a thread of lower priority); empty: `work`.
  boost::asio::any_io_executor backlog{};
  /// Hides secrets in errors stored and notices sent; null: nothing to hide (tests, dry runs).
  const Redactor* redactor = nullptr;
  /// Several instances on one database (PostgreSQL): sources polled under leases, the
  /// one-per-deployment tasks under the leader lease; null: this instance does everything.
  LeaseKeeper* leases = nullptr;
  /// Where source runners report their next poll and "poll now" reaches them (the web inbox);
  /// outlives runtimes; may be null.
  SourceSchedule* schedule = nullptr;
};

/// Builds (does not start) a runtime. Failures: a lexicon that does not load, a source or channel
/// that cannot be created.
Result<std::unique_ptr<Runtime>> build_runtime(Config config, RuntimeDeps deps);

/// Starts one coroutine per enabled source and per channel dispatcher.
void start_runtime(Runtime& rt, RuntimeDeps deps);

/// Stops sources at once and dispatchers after their in-flight send, bounded by
/// config.daemon.shutdown_timeout; what is still running then is cancelled. Returns true when
/// every task ended.
boost::asio::awaitable<bool> stop_runtime(Runtime& rt, std::shared_ptr<spdlog::logger> log);

}  // namespace otklik
