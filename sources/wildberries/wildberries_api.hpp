#pragma once
/// The Wildberries seller API of the category «Вопросы и отзывы» (feedbacks-api.wildberries.ru) as
/// a client: base URL, the token in the Authorization header, the documented request budget, the
/// 429 headers and the API's error bodies. Nothing about reviews here: a reply that answers a
/// feedback (POST /api/v1/feedbacks/answer, wildberries_reply.hpp) uses the same client.
///
/// Documentation followed: dev.wildberries.ru/openapi/api-information (tokens, rate limits and the
/// X-Ratelimit-* headers) and dev.wildberries.ru/openapi/user-communication (the category's
/// methods and their limit).

#include "daemon/config/config.hpp"
#include "sources/api/api_client.hpp"
#include "sources/api/request_budget.hpp"

#include <string>
#include <string_view>

namespace otklik {

/// The API's host for every method of the category.
inline constexpr std::string_view kWildberriesFeedbacksApi = "https://feedbacks-api.wildberries.ru";

/// The kind of token: the limits differ by kind (api-information, «Типы токенов»).
enum class WildberriesToken {
  personal,  ///< a personal or service token, or a base token with a service secret
  base,      ///< a base token without a secret
};

/// The request budget kept per seller account for the whole category, at or under the documented
/// limit: personal 3 requests a second (interval 333 ms, burst 6) → at most 3 calls in any second;
/// base 5 requests an hour (interval 12 min, burst 1) → one call in any 12 minutes.
BudgetLimit wildberries_budget_limit(WildberriesToken token);

/// "personal" / "base" → the kind; nullopt for anything else.
std::optional<WildberriesToken> wildberries_token_kind(std::string_view name);

/// The API's words about a failed call: `errorText` (and `additionalErrors`) of the category's own
/// error body {"data":null,"error":true,"errorText":…}, or "title: detail" of the gateway's body
/// for 401 / 429 ({"title":"unauthorized","detail":"token problem; …"}); reason_from_json_body()
/// otherwise.
std::string read_wildberries_error(int status, std::string_view body);

/// The client for `config`: base URL = the source's `url` (build_url() gives the official one),
/// the token from `api_key` sent as "Authorization: TOKEN" (no "Bearer"), the budget shared by
/// every source using the same token (the limit counts per seller account), 429 waits as
/// X-Ratelimit-Retry (then Retry-After) ask.
ApiClient make_wildberries_client(const SourceConfig& config, BudgetBook& budgets, WildberriesToken token);

}  // namespace otklik
