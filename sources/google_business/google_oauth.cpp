#include "sources/google_business/google_oauth.hpp"

#include "daemon/core/secret.hpp"
#include "daemon/net/http_client.hpp"
#include "sources/api/api_client.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/paging.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <optional>

namespace otklik {
namespace {

namespace json = boost::json;

constexpr std::size_t kIssuedKept = 4;
constexpr std::size_t kMaxReason = 300;

std::string cut(std::string text) {
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  if (text.size() > kMaxReason) {
    std::size_t end = kMaxReason;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // a whole UTF-8 character
    text.resize(end);
    text += "…";
  }
  return text;
}

}  // namespace

std::string read_google_error(int status, std::string_view body) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  if (!ec && v.is_object()) {
    const auto& o = v.as_object();
    if (const auto* error = o.if_contains("error")) {
      if (error->is_string()) {
        // The OAuth token endpoint: {"error": "invalid_grant", "error_description": "…"}.
        const std::string code(error->as_string());
        const std::string description = text_of(&o, "error_description");
        return cut(description.empty() ? code : code + ": " + description);
      }
      if (error->is_object()) {
        // Google APIs: {"error": {"code": 403, "message": "…", "status": "PERMISSION_DENIED"}}.
        const auto* e = &error->as_object();
        const std::string message = text_of(e, "message");
        const std::string state = text_of(e, "status");
        if (!message.empty() || !state.empty())
          return cut(state.empty() ? message : message.empty() ? state : state + ": " + message);
      }
    }
  }
  return reason_from_json_body(status, body);
}

std::optional<std::chrono::seconds> google_retry_delay(std::string_view body) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto* error = v.as_object().if_contains("error");
  if (error == nullptr || !error->is_object()) return std::nullopt;
  const auto* details = error->as_object().if_contains("details");
  if (details == nullptr || !details->is_array()) return std::nullopt;
  for (const auto& d : details->as_array()) {
    if (!d.is_object()) continue;
    const auto* type = d.as_object().if_contains("@type");
    const auto* delay = d.as_object().if_contains("retryDelay");
    if (type == nullptr || !type->is_string() || !type->as_string().ends_with("google.rpc.RetryInfo")) continue;
    if (delay == nullptr || !delay->is_string()) continue;
    // A protobuf Duration in JSON: decimal seconds with an "s" ("30s", "1.500s").
    std::string_view text = delay->as_string();
    if (!text.ends_with('s')) continue;
    text.remove_suffix(1);
    double seconds = 0;
    try {
      std::size_t used = 0;
      seconds = std::stod(std::string(text), &used);
      if (used != text.size()) continue;
    } catch (const std::exception&) {
      continue;
    }
    if (!(seconds >= 0) || seconds > 86400) continue;
    return std::chrono::seconds(static_cast<std::int64_t>(std::ceil(seconds)));
  }
  return std::nullopt;
}

GoogleOAuth::GoogleOAuth(GoogleOAuthSettings settings) : settings_(std::move(settings)) {
  if (settings_.token_url.empty()) settings_.token_url = std::string(kGoogleTokenUrl);
}

TimePoint GoogleOAuth::now() const { return settings_.clock ? settings_.clock() : SystemClock::now(); }

std::string GoogleOAuth::token_request_body() const {
  return "grant_type=refresh_token&client_id=" + percent_encode_segment(settings_.client_id) +
         "&client_secret=" + percent_encode_segment(settings_.client_secret) +
         "&refresh_token=" + percent_encode_segment(settings_.refresh_token);
}

int GoogleOAuth::tokens_fetched() const {
  std::lock_guard lock(mutex_);
  return fetched_;
}

bool GoogleOAuth::refresh() {
  std::lock_guard lock(mutex_);
  access_token_.clear();
  renew_at_ = TimePoint{};
  return true;
}

std::vector<std::string> GoogleOAuth::secrets() const {
  std::vector<std::string> out;
  for (const std::string* s : {&settings_.client_secret, &settings_.refresh_token, &settings_.client_id})
    if (!s->empty()) out.push_back(*s);
  std::lock_guard lock(mutex_);
  for (const auto& t : issued_) out.push_back(t);
  return out;
}

boost::asio::awaitable<Result<Headers>> GoogleOAuth::headers(ApiContext& ctx) {
  std::string token;
  {
    std::lock_guard lock(mutex_);
    if (!access_token_.empty() && now() < renew_at_) token = access_token_;
  }
  if (token.empty()) {
    auto fetched = co_await fetch_token(ctx);
    if (!fetched) co_return fetched.error();
    token = std::move(*fetched);
  }
  co_return Headers{{"Authorization", "Bearer " + token}};
}

boost::asio::awaitable<Result<std::string>> GoogleOAuth::fetch_token(ApiContext& ctx) {
  HttpRequest request;
  request.method = "POST";
  request.url = settings_.token_url;
  request.proxy = ctx.proxy;
  request.follow_redirects = false;
  request.timeout = std::chrono::seconds(30);
  if (!ctx.user_agent.empty()) request.user_agent = ctx.user_agent;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  request.body = token_request_body();

  // Nothing the endpoint or the network says may carry a secret further than this function.
  auto hide = [this](std::string text) {
    const auto all = secrets();
    std::vector<std::string_view> views(all.begin(), all.end());
    return redact(std::move(text), views);
  };
  auto answered = co_await ctx.http.fetch(std::move(request));
  if (!answered) {
    Failure f = answered.error();
    f.detail = hide("Google OAuth token endpoint: " + f.detail);
    co_return f;
  }
  const HttpResponse& response = *answered;
  const int status = response.status;
  if (status < 200 || status >= 300) {
    const std::string reason = hide(read_google_error(status, response.body));
    const std::string said = reason.empty() ? std::string() : ": " + reason;
    if (status == 400 || status == 401 || status == 403) {
      Failure f(errc::unauthorized, std::string(kTokenRefused) + " (HTTP " + std::to_string(status) + ")" + said);
      f.http_status = status;
      co_return f;
    }
    Failure f = status_failure(response, ctx.now).value_or(Failure(errc::http_status));
    f.http_status = status;
    f.detail = "Google OAuth token endpoint answered HTTP " + std::to_string(status) + said;
    co_return f;
  }
  boost::system::error_code ec;
  const json::value v = json::parse(response.body, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  std::string token = text_of(o, "access_token");
  if (token.empty())
    co_return Failure(errc::protocol_error, "Google OAuth token endpoint answered without an access_token");
  const std::string type = text_of(o, "token_type");
  if (!type.empty() && type != "Bearer" && type != "bearer")
    co_return Failure(errc::protocol_error, "Google OAuth token endpoint answered a token of type \"" + hide(type) +
                                                "\", not Bearer");
  // expires_in is seconds (3599 for Google); a missing one is taken as the usual hour.
  const double expires = number_of(o, "expires_in").value_or(3600.0);
  Duration lifetime = std::chrono::seconds(static_cast<std::int64_t>(std::clamp(expires, 0.0, 86400.0)));
  Duration margin = settings_.margin;
  if (margin * 2 > lifetime) margin = lifetime / 2;
  {
    std::lock_guard lock(mutex_);
    access_token_ = token;
    renew_at_ = now() + std::chrono::duration_cast<TimePoint::duration>(lifetime - margin);
    issued_.push_back(token);
    if (issued_.size() > kIssuedKept) issued_.erase(issued_.begin());
    ++fetched_;
  }
  co_return token;
}

}  // namespace otklik
