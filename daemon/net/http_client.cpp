#include "daemon/net/http_client.hpp"

#include "daemon/core/cancelled.hpp"
#include "daemon/net/address_policy.hpp"
#include "daemon/net/content_decoding.hpp"
#include "daemon/net/file_fetch.hpp"
#include "daemon/net/host_gate.hpp"
#include "daemon/net/http_connection.hpp"
#include "daemon/net/http_exchange.hpp"
#include "daemon/net/idle_pool.hpp"
#include "daemon/net/keep_alive.hpp"
#include "daemon/net/url_target.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cctype>

namespace otklik {

namespace asio = boost::asio;

namespace {

using Clock = std::chrono::steady_clock;

IdlePoolLimits pool_limits(const HttpConfig& config) {
  return {static_cast<std::size_t>(std::max(0, config.max_idle_per_host)),
          static_cast<std::size_t>(std::max(0, config.max_idle_total)), config.idle_timeout};
}

/// How one hop of a request connects: through which proxy, and whether it may reach internal
/// addresses (address_policy.hpp).
struct Route {
  ProxyConfig proxy;
  bool allow_internal = false;
};

/// The pool key: a connection serves one scheme, host and port (a TLS one keeps its verified
/// peer), over one proxy, opened under one address rule — so a request that may not reach
/// internal addresses never reuses a connection that another request was allowed to open to one.
std::string pool_key(const UrlTarget& target, const Route& route) {
  std::string key = (target.tls ? "https://" : "http://") + target.authority();
  if (route.proxy.enabled()) key += " via " + route.proxy.describe();
  if (route.allow_internal) key += " (internal allowed)";
  return key;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

void erase_header(Headers& headers, std::string_view name) {
  std::erase_if(headers, [name](const auto& h) { return iequals(h.first, name); });
}

class BeastHttpClient final : public HttpClient {
 public:
  BeastHttpClient(asio::any_io_executor executor, HttpConfig config, std::string user_agent)
      : executor_(std::move(executor)),
        config_(std::move(config)),
        user_agent_(std::move(user_agent)),
        tls_(make_client_tls_context(config_.ca_file)),
        gate_(config_.per_host_delay),
        pool_(pool_limits(config_)) {}

  asio::awaitable<Result<HttpResponse>> fetch(HttpRequest request) override {
    const std::uint64_t max_body = request.max_body.value_or(config_.max_body);
    const auto scheme = url_scheme(request.url);
    if (scheme == "file") co_return fetch_file(request.url, max_body);
    if (scheme.empty()) co_return Failure(errc::invalid_input, "not a URL: '" + request.url + "'");

    const ExchangeLimits limits{config_.connect_timeout, config_.tls_timeout, config_.write_timeout,
                                request.timeout.value_or(config_.read_timeout), max_body};
    WireRequest wire{request.method, base_headers(request), request.body};
    Route route{request.proxy.value_or(config_.proxy), false};
    // The one host whose internal addresses this request may reach, if any: that of a URL from
    // the config that names an internal host itself (or one in allow_private).
    const bool from_config = request.configured_url.empty();
    const auto internal_host = internal_host_allowed(from_config ? request.url : request.configured_url,
                                                     config_.allow_private);
    std::string url = request.url;
    int redirects = 0;
    for (;;) {
      auto target = parse_http_url(url);
      if (!target) co_return target.error();
      route.allow_internal = internal_host && target->host == *internal_host;
      co_await wait_turn(gate_, target->authority());
      auto cancellation = co_await asio::this_coro::cancellation_state;
      if (cancellation.cancelled() != asio::cancellation_type::none) {
        co_return Failure(errc::cancelled, "request to " + target->authority() + " cancelled");
      }
      auto answer = co_await round_trip(*target, wire, limits, route);
      if (!answer) {
        Failure failure = answer.error();
        if (failure.code == make_error_code(errc::address_refused)) {
          failure.detail = (redirects > 0 ? "redirect to " : from_config ? "request to " : "link to ") + url +
                           " refused: " + failure.detail;
          if (redirects == 0 && from_config) failure.detail += " (list the host in [http] allow_private to allow it)";
        }
        co_return failure;
      }

      const bool method_allows = wire.method == "GET" || wire.method == "HEAD" || answer->status == 303;
      if (is_redirect(answer->status) && request.follow_redirects && method_allows) {
        auto location = find_header(answer->headers, "Location");
        if (!location) {
          co_return Failure(errc::bad_redirect, "HTTP " + std::to_string(answer->status) + " without Location from " + url);
        }
        auto next = resolve_redirect(url, *location);
        if (!next) co_return Failure(errc::bad_redirect, next.error().detail + " from " + url);
        if (++redirects > config_.max_redirects) {
          co_return Failure(errc::too_many_redirects,
                            "more than " + std::to_string(config_.max_redirects) + " redirects from " + request.url);
        }
        if (answer->status == 303 && wire.method != "HEAD") {
          wire.method = "GET";
          wire.body.clear();
          erase_header(wire.headers, "Content-Type");
          erase_header(wire.headers, "Content-Length");
        }
        auto next_target = parse_http_url(*next);
        if (next_target && next_target->authority() != target->authority()) {
          // Credentials are for the host they were given to.
          erase_header(wire.headers, "Authorization");
          erase_header(wire.headers, "Cookie");
        }
        url = std::move(*next);
        continue;
      }
      co_return finish(std::move(*answer), std::move(url), redirects);
    }
  }

  HttpClientStats stats() const override {
    HttpClientStats out = stats_;
    out.idle = pool_.size();
    return out;
  }

  asio::awaitable<void> expire_idle_connections() override {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    // With nothing idle, look again this often: a connection parked meanwhile is closed at most
    // this late.
    const Duration empty_check = std::min<Duration>(config_.idle_timeout, std::chrono::seconds(1));
    for (;;) {
      const auto now = Clock::now();
      pool_.close_expired(now);
      timer.expires_at(pool_.next_expiry().value_or(now + empty_check));
      if (co_await wait_cancelled(timer)) break;  // the runtime is stopping
    }
    pool_.clear();
  }

 private:
  /// One request and its response on a pooled connection to the target's origin, else a fresh
  /// one; a reused connection the server had closed is replaced once under the keep-alive rules
  /// (keep_alive.hpp). The connection goes back to the pool only after a response that allows it.
  asio::awaitable<Result<WireResponse>> round_trip(const UrlTarget& target, const WireRequest& wire,
                                                   const ExchangeLimits& limits, const Route& route) {
    std::string key = pool_key(target, route);
    std::size_t stale = 0;
    auto connection = pool_.take(key, Clock::now(), [](HttpConnection& c) { return c.idle_and_open(); }, &stale);
    stats_.stale_discarded += stale;
    const bool reused = connection != nullptr;
    if (!reused) {
      auto opened = co_await open(target, limits, route);
      if (!opened) co_return opened.error();
      connection = std::move(*opened);
    }
    auto outcome = co_await exchange(*connection, target, wire, limits);
    if (!outcome.response && reused && may_retry_on_fresh_connection(wire.method, outcome.broken)) {
      ++stats_.stale_retries;
      connection.reset();
      auto opened = co_await open(target, limits, route);
      if (!opened) co_return opened.error();
      connection = std::move(*opened);
      outcome = co_await exchange(*connection, target, wire, limits);
    } else if (outcome.response && reused) {
      ++stats_.requests_reused;
    }
    if (outcome.response && outcome.reusable) pool_.put(std::move(key), std::move(connection), Clock::now());
    co_return std::move(outcome.response);
  }

  asio::awaitable<Result<std::unique_ptr<HttpConnection>>> open(const UrlTarget& target, const ExchangeLimits& limits,
                                                                const Route& route) {
    // A named object: GCC 12 destroys an aggregate built in braces as a coroutine's argument twice.
    ConnectOptions options;
    options.connect_timeout = limits.connect_timeout;
    options.tls_timeout = limits.tls_timeout;
    options.tls = &tls_;
    options.allow_internal = route.allow_internal;
    options.proxy = route.proxy;
    auto opened = co_await open_connection(target, std::move(options));
    if (opened) ++stats_.connections_opened;
    co_return opened;
  }

  /// Defaults first, then the caller's headers (which replace defaults of the same name).
  Headers base_headers(const HttpRequest& request) const {
    Headers headers{{"User-Agent", request.user_agent.value_or(user_agent_)},
                    {"Accept", "*/*"},
                    {"Accept-Encoding", "gzip, deflate"}};
    if (!pool_.enabled()) headers.emplace_back("Connection", "close");  // keep-alive off
    if (!request.etag.empty()) headers.emplace_back("If-None-Match", request.etag);
    if (!request.last_modified.empty()) headers.emplace_back("If-Modified-Since", request.last_modified);
    headers.insert(headers.end(), request.headers.begin(), request.headers.end());
    return headers;
  }

  Result<HttpResponse> finish(WireResponse answer, std::string url, int redirects) const {
    HttpResponse response;
    response.status = answer.status;
    response.final_url = std::move(url);
    response.redirects = redirects;
    response.headers = std::move(answer.headers);
    response.body = std::move(answer.body);
    if (auto encoding = find_header(response.headers, "Content-Encoding"); encoding && !response.body.empty()) {
      auto decoded = decode_content(*encoding, std::move(response.body), config_.max_decompressed);
      if (!decoded) {
        auto failure = decoded.error();
        failure.detail += " from " + response.final_url;
        return failure;
      }
      response.body = std::move(*decoded);
      // The headers describe the decoded body now.
      erase_header(response.headers, "Content-Encoding");
      erase_header(response.headers, "Content-Length");
    }
    return response;
  }

  asio::any_io_executor executor_;
  HttpConfig config_;
  std::string user_agent_;
  asio::ssl::context tls_;
  HostGate gate_;
  IdlePool<HttpConnection> pool_;  ///< after tls_: its connections go first
  HttpClientStats stats_;
};

}  // namespace

std::unique_ptr<HttpClient> make_http_client(asio::any_io_executor executor, HttpConfig config,
                                             std::string default_user_agent) {
  return std::make_unique<BeastHttpClient>(std::move(executor), std::move(config), std::move(default_user_agent));
}

std::function<bool(bool, asio::ssl::verify_context&)> peer_verifier(std::string host,
                                                                     std::shared_ptr<std::string> why) {
  return [check = asio::ssl::host_name_verification(host), why = std::move(why), host](
             bool preverified, asio::ssl::verify_context& ctx) mutable {
    if (!preverified) {
      const int err = X509_STORE_CTX_get_error(ctx.native_handle());
      if (why->empty()) *why = X509_verify_cert_error_string(err);
      return false;
    }
    if (!check(preverified, ctx)) {
      if (why->empty()) *why = "certificate is not valid for " + host;
      return false;
    }
    return true;
  };
}

asio::ssl::context make_client_tls_context(const std::string& extra_ca_file) {
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  ctx.set_default_verify_paths();
  if (!extra_ca_file.empty()) ctx.load_verify_file(extra_ca_file);
  ctx.set_verify_mode(asio::ssl::verify_peer);
  return ctx;
}

}  // namespace otklik
