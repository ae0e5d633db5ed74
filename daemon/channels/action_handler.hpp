#pragma once
/// What the chat integrations (telegram_updates.hpp, slack_actions.hpp) ask of the application
/// when someone taps an alert's button: one call that checks, applies and answers.
/// The application implements it (daemon/app/alert_actions.hpp); tests use a fake.

#include "daemon/channels/case_markup.hpp"
#include "daemon/lifecycle/case.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace otklik::channels {

/// A tap, already tied to a configured channel (the chat matched, or the signature verified).
struct ActionRequest {
  std::string channel;       ///< the [[channel]] name the tap came from
  Actor actor;               ///< platform, user id, display name ("@ivanova")
  std::string username;      ///< "@ivanova" when the platform has user names (allowed_users), else ""
  ActionData data;           ///< the action and the mention id the button carried
};

/// The outcome, with the short answer for the user in the channel's language.
struct ActionResponse {
  ActionResultKind kind = ActionResultKind::failed;
  std::string text;
  std::optional<CaseRecord> record;  ///< the case after the attempt (when it exists)
};

class ActionHandler {
 public:
  virtual ~ActionHandler() = default;
  /// Awaited on the I/O thread; never throws for normal failures (they are kinds).
  virtual boost::asio::awaitable<ActionResponse> act(ActionRequest request) = 0;
};

}  // namespace otklik::channels
