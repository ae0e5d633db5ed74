#pragma once
/// Wiring of the alert actions into a Runtime: the AlertActions service, the dispatchers' case
/// hook, one Telegram update loop per bot whose channels have actions, and the Slack
/// interactivity route on the health server.

#include "daemon/app/runtime.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <string>

namespace otklik {

/// Builds rt.alert_actions, rt.slack_actions and rt.action_tasks, and hooks the dispatchers so
/// that every delivery carries the alert's case. Call after the channels and dispatchers exist.
void build_alert_actions(Runtime& rt, const RuntimeDeps& deps);

/// Wraps a long-lived coroutine so that an exception restarts it (runtime.cpp's supervisor).
using Supervise = std::function<boost::asio::awaitable<void>(std::string name,
                                                             std::function<boost::asio::awaitable<void>()> make)>;

/// Starts the Telegram update loops (unless deps.leases: then the leader starts them, see
/// start_telegram_updates) and (re-)registers the Slack route at lifecycle.slack_actions_path
/// when deps.health is set. The route outlives a reload's runtime safely: it answers 404 once its
/// runtime is gone, until the next one registers. Slack's requests work on any instance: what a
/// tap changes is in the store.
void start_alert_actions(Runtime& rt, const RuntimeDeps& deps, const Supervise& supervise);

/// Starts one Telegram update loop per bot (Telegram answers 409 to a second poller) in `group`;
/// returns how many.
std::size_t start_telegram_updates(Runtime& rt, const RuntimeDeps& deps, const Supervise& supervise, TaskGroup& group);

}  // namespace otklik
