#pragma once
/// Ozon Seller API (api-seller.ozon.ru) as a client: the base URL, the Client-Id and Api-Key
/// headers, the request budget of one Client ID, and how the API words its errors. Nothing about
/// reviews: a reply posting a comment (/v1/review/comment/create) uses the same client.

#include "daemon/config/config.hpp"
#include "sources/api/api_client.hpp"
#include "sources/api/request_budget.hpp"

#include <string>
#include <string_view>

namespace otklik {

inline constexpr std::string_view kOzonSellerBaseUrl = "https://api-seller.ozon.ru";

/// The documented limit is 50 requests a second for all methods of one Client ID; a monitor keeps
/// well under it, so that the seller's own integrations on the same ID keep their share.
BudgetLimit ozon_budget_limit();

/// The API's error body {"code": 7, "message": "…", "details": […]}: "message (code 7)"; the
/// common JSON shapes otherwise.
std::string read_ozon_error(int status, std::string_view body);

/// The client for a source's config: `client_id` (a key of the source) and `api_key` (its secret);
/// the base URL is the source's `url` when given (a proxy, a test server), else the official one.
/// One budget per Client ID in `budgets`, shared by every source of that seller.
ApiClient make_ozon_client(const SourceConfig& config, BudgetBook& budgets);

}  // namespace otklik
