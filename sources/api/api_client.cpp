#include "sources/api/api_client.hpp"

#include "daemon/core/secret.hpp"
#include "daemon/core/utf8.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <algorithm>

namespace otklik {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxReason = 300;

/// One line of valid UTF-8, at most kMaxReason code points.
std::string cut(std::string_view raw) {
  std::string text = sanitize_utf8(raw);
  std::string out;
  std::size_t i = 0;
  for (std::size_t n = 0; i < text.size() && n < kMaxReason; ++n) {
    const std::size_t start = i;
    const char32_t cp = decode_utf8(text, i);
    if (cp < 0x20 || cp == 0x7F)
      out += ' ';
    else
      out.append(text, start, i - start);
  }
  if (i < text.size()) out += "…";
  return out;
}

std::string string_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_object()) {
    for (std::string_view inner : {"message", "detail", "description", "title"}) {
      const auto* m = v->as_object().if_contains(inner);
      if (m != nullptr && m->is_string()) return std::string(m->as_string());
    }
  }
  if (v->is_array()) {
    for (const auto& e : v->as_array()) {
      if (e.is_string()) return std::string(e.as_string());
      if (e.is_object())
        for (std::string_view inner : {"message", "detail", "title", "description", "code"}) {
          std::string s = string_at(e.as_object(), inner);
          if (!s.empty()) return s;
        }
    }
  }
  return {};
}

bool has_header(const Headers& headers, std::string_view name) { return find_header(headers, name).has_value(); }

}  // namespace

std::string reason_from_json_body(int /*status*/, std::string_view body) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  if (!ec && v.is_object()) {
    const auto& o = v.as_object();
    for (std::string_view key : {"errorText", "error_description", "message", "detail", "error", "errors", "title"}) {
      std::string s = string_at(o, key);
      if (!s.empty()) return cut(s);
    }
    return {};
  }
  std::string_view start = body.substr(0, std::min<std::size_t>(body.size(), 200));
  // An HTML error page says nothing a person needs in a log line.
  if (start.find('<') != std::string_view::npos) return {};
  return cut(start);
}

ApiClient::ApiClient(ApiClientOptions options, std::shared_ptr<ApiAuth> auth)
    : options_(std::move(options)), auth_(std::move(auth)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
  if (!options_.read_error) options_.read_error = reason_from_json_body;
}

std::string ApiClient::url_of(std::string_view target) const {
  if (target.starts_with("http://") || target.starts_with("https://")) return std::string(target);
  std::string url = options_.base_url;
  if (!target.empty() && target.front() != '/') url += '/';
  url += target;
  return url;
}

std::string ApiClient::hide(std::string text) const {
  if (!auth_) return text;
  const auto secrets = auth_->secrets();
  std::vector<std::string_view> views(secrets.begin(), secrets.end());
  return redact(std::move(text), views);
}

boost::asio::awaitable<Result<HttpResponse>> ApiClient::call(ApiContext& ctx, ApiCall call) {
  bool refreshed = false;
  int retries = 0;
  const std::string url = url_of(call.target);
  for (;;) {
    HttpRequest request;
    request.method = call.method;
    request.url = url;
    // A next-page link read from an answer reaches an internal address only on the host of the
    // configured base URL, when that host may (daemon/net/address_policy.hpp).
    request.configured_url = options_.base_url;
    request.proxy = ctx.proxy;
    request.timeout = options_.timeout;
    request.max_body = options_.max_body;
    request.follow_redirects = false;  // an API answers where it is asked; a redirect is an error
    if (!ctx.user_agent.empty()) request.user_agent = ctx.user_agent;
    if (!options_.accept.empty()) request.headers.emplace_back("Accept", options_.accept);
    for (const auto& h : call.headers) request.headers.push_back(h);
    if (!call.body.empty() && !has_header(call.headers, "Content-Type"))
      request.headers.emplace_back("Content-Type", "application/json");
    request.body = call.body;
    if (auth_) {
      auto auth = co_await auth_->headers(ctx);
      if (!auth) {
        Failure f = auth.error();
        f.detail = hide(std::move(f.detail));
        co_return f;
      }
      for (auto& h : *auth) request.headers.push_back(std::move(h));
    }
    if (options_.budget) co_await options_.budget->acquire();

    auto fetched = co_await ctx.http.fetch(std::move(request));
    if (!fetched) {
      Failure f = fetched.error();
      f.detail = hide(std::move(f.detail));
      co_return f;
    }
    HttpResponse& response = *fetched;
    const int status = response.status;
    if (status >= 200 && status < 300) co_return std::move(response);

    const std::string reason = hide(options_.read_error(status, response.body));
    if (status == 401 || status == 403) {
      if (status == 401 && !refreshed && auth_ && auth_->refresh()) {
        refreshed = true;
        continue;
      }
      Failure f(errc::unauthorized, options_.site + " refused the credentials (HTTP " + std::to_string(status) + ")" +
                                        (reason.empty() ? std::string() : ": " + reason));
      f.http_status = status;
      co_return f;
    }
    if (std::find(options_.rate_limit_statuses.begin(), options_.rate_limit_statuses.end(), status) !=
        options_.rate_limit_statuses.end()) {
      std::optional<std::chrono::seconds> wait;
      for (const auto& name : options_.retry_headers) {
        if (auto v = response.header(name)) {
          wait = parse_retry_after(*v, ctx.now);
          if (wait) break;
        }
      }
      if (!wait && options_.retry_from_body) wait = options_.retry_from_body(response.body);
      const Duration pause = wait ? Duration(*wait) : options_.default_wait;
      const auto until = RequestBudget::Clock::now() + std::chrono::duration_cast<RequestBudget::Clock::duration>(pause);
      if (options_.budget) options_.budget->hold_until(until);
      if (retries < options_.max_retries && pause <= options_.max_wait) {
        ++retries;
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
        timer.expires_at(until);
        co_await timer.async_wait(boost::asio::use_awaitable);
        continue;
      }
      Failure f(errc::rate_limited, options_.site + " asked to slow down (HTTP " + std::to_string(status) + ")" +
                                        (reason.empty() ? std::string() : ": " + reason));
      f.http_status = status;
      f.retry_after = std::chrono::duration_cast<std::chrono::seconds>(pause);
      co_return f;
    }
    Failure f = status_failure(response, ctx.now).value_or(Failure(errc::http_status));
    f.http_status = status;
    f.detail = options_.site + " answered HTTP " + std::to_string(status) + " to " + call.method + " " +
               hide(url_of(call.target)) + (reason.empty() ? std::string() : ": " + reason);
    co_return f;
  }
}

}  // namespace otklik
