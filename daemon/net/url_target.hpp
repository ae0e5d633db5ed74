#pragma once
/// URL handling of the client: where an http(s) URL connects, and redirect resolution.

#include "daemon/core/error.hpp"

#include <string>
#include <string_view>

namespace otklik {

/// An http or https URL taken apart for one request.
struct UrlTarget {
  bool tls = false;
  std::string host;         ///< name or IP literal (IPv6 without brackets)
  std::string port;         ///< "80"/"443" when the URL has none
  std::string host_header;  ///< Host header value: host, [v6], plus ":port" when not the default
  std::string target;       ///< request target: path and query, at least "/"
  bool ip_literal = false;  ///< no SNI for IP literals (RFC 6066 §3)

  /// "host:port", the key for per-host politeness and the name in failure details.
  [[nodiscard]] std::string authority() const;
};

/// The scheme of an absolute URL in lower case ("" when `url` has none or does not parse).
std::string url_scheme(std::string_view url);

/// Parses an absolute http(s) URL. Failures: unsupported_scheme, invalid_input.
Result<UrlTarget> parse_http_url(std::string_view url);

/// Resolves a redirect's Location against the URL that answered (RFC 3986 §5), drops any
/// fragment, and insists on http/https. Failures: bad_redirect.
Result<std::string> resolve_redirect(std::string_view base, std::string_view location);

/// The local path of a file:// URL, percent-decoded. Host must be empty or "localhost".
/// Failures: invalid_input.
Result<std::string> file_url_path(std::string_view url);

}  // namespace otklik
