#pragma once
/// The Google Business Profile APIs as a client: the reviews of the v4 API
/// (https://mybusiness.googleapis.com) and the locations of the Business Information API
/// (https://mybusinessbusinessinformation.googleapis.com), both authorised by one OAuth 2.0
/// refresh-token flow (google_oauth.hpp) with the scope https://www.googleapis.com/auth/business.manage.
/// Nothing about reviews here: a reply posting an answer (PUT …/reviews/ID/reply) uses the same
/// client.
///
/// Limits: the Business Profile APIs allow 300 requests a minute per Cloud project and API by
/// default (developers.google.com/my-business/content/limits); this client keeps 2 requests a
/// second (120 a minute) per API and OAuth client, shared by every source of that client, and
/// paces them evenly as the documentation asks. A 429 (RESOURCE_EXHAUSTED) is waited out:
/// Retry-After when the answer has one, else 15 s, twice at most within a poll.

#include "daemon/config/config.hpp"
#include "sources/api/api_client.hpp"
#include "sources/api/request_budget.hpp"
#include "sources/google_business/google_oauth.hpp"

#include <memory>
#include <string_view>

namespace otklik {

inline constexpr std::string_view kGoogleBusinessReviewsBase = "https://mybusiness.googleapis.com";
inline constexpr std::string_view kGoogleBusinessInfoBase = "https://mybusinessbusinessinformation.googleapis.com";

/// The budget kept per API and OAuth client: 2 requests a second.
BudgetLimit google_business_budget();

struct GoogleBusinessApi {
  std::shared_ptr<GoogleOAuth> auth;
  ApiClient reviews;    ///< v4: accounts/*/locations/*/reviews
  ApiClient info;       ///< Business Information v1: accounts/*/locations
};

/// The client of a [[source]]: `url` (the v4 base; a test's fake serves both APIs there when it is
/// not the official one), `token_url` (default https://oauth2.googleapis.com/token) and the
/// secrets client_id, client_secret, refresh_token.
GoogleBusinessApi make_google_business_api(const SourceConfig& config, BudgetBook& budgets);

}  // namespace otklik
