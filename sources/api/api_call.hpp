#pragma once
/// One call of a site's official API, and what the caller brings to it. Independent of any site:
/// a source reading reviews and (later) a reply posting an answer make calls the same way.

#include "daemon/config/proxy_config.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/net/http_types.hpp"

#include <optional>
#include <string>

namespace otklik {

class HttpClient;

/// A request relative to the API's base URL.
struct ApiCall {
  std::string method = "GET";
  /// Path and query, e.g. "/api/v1/feedbacks?isAnswered=false&take=5000&skip=0"; an absolute
  /// http(s) URL is taken as it is (a second host of the same API: a token endpoint).
  std::string target;
  std::string body;             ///< sent with Content-Type: application/json unless `headers` name another
  Headers headers;              ///< extra headers of this call

  friend bool operator==(const ApiCall&, const ApiCall&) = default;
};

/// What a call needs from its caller: the HTTP client, the clock reading of this poll, and the
/// source's network settings.
struct ApiContext {
  HttpClient& http;
  TimePoint now;
  std::string user_agent;                 ///< "" = the client's default
  std::optional<ProxyConfig> proxy;       ///< the source's `proxy`
};

}  // namespace otklik
