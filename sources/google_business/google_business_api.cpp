#include "sources/google_business/google_business_api.hpp"

#include "sources/generic/preset_keys.hpp"

namespace otklik {
namespace {

std::string secret_of(const SourceConfig& config, std::string_view key) {
  const Secret* s = preset_secret(config, key);
  return s != nullptr ? s->value() : std::string();
}

ApiClientOptions options(std::string site, std::string base_url, std::shared_ptr<RequestBudget> budget) {
  ApiClientOptions o;
  o.site = std::move(site);
  o.base_url = std::move(base_url);
  o.budget = std::move(budget);
  o.retry_headers = {"Retry-After"};
  o.default_wait = std::chrono::seconds(15);
  o.max_wait = std::chrono::seconds(60);
  o.max_retries = 2;
  o.read_error = read_google_error;
  o.retry_from_body = google_retry_delay;
  return o;
}

}  // namespace

BudgetLimit google_business_budget() { return {2, std::chrono::seconds(1)}; }

GoogleBusinessApi make_google_business_api(const SourceConfig& config, BudgetBook& budgets) {
  GoogleOAuthSettings s;
  s.token_url = preset_key(config, "token_url", kGoogleTokenUrl);
  s.client_id = secret_of(config, "client_id");
  s.client_secret = secret_of(config, "client_secret");
  s.refresh_token = secret_of(config, "refresh_token");
  auto auth = std::make_shared<GoogleOAuth>(std::move(s));

  std::string reviews_base = config.url.empty() ? std::string(kGoogleBusinessReviewsBase) : config.url;
  while (!reviews_base.empty() && reviews_base.back() == '/') reviews_base.pop_back();
  // A `url` of its own (a mirror, a test's fake) serves both APIs; the official one has a second host.
  const std::string info_base =
      reviews_base == kGoogleBusinessReviewsBase ? std::string(kGoogleBusinessInfoBase) : reviews_base;
  // The quota is per Cloud project and API: the OAuth client names the project.
  const std::string credential = secret_of(config, "client_id");
  auto reviews_budget = budgets.budget("google-business-v4", credential, google_business_budget());
  auto info_budget = budgets.budget("google-business-information", credential, google_business_budget());
  return GoogleBusinessApi{auth, ApiClient(options("Google Business Profile", reviews_base, reviews_budget), auth),
                           ApiClient(options("Google Business Profile", info_base, info_budget), auth)};
}

}  // namespace otklik
