#pragma once
/// The App Store Connect API (api.appstoreconnect.apple.com) as a client: its base URL, the JWT
/// authoriser (asc_jwt.hpp), the request budget kept per API key, and how it says what went wrong.
/// Nothing about reviews here: a reply posted to customerReviewResponses uses the same client.
///
/// Apple documents (Identifying Rate Limits) an hourly limit per API key, shown on every answer as
/// "X-Rate-Limit: user-hour-lim:3600;user-hour-rem:3599;", a rolling hour; beyond it, HTTP 429 with
/// the error code RATE_LIMIT_EXCEEDED. Errors come as {"errors": [{"id", "status", "code", "title",
/// "detail"}]} (ErrorResponse).

#include "daemon/config/config.hpp"
#include "sources/api/api_client.hpp"
#include "sources/api/request_budget.hpp"
#include "sources/app_store_connect/asc_jwt.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace otklik {

inline constexpr std::string_view kAscBaseUrl = "https://api.appstoreconnect.apple.com";

/// The budget kept per API key: one call every 1.2 s, i.e. at most 3000 an hour, under Apple's
/// documented 3600 (3500 in its example) so that other tools using the same key keep room.
BudgetLimit asc_budget_limit();

/// The API's reason from an ErrorResponse body: "NOT_AUTHORIZED: <detail>" (the title when there
/// is no detail), the first error only; reason_from_json_body() for other bodies.
std::string read_asc_error(int status, std::string_view body);

/// The two numbers of an X-Rate-Limit value ("user-hour-lim:3600;user-hour-rem:12;"), in any order,
/// other entries ignored; nullopt when either is missing.
struct AscRateLimit {
  long hour_limit = 0;
  long hour_remaining = 0;
  friend bool operator==(const AscRateLimit&, const AscRateLimit&) = default;
};
std::optional<AscRateLimit> parse_asc_rate_limit(std::string_view header);

/// The client of one [[source]]: base URL = the source's `url` (the official base URL unless the
/// config overrides it), JWT from `key_id`, `issuer_id` and the `private_key` secret, the budget
/// shared with every source using the same key (BudgetBook).
std::shared_ptr<ApiClient> make_asc_client(const SourceConfig& config, BudgetBook& budgets);

}  // namespace otklik
