#include "sources/ozon/ozon_api.hpp"

#include "sources/generic/item_util.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/preset_keys.hpp"

#include <boost/json.hpp>

namespace otklik {

BudgetLimit ozon_budget_limit() { return {5, std::chrono::seconds(1)}; }

std::string read_ozon_error(int status, std::string_view body) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec);
  if (!ec && v.is_object()) {
    const auto& o = v.as_object();
    const std::string message = one_line(text_of(&o, "message"));
    const std::string code = one_line(text_of(&o, "code"));
    if (!message.empty()) return reason_from_json_body(status, body) + (code.empty() ? "" : " (code " + code + ")");
    if (!code.empty()) return "code " + code;
  }
  return reason_from_json_body(status, body);
}

ApiClient make_ozon_client(const SourceConfig& config, BudgetBook& budgets) {
  const std::string client_id = preset_key(config, "client_id");
  const std::string key = config.api_key.value();
  ApiClientOptions options;
  options.site = "Ozon";
  options.base_url = config.url.empty() ? std::string(kOzonSellerBaseUrl) : config.url;
  options.budget = budgets.budget("ozon-seller", client_id, ozon_budget_limit());
  // Ozon answers an exceeded limit with HTTP 429 "You have reached request rate limit per second"
  // and documents no header; a Retry-After, should one come, is honoured.
  options.retry_headers = {"Retry-After"};
  options.default_wait = std::chrono::seconds(1);
  options.read_error = read_ozon_error;
  // The Client-Id is not a secret (it is shown next to the keys in the seller's account); the key is.
  auto auth = std::make_shared<StaticHeadersAuth>(Headers{{"Client-Id", client_id}, {"Api-Key", key}},
                                                  std::vector<std::string>{key});
  return ApiClient(std::move(options), std::move(auth));
}

}  // namespace otklik
