#include "sources/yandex_market/yandex_market_api.hpp"

#include "sources/generic/item_util.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/preset_keys.hpp"

#include <boost/json.hpp>

namespace otklik {

BudgetLimit yandex_market_budget_limit() { return {1, std::chrono::seconds(1)}; }

std::string read_yandex_market_error(int status, std::string_view body) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec);
  if (!ec && v.is_object()) {
    std::string out;
    int shown = 0;
    if (const auto* errors = array_of(&v.get_object(), "errors")) {
      for (const auto& e : *errors) {
        const auto* error = e.if_object();
        const std::string code = one_line(text_of(error, "code"));
        const std::string message = one_line(text_of(error, "message"));
        if (code.empty() && message.empty()) continue;
        if (++shown > 3) break;  // a line in a log, not the whole list
        if (!out.empty()) out += "; ";
        out += code.empty() ? message : message.empty() ? code : code + ": " + message;
      }
    }
    if (!out.empty()) return out;
  }
  return reason_from_json_body(status, body);
}

ApiClient make_yandex_market_client(const SourceConfig& config, BudgetBook& budgets) {
  const std::string key = config.api_key.value();
  ApiClientOptions options;
  options.site = "Yandex Market";
  options.base_url = config.url.empty() ? std::string(kYandexMarketBaseUrl) : config.url;
  options.budget =
      budgets.budget("yandex-market-partner", preset_key(config, "business_id"), yandex_market_budget_limit());
  // Market answers an exceeded limit with 420 Enhance Your Calm ("Hit rate limit of 4 parallel
  // requests…", or of a resource's hourly limit); 429 is taken the same way. It sends the
  // X-RateLimit-Resource-* headers with every answer, not a wait, so only Retry-After (should it
  // come) times the pause.
  options.rate_limit_statuses = {420, 429};
  options.retry_headers = {"Retry-After"};
  options.default_wait = std::chrono::seconds(1);
  options.read_error = read_yandex_market_error;
  auto auth = std::make_shared<StaticHeadersAuth>(Headers{{"Api-Key", key}});
  return ApiClient(std::move(options), std::move(auth));
}

}  // namespace otklik
