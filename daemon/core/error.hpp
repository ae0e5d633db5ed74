#pragma once
/// Failures of normal life as values: an `otklik::errc` code in its own category,
/// plus context (which source, which url) and hints the caller acts on.

#include <boost/system/result.hpp>

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <system_error>

namespace otklik {

/// Codes for failures that are part of normal operation. Never reorder: values are logged.
enum class errc {
  ok = 0,
  timeout = 1,         ///< a deadline passed (connect, TLS, write, read)
  connect_failed,      ///< DNS or TCP connect failed
  tls_failed,          ///< handshake or certificate/hostname verification failed
  http_status,         ///< a non-success HTTP status; see Failure::http_status
  rate_limited,        ///< 429 or an API-level "retry after"; see Failure::retry_after
  too_large,           ///< body (or decompressed body) over its cap
  too_many_redirects,  ///< more than the allowed redirects
  bad_redirect,        ///< redirect to a non-http(s) scheme or an unparsable Location
  decode_failed,       ///< gzip/deflate/charset decoding failed
  parse_failed,        ///< a feed/page/JSON could not be parsed
  unsupported_scheme,  ///< a URL scheme we do not fetch
  io_error,            ///< local I/O (file:// read, disk)
  cancelled,           ///< shutdown or an explicit cancel
  protocol_error,      ///< the peer spoke HTTP (or an API) wrongly
  blocked,             ///< the site served a captcha or ban page
  permanent,           ///< the remote rejected the request for good (bad token, chat not found…)
  store_failed,        ///< SQLite refused (busy past the timeout, disk full…)
  invalid_input,       ///< a value given to a function is not usable
  not_found,           ///< the thing asked for does not exist (a case for a mention without one)
  address_refused,     ///< the target's address is loopback, private, link-local… (SSRF guard)
  proxy_failed,        ///< the proxy itself failed: unreachable, refused us or our credentials, spoke wrongly
  lease_lost,          ///< the lease a write was made under is held by another instance now (fencing)
  unauthorized,        ///< an API refused our key or token (401/403, a revoked refresh token)
};

const std::error_category& otklik_category() noexcept;
std::error_code make_error_code(errc e) noexcept;

/// A failure with its context. `detail` is for people (log lines, CLI output).
struct Failure {
  std::error_code code;
  std::string detail;
  int http_status = 0;                               ///< when code == http_status / rate_limited
  std::optional<std::chrono::seconds> retry_after;   ///< the peer's requested wait, if any

  Failure() = default;
  Failure(std::error_code c, std::string d = {}) : code(c), detail(std::move(d)) {}
  Failure(errc c, std::string d = {}) : code(make_error_code(c)), detail(std::move(d)) {}

  /// Transient failures are retried with backoff; the rest are permanent.
  [[nodiscard]] bool transient() const noexcept;
  /// "timeout: connect to example.org:443" style text for logs.
  [[nodiscard]] std::string message() const;
};

std::ostream& operator<<(std::ostream& os, const Failure& f);

/// Either a value or a Failure.
template <class T>
using Result = boost::system::result<T, Failure>;

/// Used by boost::system::result<T, Failure>::value() when it holds a failure (a bug at the call site).
[[noreturn]] void throw_exception_from_error(const Failure& f, const boost::source_location& loc);

}  // namespace otklik

template <>
struct std::is_error_code_enum<otklik::errc> : std::true_type {};
