#include "daemon/app/alert_actions_runtime.hpp"

#include "daemon/app/replies_runtime.hpp"

#include "daemon/channels/telegram_updates.hpp"
#include "daemon/channels/webhook_channels.hpp"
#include "daemon/health/health_server.hpp"

#include <map>
#include <utility>

namespace otklik {

namespace {

/// The Slack interactivity route: the actions object is held for the whole request.
boost::asio::awaitable<health::ServerResponse> slack_route(std::shared_ptr<channels::SlackActions> actions,
                                                          health::ServerRequest req) {
  if (!actions || actions->empty()) co_return health::ServerResponse::text(404, "not found\n");
  auto reply = co_await actions->handle(std::move(req.headers), std::move(req.body), SystemClock::now());
  health::ServerResponse out = health::ServerResponse::text(reply.status, std::move(reply.body));
  out.content_type = std::move(reply.content_type);
  co_return out;
}

}  // namespace

void build_alert_actions(Runtime& rt, const RuntimeDeps& deps) {
  Runtime* r = &rt;
  rt.action_tasks = std::make_unique<TaskGroup>(deps.executor, deps.log);
  rt.alert_actions = std::make_unique<AlertActions>(
      rt.config, deps.store, deps.clock, rt.calendar.get(),
      [r](const std::string& channel) { wake_dispatcher(*r, channel); },
      deps.log);
  for (auto& d : rt.dispatchers) {
    AlertActions* actions = rt.alert_actions.get();
    std::string name = d->channel_name();
    d->on_build_request([actions, name, r](DeliveryRequest& req, Store& store) {
      actions->attach_case(req, name, store, store);
      attach_reply(req, store, *r);
    });
  }

  std::vector<channels::SlackActionChannel> slack;
  for (const auto& c : rt.config.channels) {
    if (!channels::slack_buttons(c)) continue;
    channels::SlackActionChannel sc;
    sc.config = c;
    sc.render.locale = c.locale.value_or(rt.config.daemon.locale);
    sc.render.timezone = rt.config.daemon.timezone;
    if (auto zone = TimeZone::load(sc.render.timezone)) sc.zone = std::move(*zone);
    slack.push_back(std::move(sc));
  }
  AlertActions* actions = rt.alert_actions.get();
  TaskGroup* tasks = rt.action_tasks.get();
  rt.slack_actions = std::make_shared<channels::SlackActions>(
      std::move(slack), *rt.alert_actions, *rt.http,
      [actions](std::int64_t id, std::string channel) { return actions->alert_request(id, std::move(channel)); },
      [tasks](std::string name, boost::asio::awaitable<void> task) { tasks->spawn(std::move(name), std::move(task)); },
      deps.log);
  if (rt.reply_desk) rt.slack_actions->use_replies(rt.reply_desk.get());
}

std::size_t start_telegram_updates(Runtime& rt, const RuntimeDeps& deps, const Supervise& supervise, TaskGroup& group) {
  // One update loop per bot: channels sharing a token share it (Telegram allows one poller).
  std::map<std::pair<std::string, std::string>, channels::TelegramBot> bots;
  for (const auto& c : rt.config.channels) {
    if (c.type != "telegram" || !c.actions) continue;
    auto& bot = bots[{c.api_url, c.token.value()}];
    bot.api_url = c.api_url;
    bot.token = c.token;
    bot.channels.push_back(c);
  }
  for (auto& [key, bot] : bots) {
    HttpClient* http = rt.http.get();
    StoreAccess<CursorStore> store(deps.store);
    channels::ActionHandler* handler = rt.alert_actions.get();
    channels::ReplyHandler* replies = rt.reply_desk.get();
    const Duration timeout = rt.config.lifecycle.telegram_poll_timeout;
    auto log = deps.log;
    std::string name = "telegram updates " + channels::telegram_cursor_name(bot);
    channels::TelegramBot b = bot;
    // The Bot API answered: the dispatchers of this bot's channels may retry a held queue at once.
    std::vector<Dispatcher*> held;
    for (const auto& c : bot.channels)
      for (auto& d : rt.dispatchers)
        if (d->channel_name() == c.name) held.push_back(d.get());
    auto answered = [held] {
      for (Dispatcher* d : held) d->api_answered();
    };
    group.spawn(name, supervise(name, [b, http, store, handler, timeout, log, answered, replies] {
      return channels::run_telegram_updates(b, http, store, handler, timeout, log, answered, replies);
    }));
  }
  return bots.size();
}

void start_alert_actions(Runtime& rt, const RuntimeDeps& deps, const Supervise& supervise) {
  std::size_t bots = 0;
  if (deps.leases == nullptr) bots = start_telegram_updates(rt, deps, supervise, *rt.action_tasks);
  else
    for (const auto& c : rt.config.channels) bots += c.type == "telegram" && c.actions ? 1 : 0;

  if (deps.health) {
    std::weak_ptr<channels::SlackActions> weak = rt.slack_actions;
    deps.health->add_async_route("POST", rt.config.lifecycle.slack_actions_path,
                                 [weak](health::ServerRequest req) { return slack_route(weak.lock(), std::move(req)); });
  }
  if (bots > 0 || !rt.slack_actions->empty())
    deps.log->info("alert actions: {} telegram {} polled for taps{}, {} slack channel(s) on {}", bots,
                   deps.leases == nullptr ? "bot(s)" : "channel(s)",
                   deps.leases == nullptr ? "" : " by the leader",
                   rt.slack_actions->empty() ? 0 : std::count_if(rt.config.channels.begin(), rt.config.channels.end(),
                                                                 [](const ChannelConfig& c) {
                                                                   return channels::slack_buttons(c);
                                                                 }),
                   rt.config.lifecycle.slack_actions_path);
}

}  // namespace otklik
