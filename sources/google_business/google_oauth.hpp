#pragma once
/// Google's OAuth 2.0 refresh-token flow as an ApiAuth: the owner consents once (OAuth Playground
/// or a one-off consent screen) and gives the client id, client secret and refresh token; each
/// access token is fetched from the token endpoint and kept until shortly before `expires_in`
/// runs out.
///
///   POST https://oauth2.googleapis.com/token
///   Content-Type: application/x-www-form-urlencoded
///   grant_type=refresh_token&client_id=…&client_secret=…&refresh_token=…
/// answers {"access_token": "ya29.…", "expires_in": 3599, "scope": "…", "token_type": "Bearer"},
/// or 400/401 {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}.
/// A refused refresh (400, 401, 403: a revoked or expired refresh token, a wrong client secret) is
/// errc::unauthorized with the endpoint's words, which reports the source broken once.

#include "daemon/core/duration.hpp"
#include "sources/api/api_auth.hpp"

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

inline constexpr std::string_view kGoogleTokenUrl = "https://oauth2.googleapis.com/token";
/// How the detail of a refused token request begins.
inline constexpr std::string_view kTokenRefused = "Google refused the refresh token";

struct GoogleOAuthSettings {
  std::string token_url{kGoogleTokenUrl};
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;
  /// A token is fetched anew this long before it expires (a call never goes out with a token
  /// about to lapse).
  Duration margin = std::chrono::minutes(2);
  /// The clock; null: the system clock.
  std::function<TimePoint()> clock;
};

class GoogleOAuth final : public ApiAuth {
 public:
  explicit GoogleOAuth(GoogleOAuthSettings settings);

  /// "Authorization: Bearer TOKEN", with a token fetched first when none is cached or it is about
  /// to expire.
  boost::asio::awaitable<Result<Headers>> headers(ApiContext& ctx) override;
  /// Forgets the cached access token; the next call fetches a new one.
  bool refresh() override;
  /// The client secret, the refresh token, the client id, and the access tokens handed out
  /// (the current one and the few before it).
  [[nodiscard]] std::vector<std::string> secrets() const override;

  /// The form body of the token request (values percent-encoded).
  [[nodiscard]] std::string token_request_body() const;
  /// How many token requests were answered with a token (for tests and metrics).
  [[nodiscard]] int tokens_fetched() const;

 private:
  boost::asio::awaitable<Result<std::string>> fetch_token(ApiContext& ctx);
  [[nodiscard]] TimePoint now() const;

  GoogleOAuthSettings settings_;
  mutable std::mutex mutex_;
  std::string access_token_;
  TimePoint renew_at_{};
  std::vector<std::string> issued_;  ///< the last few access tokens, newest last
  int fetched_ = 0;
};

/// The token endpoint's error body ({"error": "invalid_grant", "error_description": "…"}) as
/// "invalid_grant: …"; Google's API error shape ({"error": {"code", "message", "status"}}) as
/// "STATUS: message"; otherwise reason_from_json_body(). At most 300 characters.
std::string read_google_error(int status, std::string_view body);

/// The wait a Google API error asks for in its body: error.details[] of type
/// google.rpc.RetryInfo, retryDelay "30s" / "1.5s" (rounded up to whole seconds); nullopt when absent.
std::optional<std::chrono::seconds> google_retry_delay(std::string_view body);

}  // namespace otklik
