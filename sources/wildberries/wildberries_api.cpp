#include "sources/wildberries/wildberries_api.hpp"

#include "sources/api/api_auth.hpp"

#include <boost/json.hpp>

namespace otklik {
namespace {

namespace json = boost::json;

std::string string_field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

BudgetLimit wildberries_budget_limit(WildberriesToken token) {
  if (token == WildberriesToken::base) return {1, std::chrono::minutes(12)};
  return {3, std::chrono::seconds(1)};
}

std::optional<WildberriesToken> wildberries_token_kind(std::string_view name) {
  if (name == "personal") return WildberriesToken::personal;
  if (name == "base") return WildberriesToken::base;
  return std::nullopt;
}

std::string read_wildberries_error(int status, std::string_view body) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  if (!ec && v.is_object()) {
    const auto& o = v.as_object();
    std::string text = string_field(o, "errorText");
    if (const auto* more = o.if_contains("additionalErrors"); more != nullptr && more->is_array()) {
      for (const auto& e : more->as_array()) {
        if (!e.is_string() || e.as_string().empty()) continue;
        text += (text.empty() ? "" : "; ") + std::string(e.as_string());
      }
    }
    if (text.empty()) {
      const std::string title = string_field(o, "title");
      const std::string detail = string_field(o, "detail");
      text = title.empty() ? detail : detail.empty() ? title : title + ": " + detail;
    }
    if (!text.empty()) return reason_from_json_body(status, json::serialize(json::object{{"message", text}}));
  }
  return reason_from_json_body(status, body);
}

ApiClient make_wildberries_client(const SourceConfig& config, BudgetBook& budgets, WildberriesToken token) {
  ApiClientOptions options;
  options.site = "Wildberries";
  options.base_url = config.url.empty() ? std::string(kWildberriesFeedbacksApi) : config.url;
  const std::string& key = config.api_key.value();
  options.budget = budgets.budget("wildberries-feedbacks-questions", key, wildberries_budget_limit(token));
  // The 429 answer says how long to wait in X-Ratelimit-Retry (seconds); Retry-After as a fallback.
  options.retry_headers = {"X-Ratelimit-Retry", "Retry-After"};
  options.read_error = read_wildberries_error;
  auto auth = std::make_shared<StaticHeadersAuth>(Headers{{"Authorization", key}});
  return ApiClient(std::move(options), std::move(auth));
}

}  // namespace otklik
