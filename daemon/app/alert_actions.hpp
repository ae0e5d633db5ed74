#pragma once
/// The one place where a tap on an alert's button becomes a case action, for every chat
/// (telegram_updates.hpp, slack_actions.hpp): check who may act, apply the action in the store
/// (idempotent: a double tap or a replayed callback changes nothing), queue a "status" row for
/// every channel that posted the alert so that every chat shows the new state, and answer with a
/// short text in the channel's language.
///
/// Checks: the channel exists; when its allowed_users is set, the user is listed (numeric id or
/// "@username", case-insensitive); the alert was posted in that channel (button data can be
/// forged, so a tap can only act on alerts that chat has seen); the case exists.

#include "daemon/channels/action_handler.hpp"
#include "daemon/channels/channel.hpp"
#include "daemon/config/config.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/lifecycle/calendar.hpp"
#include "daemon/store/store_executor.hpp"
#include "daemon/understanding/topics.hpp"

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

/// True when `allowed` is empty, or lists `user_id` or `username` ("@name", case-insensitive).
bool user_allowed(const std::vector<std::string>& allowed, std::string_view user_id, std::string_view username);

class AlertActions final : public channels::ActionHandler {
 public:
  /// Wakes the dispatcher of a channel after rows were queued for it.
  using Notify = std::function<void(const std::string& channel)>;

  /// `config`, `store`, `clock` and `calendar` (the team's, for SLA deadlines; may be null) must
  /// outlive the object. `log` must not be null. Uses the cases, outbox and mentions roles.
  AlertActions(const Config& config, StoreExecutor& store, const Clock& clock, const BusinessCalendar* calendar,
               Notify notify, std::shared_ptr<spdlog::logger> log);

  boost::asio::awaitable<channels::ActionResponse> act(channels::ActionRequest request) override;

  /// A case action from the web inbox (daemon/web): the web layer has checked the user's role, so
  /// no channel checks; otherwise as act() — applied in the store, a status row for every channel
  /// that posted the alert, the answer in the daemon's language.
  boost::asio::awaitable<channels::ActionResponse> act_on_case(std::int64_t mention_id, CaseAction action,
                                                               Actor actor);

  /// Adds the case, its deadlines (once overdue) and, for kind "status", this channel's posted
  /// message to a request the dispatcher built. Store failures leave the request as it was.
  /// Runs where the roles may be used (the dispatcher's store job).
  void attach_case(DeliveryRequest& request, const std::string& channel, CaseStore& cases, OutboxStore& outbox) const;

  /// The request that renders mention `id`'s alert now as `channel` shows it (in its language:
  /// Slack's in-place update); nullopt when the mention is unknown.
  boost::asio::awaitable<std::optional<DeliveryRequest>> alert_request(std::int64_t mention_id,
                                                                       std::string channel) const;

  /// The taxonomy whose topic names and hints re-rendered alerts show (may be null).
  void use_topics(std::shared_ptr<const understanding::Taxonomy> topics) { topics_ = std::move(topics); }

 private:
  [[nodiscard]] std::string locale_of(const ChannelConfig* channel) const;
  /// The case action of a tap, in a store job: checks, applies, queues the status rows.
  struct Applied {
    channels::ActionResultKind kind = channels::ActionResultKind::failed;
    std::optional<CaseUpdate> update;
    std::set<std::string> channels;  ///< channels that got a status row
  };
  Applied apply(Store& store, const channels::ActionRequest& request, TimePoint now) const;

  const Config& config_;
  StoreExecutor& store_;
  const Clock& clock_;
  Notify notify_;
  std::shared_ptr<spdlog::logger> log_;
  const BusinessCalendar* calendar_;  ///< for SLA deadlines; null: not shown
  std::shared_ptr<const understanding::Taxonomy> topics_;
};

}  // namespace otklik
