#pragma once
/// A site's official API as a client: base URL, authorisation, request budget and how the API
/// says what went wrong. A source that reads reviews and a reply that posts an answer use the same
/// client, so that each site has one place that knows how to talk to it.
///
/// What call() returns:
/// - 2xx: the response;
/// - 401 / 403: errc::unauthorized with the API's reason (after one retry with a fresh token when
///   the authoriser can get one);
/// - 429: waits as the answer asks (Retry-After or the API's own header, in `retry_headers`
///   order) and calls again, up to `max_retries` times while the wait is at most `max_wait`;
///   beyond that errc::rate_limited carrying the wait, so that the runner pauses the source;
/// - another status: status_failure() with the API's reason added;
/// - transport failures as the HTTP client returns them.
/// Every text it returns has the authoriser's secrets replaced by "***".

#include "daemon/core/error.hpp"
#include "daemon/net/http_client.hpp"
#include "sources/api/api_auth.hpp"
#include "sources/api/api_call.hpp"
#include "sources/api/request_budget.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

/// The API's own words about a failed call, from its error body ("" when it says nothing useful).
using ApiErrorReader = std::function<std::string(int status, std::string_view body)>;

struct ApiClientOptions {
  std::string site;                       ///< "Wildberries", for messages
  std::string base_url;                   ///< "https://feedbacks-api.wildberries.ru", no trailing '/'
  std::shared_ptr<RequestBudget> budget;  ///< null: no budget of its own
  /// Headers that say how long to wait after a 429, in order of trust; each holds seconds (or an
  /// HTTP date, for Retry-After).
  std::vector<std::string> retry_headers{"Retry-After"};
  /// The statuses that mean "slow down" and are handled as 429 is (Yandex Market answers 420
  /// "Enhance Your Calm").
  std::vector<int> rate_limit_statuses{429};
  /// A 429 asking for a longer wait ends the call as rate_limited instead of waiting in the poll.
  Duration max_wait = std::chrono::seconds(60);
  int max_retries = 2;                    ///< calls made again after a 429
  /// The wait a 429's body asks for, when no header names one (Google's RetryInfo retryDelay);
  /// null: none.
  std::function<std::optional<std::chrono::seconds>(std::string_view body)> retry_from_body;
  /// The wait after a 429 that names none.
  Duration default_wait = std::chrono::seconds(1);
  ApiErrorReader read_error;              ///< null: reason_from_json_body()
  std::string accept = "application/json";
  std::optional<std::uint64_t> max_body;  ///< overrides the HTTP client's cap
  Duration timeout = std::chrono::seconds(30);
};

class ApiClient {
 public:
  ApiClient(ApiClientOptions options, std::shared_ptr<ApiAuth> auth);

  boost::asio::awaitable<Result<HttpResponse>> call(ApiContext& ctx, ApiCall call);

  /// `text` with every secret of the authoriser replaced by "***".
  [[nodiscard]] std::string hide(std::string text) const;
  [[nodiscard]] const ApiClientOptions& options() const { return options_; }
  /// The absolute URL of `target` (base URL + target, or `target` when absolute).
  [[nodiscard]] std::string url_of(std::string_view target) const;

 private:
  ApiClientOptions options_;
  std::shared_ptr<ApiAuth> auth_;
};

/// The common error shapes of JSON APIs: {"error": "…"} / {"error": {"message": "…"}} /
/// {"message": "…"} / {"detail": "…"} / {"errorText": "…"} / {"errors": [{"message"|"detail"…}]}
/// / {"title": "…"}; the start of a short non-JSON body otherwise. At most 300 characters.
std::string reason_from_json_body(int status, std::string_view body);

}  // namespace otklik
