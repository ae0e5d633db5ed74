#pragma once
/// Status updates of posted alerts: after a case changes outside a chat (an escalation, a reply
/// on the site), one "status" outbox row per channel that shows the alert, so that the original
/// messages show the new mark.

#include "daemon/store/store.hpp"

#include <set>
#include <string>

namespace otklik {

/// Queues the rows; returns the channels that got one (nothing when the alert was never posted).
Result<std::set<std::string>> queue_status_updates(Store& store, std::int64_t mention_id, TimePoint now);

}  // namespace otklik
