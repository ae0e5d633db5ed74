#pragma once
/// The generic webhook's JSON body: a stable, versioned schema (documented in README.md).

#include "daemon/channels/alert_render.hpp"

#include <string>
#include <string_view>

namespace otklik::channels {

/// The schema name; a breaking change gets a new version.
inline constexpr std::string_view kWebhookSchema = "otklik.alert.v1";

/// "otklik-<outbox id>": the same for every attempt at one outbox row.
std::string idempotency_key(std::int64_t outbox_id);

/// "2026-11-23T15:04:05Z".
std::string format_utc_iso(TimePoint t);

/// The body for `request`: schema, id, kind, channel, created, severity, brand, text (plain
/// rendering in the channel's locale), mention and sentiment (alerts) or notice (notices).
std::string build_webhook_payload(const DeliveryRequest& request, const AlertContent& content,
                                  const Strings& strings);

}  // namespace otklik::channels
