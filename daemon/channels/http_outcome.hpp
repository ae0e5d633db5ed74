#pragma once
/// How the webhook-style channels turn an HTTP exchange into a Delivery, with secrets redacted
/// from the error text (core/secret.hpp: a Telegram token or a Slack webhook path must never
/// reach a log).

#include "daemon/channels/channel.hpp"
#include "daemon/core/secret.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace otklik::channels {

using otklik::redact;

/// The first `max_bytes` of a response body as one line of valid UTF-8, for error texts.
std::string body_excerpt(std::string_view body, std::size_t max_bytes = 200);

/// Classifies a webhook response: network failure, 408, 429 and 5xx → transient (Retry-After
/// honoured when present); other non-2xx → permanent; 2xx → delivered with an empty remote id.
/// `what` names the channel in the error text; `secrets` are redacted from it.
Delivery classify_http(const Result<HttpResponse>& result, std::string_view what,
                       const std::vector<std::string_view>& secrets, TimePoint now);

}  // namespace otklik::channels
