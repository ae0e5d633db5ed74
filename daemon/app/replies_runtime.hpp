#pragma once
/// Wiring of answers from the chat into a Runtime (docs/replies.md): the templates, the
/// ReplyDesk behind the chats' Reply buttons, one "reply:<source>" dispatcher per source whose site
/// takes answers, what every alert shows of its answer, and the automatic thanks to positive
/// reviews (auto_reply).

#include "daemon/app/runtime.hpp"

#include <boost/asio/awaitable.hpp>

namespace otklik {

/// Loads the reply templates and builds rt.reply_desk and the site reply channels with their
/// dispatchers. Call after the chats' channels and dispatchers exist, before build_alert_actions.
/// Fails when the templates do not load.
Result<void> build_replies(Runtime& rt, const RuntimeDeps& deps);

/// Adds what the alert shows and offers about its answer (DeliveryRequest::reply) to a request a
/// chat's dispatcher built. Runs in the dispatcher's store job.
void attach_reply(DeliveryRequest& request, Store& store, const Runtime& rt);

/// Once a minute: the positive reviews of sources with auto_reply = "positive", first seen at
/// least auto_reply_delay ago (and at most a day before that), without a complaint and without
/// any answer, get the thanks template, queued exactly once. Reviews a first poll stored from the
/// site's past (published before alert_max_age) are left alone.
boost::asio::awaitable<void> run_auto_replies(Runtime& rt, StoreExecutor& store, const Clock& clock,
                                              std::shared_ptr<spdlog::logger> log);

}  // namespace otklik
