#pragma once
/// Yandex Market Partner API (api.partner.market.yandex.ru) as a client: the base URL, the
/// Api-Key header, the request budget of one business (cabinet), the 420 "Enhance Your Calm" and
/// 429 answers, and how the API words its errors. Nothing about feedback: a reply posting a
/// comment (goods-feedback/comments/update) uses the same client.

#include "daemon/config/config.hpp"
#include "sources/api/api_client.hpp"
#include "sources/api/request_budget.hpp"

#include <string>
#include <string_view>

namespace otklik {

inline constexpr std::string_view kYandexMarketBaseUrl = "https://api.partner.market.yandex.ru";

/// The goods-feedback methods allow 5,000 requests an hour each to a business (10,000 on the
/// "medium" level) and four parallel requests; one request a second (3,600 an hour for both
/// methods together) keeps under the smallest of them.
BudgetLimit yandex_market_budget_limit();

/// The API's error body {"status": "ERROR", "errors": [{"code": "…", "message": "…"}]}:
/// "CODE: message"; the common JSON shapes otherwise.
std::string read_yandex_market_error(int status, std::string_view body);

/// The client for a source's config: `business_id` (a key of the source) names the budget,
/// `api_key` (its secret) goes in the Api-Key header; the base URL is the source's `url` (the
/// official one unless given).
ApiClient make_yandex_market_client(const SourceConfig& config, BudgetBook& budgets);

}  // namespace otklik
