#pragma once
/// The HTTP(S) client on Beast. One instance per daemon, used from the I/O thread.
/// - keep-alive: idle connections pooled per scheme, host and port (HttpConfig::max_idle_per_host,
///   max_idle_total, idle_timeout); `Connection: close` only when the server asks
/// - TLS with certificate and hostname verification (system store + HttpConfig::ca_file)
/// - deadlines on connect, TLS handshake, write and read
/// - body cap (HttpConfig::max_body), gzip/deflate decoding with a cap on the decoded size
/// - redirects followed by hand (at most max_redirects, http/https only)
/// - conditional GET (HttpRequest::etag / last_modified)
/// - a minimum delay between requests to one host (HostGate)
/// - file:// URLs read from disk with the same size cap
/// - an address filter: no connection to loopback, private, link-local… addresses, except on the
///   host of a configured URL that names one (address_policy.hpp, HttpConfig::allow_private)
/// - HTTP (CONNECT / forwarding) and SOCKS5 proxies: HttpRequest::proxy, else HttpConfig::proxy
/// Non-2xx statuses are returned as responses, not failures, except that the caller can use
/// `status_failure()` to turn one into a Failure carrying Retry-After.

#include "daemon/config/config.hpp"
#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/net/http_types.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/verify_context.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace otklik {

/// What the client's connections did since it was made. Plain numbers: read them on the I/O
/// thread, which is the one the client runs on.
struct HttpClientStats {
  std::uint64_t connections_opened = 0;  ///< connected (and the TLS handshake done, for https)
  std::uint64_t requests_reused = 0;     ///< responses received over a connection from the pool
  std::uint64_t stale_retries = 0;       ///< requests sent again on a fresh connection after a pooled one failed
  std::uint64_t stale_discarded = 0;     ///< pooled connections found closed by the server before reuse
  std::size_t idle = 0;                  ///< idle connections in the pool now
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  /// Performs one request (following redirects). Failures: timeout, connect_failed, tls_failed,
  /// too_large, too_many_redirects, bad_redirect, decode_failed, unsupported_scheme, io_error,
  /// address_refused (an internal address not allowed for the request), proxy_failed;
  /// also protocol_error (connection dropped, malformed response), invalid_input (not a URL) and
  /// cancelled (the caller's coroutine was cancelled). Never throws for network failures.
  virtual boost::asio::awaitable<Result<HttpResponse>> fetch(HttpRequest request) = 0;

  /// The connection counters; all zero for a client without a pool (test doubles).
  [[nodiscard]] virtual HttpClientStats stats() const { return {}; }

  /// Closes pooled connections as they pass HttpConfig::idle_timeout, until cancelled; then
  /// closes every idle connection. Optional: without it an expired connection is closed at the
  /// next request instead (and never reused). The daemon runs it as one of the runtime's tasks,
  /// so that no timer of the client keeps the event loop running after the daemon's tasks end.
  virtual boost::asio::awaitable<void> expire_idle_connections() { co_return; }
};

/// The real client; it owns its TLS context. Start-up only: throws boost::system::system_error
/// when `config.ca_file` cannot be loaded. See daemon/net/README.md for its behaviour.
std::unique_ptr<HttpClient> make_http_client(boost::asio::any_io_executor executor, HttpConfig config,
                                             std::string default_user_agent);

/// A TLS client context with peer verification on, the system CA store and `extra_ca_file` if set
/// (TLS 1.2 or later). Throws boost::system::system_error when `extra_ca_file` cannot be loaded.
boost::asio::ssl::context make_client_tls_context(const std::string& extra_ca_file);

/// The peer check for a client TLS stream (set_verify_callback): OpenSSL's chain verification,
/// then the certificate's name (or IP) against `host`. The first reason it fails is written to
/// `*why` so that the handshake error can say it ("certificate has expired", "certificate is not
/// valid for host"). Shared by the HTTP and SMTP clients.
std::function<bool(bool, boost::asio::ssl::verify_context&)> peer_verifier(std::string host,
                                                                           std::shared_ptr<std::string> why);

/// Turns a non-2xx response into a Failure (http_status or rate_limited for 429/503 with
/// Retry-After). Returns nullopt for 2xx and 304.
std::optional<Failure> status_failure(const HttpResponse& response, TimePoint now);

/// Parses a Retry-After value: delta-seconds or an HTTP-date (relative to `now`). Clamped to >= 0.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, TimePoint now);

}  // namespace otklik
