#pragma once
/// Status updates of posted alerts: after a case changes outside a chat (an escalation, a reply
/// on the site), one "status" outbox row per channel that shows the alert, so that the original
/// messages show the new mark.

#include "daemon/store/outbox_store.hpp"

#include <set>
#include <string>

namespace otklik {

/// Queues the rows; returns the channels that got one (nothing when the alert was never posted).
/// Runs where the outbox role may be used (a store job).
Result<std::set<std::string>> queue_status_updates(OutboxStore& outbox, std::int64_t mention_id, TimePoint now);

}  // namespace otklik
