#pragma once
/// Wiring of answers from the chat into a Runtime (docs/replies.md): the templates, the
/// ReplyDesk behind the chats' Reply buttons, one "reply:<source>" dispatcher per source whose site
/// takes answers, what every alert shows of its answer, and the automatic thanks to positive
/// reviews (auto_reply).

#include "daemon/app/runtime.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace otklik {

/// Wakes the dispatcher of `channel` (a chat, or a site's "reply:<source>") after rows were queued.
void wake_dispatcher(Runtime& rt, const std::string& channel);

/// Loads the reply templates and builds rt.reply_desk and the site reply channels with their
/// dispatchers. Call after the chats' channels and dispatchers exist, before build_alert_actions.
/// Fails when the templates do not load.
Result<void> build_replies(Runtime& rt, const RuntimeDeps& deps);

/// Adds what the alert shows and offers about its answer (DeliveryRequest::reply) to a request a
/// chat's dispatcher built. Runs in the dispatcher's store job.
void attach_reply(DeliveryRequest& request, Store& store, const Runtime& rt);

/// One pass of the automatic thanks over the sources with auto_reply = "positive": their
/// positive reviews first seen at least auto_reply_delay ago (and at most a day before that),
/// without a complaint and without any answer, get the thanks template, queued exactly once.
/// Reviews a first poll stored from the site's past (published before alert_max_age) are left
/// alone, and remembered so as not to be read again.
class AutoReplies {
 public:
  struct Target {
    const SourceConfig* source = nullptr;
    std::string site;               ///< the site's name for the {site} placeholder
  };
  AutoReplies(std::vector<Target> targets, std::shared_ptr<const replies::ReplyBook> book, StoreExecutor& store,
              const Clock& clock, TimeZone zone, std::string fallback_locale,
              std::function<void(const std::string&)> notify, std::shared_ptr<spdlog::logger> log);
  /// Queues what is due now; returns how many thanks were queued.
  boost::asio::awaitable<int> round();

 private:
  std::vector<Target> targets_;
  std::shared_ptr<const replies::ReplyBook> book_;
  StoreExecutor& store_;
  const Clock& clock_;
  TimeZone zone_;
  std::string fallback_;
  std::function<void(const std::string&)> notify_;
  std::shared_ptr<spdlog::logger> log_;
  std::set<std::int64_t> old_;
};

/// Once a minute: the positive reviews of sources with auto_reply = "positive", first seen at
/// least auto_reply_delay ago (and at most a day before that), without a complaint and without
/// any answer, get the thanks template, queued exactly once. Reviews a first poll stored from the
/// site's past (published before alert_max_age) are left alone.
boost::asio::awaitable<void> run_auto_replies(Runtime& rt, StoreExecutor& store, const Clock& clock,
                                              std::shared_ptr<spdlog::logger> log);

}  // namespace otklik
