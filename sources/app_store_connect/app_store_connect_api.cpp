#include "sources/app_store_connect/app_store_connect_api.hpp"

#include "sources/generic/json_fields.hpp"
#include "sources/generic/preset_keys.hpp"

#include <algorithm>

namespace otklik {

BudgetLimit asc_budget_limit() { return {1, std::chrono::milliseconds(1200)}; }

std::string read_asc_error(int status, std::string_view body) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec);
  const auto* root = !ec ? v.if_object() : nullptr;
  const auto* errors = array_of(root, "errors");
  if (errors != nullptr && !errors->empty()) {
    const auto* first = errors->front().if_object();
    const std::string code = text_of(first, "code");
    std::string words = text_of(first, "detail");
    if (words.empty()) words = text_of(first, "title");
    if (!code.empty() || !words.empty()) {
      std::string reason = code.empty() ? words : words.empty() ? code : code + ": " + words;
      if (errors->size() > 1) reason += " (and " + std::to_string(errors->size() - 1) + " more)";
      // The common reader cuts to one line of at most 300 characters.
      return reason_from_json_body(status, boost::json::serialize(boost::json::object{{"message", reason}}));
    }
  }
  return reason_from_json_body(status, body);
}

std::optional<AscRateLimit> parse_asc_rate_limit(std::string_view header) {
  std::optional<long> limit;
  std::optional<long> remaining;
  while (!header.empty()) {
    const auto semicolon = std::min(header.find(';'), header.size());
    std::string_view entry = header.substr(0, semicolon);
    header.remove_prefix(std::min(semicolon + 1, header.size()));
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    const auto colon = entry.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = entry.substr(0, colon);
    const std::string_view digits = entry.substr(colon + 1);
    if (digits.empty() || digits.size() > 9 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    const long value = std::stol(std::string(digits));
    if (name == "user-hour-lim") limit = value;
    else if (name == "user-hour-rem") remaining = value;
  }
  if (!limit || !remaining) return std::nullopt;
  return AscRateLimit{*limit, *remaining};
}

std::shared_ptr<ApiClient> make_asc_client(const SourceConfig& config, BudgetBook& budgets) {
  const std::string key_id = preset_key(config, "key_id");
  const std::string issuer_id = preset_key(config, "issuer_id");
  const Secret* key = preset_secret(config, "private_key");
  auto auth = std::make_shared<AscJwtAuth>(key_id, issuer_id, key != nullptr ? key->value() : std::string());

  ApiClientOptions options;
  options.site = "App Store Connect";
  options.base_url = config.url.empty() ? std::string(kAscBaseUrl) : config.url;
  // The hourly limit counts per API key, whatever source or tool uses it.
  options.budget = budgets.budget("app-store-connect", issuer_id + ":" + key_id, asc_budget_limit());
  // Apple documents no wait with its 429; a Retry-After, when sent, is honoured. Without one the
  // hour is spent: the source pauses (rate_limited) rather than waiting inside the poll.
  options.retry_headers = {"Retry-After"};
  options.default_wait = std::chrono::minutes(5);
  options.max_wait = std::chrono::seconds(60);
  options.max_retries = 2;
  options.read_error = read_asc_error;
  return std::make_shared<ApiClient>(std::move(options), std::move(auth));
}

}  // namespace otklik
