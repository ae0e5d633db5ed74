#pragma once
/// Requests and responses of the HTTP client, independent of Beast so that sources and channels
/// (and their tests) need not include it.

#include "daemon/config/proxy_config.hpp"
#include "daemon/core/duration.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otklik {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// Case-insensitive header lookup; the first match.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

struct HttpRequest {
  std::string method = "GET";
  std::string url;                  ///< http://, https:// or file://
  Headers headers;                  ///< extra headers (Content-Type, Authorization…)
  std::string body;
  std::string etag;                 ///< sent as If-None-Match when not empty
  std::string last_modified;        ///< sent as If-Modified-Since when not empty
  std::optional<std::string> user_agent;  ///< overrides the client's default
  bool follow_redirects = true;     ///< GET/HEAD only; at most HttpConfig::max_redirects
  std::optional<Duration> timeout;  ///< overrides read_timeout (e.g. long polling)
  std::optional<std::uint64_t> max_body;  ///< overrides the client's cap
  /// The proxy for this request (a source's or channel's `proxy`); unset: HttpConfig::proxy.
  /// Kind none: direct.
  std::optional<ProxyConfig> proxy;
  /// For the address filter (daemon/net/address_policy.hpp): the URL from the config that `url`
  /// was derived from, when `url` was read from a response (a next-page link). Empty: `url` is
  /// itself from the config. Internal addresses are reachable only on the host of a configured
  /// URL that names an internal host itself, or is listed in [http] allow_private.
  std::string configured_url;
};

struct HttpResponse {
  int status = 0;                   ///< 200, 304 …; file:// reads report 200
  Headers headers;
  std::string body;                 ///< decoded (gzip/deflate removed), capped
  std::string final_url;            ///< after redirects
  int redirects = 0;

  [[nodiscard]] bool not_modified() const noexcept { return status == 304; }
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

}  // namespace otklik
