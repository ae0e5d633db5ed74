#pragma once
/// An outbox row to create: the one value every role that queues messages takes (mentions that
/// alert, source health and spike notices, escalations, status updates).

#include "daemon/core/mention.hpp"

#include <optional>
#include <string>

namespace otklik {

struct AlertRequest {
  std::string channel;
  std::string kind = "alert";  ///< "alert", "notice", "escalation", "follow_up", "status"
  std::string payload;         ///< optional JSON the channel needs besides the mention
  std::optional<TimePoint> not_before;  ///< held until then (quiet hours); none: due at once
};

}  // namespace otklik
