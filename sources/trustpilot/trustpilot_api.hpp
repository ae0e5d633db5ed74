#pragma once
/// Trustpilot's business API (api.trustpilot.com) as a client, for answering reviews: the
/// `trustpilot` preset reads the public review page and needs no key; with the business API keys
/// in the [[source]] it can also publish the company's replies.
///
/// Authorisation (developers.trustpilot.com → Get started → Authentication → Client credentials):
///   POST https://api.trustpilot.com/v1/oauth/oauth-business-users-for-applications/accesstoken
///   Authorization: Basic BASE64(API_KEY:API_SECRET)
///   Content-Type: application/x-www-form-urlencoded
///   grant_type=client_credentials
///   → {"access_token": "…", "expires_in": "359999"} (seconds, as a string: 100 hours).
/// The client-credentials grant needs no business user's password; the endpoints that act for a
/// user take the user's id in the request (the reply's authorBusinessUserId). Each call carries
/// "Authorization: Bearer TOKEN" (the private endpoints) and "apikey: API_KEY" (the public ones,
/// such as GET /v1/reviews/{id}). A refused token request (400/401/403) is errc::unauthorized with
/// Trustpilot's words.

#include "daemon/config/config.hpp"
#include "daemon/config/config_load.hpp"
#include "sources/api/api_auth.hpp"
#include "sources/api/api_client.hpp"
#include "sources/api/request_budget.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

inline constexpr std::string_view kTrustpilotApiBase = "https://api.trustpilot.com";
inline constexpr std::string_view kTrustpilotTokenPath = "/v1/oauth/oauth-business-users-for-applications/accesstoken";

/// Standard base64 (RFC 4648 section 4) with padding: the Basic credentials.
std::string base64_padded(std::string_view bytes);

/// The client-credentials flow as an ApiAuth; the token kept until two minutes before it expires.
class TrustpilotAuth final : public ApiAuth {
 public:
  TrustpilotAuth(std::string token_url, std::string api_key, std::string api_secret);
  boost::asio::awaitable<Result<Headers>> headers(ApiContext& ctx) override;
  bool refresh() override;
  [[nodiscard]] std::vector<std::string> secrets() const override;

 private:
  boost::asio::awaitable<Result<std::string>> fetch_token(ApiContext& ctx);

  std::string token_url_;
  std::string api_key_;
  std::string api_secret_;
  mutable std::mutex mutex_;
  std::string token_;
  TimePoint renew_at_{};
  std::vector<std::string> issued_;
};

/// The business API keys of a trustpilot [[source]]: business_api_key and business_api_secret
/// (secret references) and business_user_id all three or none; api_url an http(s) URL.
void validate_trustpilot_business(const SourceConfig& source, const std::string& prefix, ConfigProblems& problems);

/// Whether a trustpilot [[source]] has the business API keys: only then does it answer reviews.
bool trustpilot_answers(const SourceConfig& config);

/// The business API client of a trustpilot [[source]]: base `api_url` (default
/// https://api.trustpilot.com), the secrets business_api_key and business_api_secret; one request a second per API
/// key, shared by every source with that key.
std::shared_ptr<ApiClient> make_trustpilot_client(const SourceConfig& config, BudgetBook& budgets);

}  // namespace otklik
