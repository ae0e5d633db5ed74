#include "sources/trustpilot/trustpilot_api.hpp"

#include "daemon/core/secret.hpp"
#include "daemon/net/http_client.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/preset_keys.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace otklik {
namespace {

constexpr std::size_t kIssuedKept = 4;
/// A token is fetched anew this long before it expires.
constexpr auto kMargin = std::chrono::minutes(2);

std::string secret_of(const SourceConfig& config, std::string_view key) {
  const Secret* s = preset_secret(config, key);
  return s != nullptr ? s->value() : std::string();
}

std::string api_base(const SourceConfig& config) {
  std::string base = preset_key(config, "api_url", kTrustpilotApiBase);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace

std::string base64_padded(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += {kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], kAlphabet[v & 63]};
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

TrustpilotAuth::TrustpilotAuth(std::string token_url, std::string api_key, std::string api_secret)
    : token_url_(std::move(token_url)), api_key_(std::move(api_key)), api_secret_(std::move(api_secret)) {}

bool TrustpilotAuth::refresh() {
  std::lock_guard lock(mutex_);
  token_.clear();
  renew_at_ = TimePoint{};
  return true;
}

std::vector<std::string> TrustpilotAuth::secrets() const {
  std::vector<std::string> out;
  for (const std::string* s : {&api_secret_, &api_key_})
    if (!s->empty()) out.push_back(*s);
  if (!api_key_.empty() || !api_secret_.empty()) out.push_back(base64_padded(api_key_ + ":" + api_secret_));
  std::lock_guard lock(mutex_);
  for (const auto& t : issued_) out.push_back(t);
  return out;
}

boost::asio::awaitable<Result<Headers>> TrustpilotAuth::headers(ApiContext& ctx) {
  std::string token;
  {
    std::lock_guard lock(mutex_);
    if (!token_.empty() && ctx.now < renew_at_) token = token_;
  }
  if (token.empty()) {
    auto fetched = co_await fetch_token(ctx);
    if (!fetched) co_return fetched.error();
    token = std::move(*fetched);
  }
  co_return Headers{{"Authorization", "Bearer " + token}, {"apikey", api_key_}};
}

boost::asio::awaitable<Result<std::string>> TrustpilotAuth::fetch_token(ApiContext& ctx) {
  HttpRequest request;
  request.method = "POST";
  request.url = token_url_;
  request.proxy = ctx.proxy;
  request.follow_redirects = false;
  request.timeout = std::chrono::seconds(30);
  if (!ctx.user_agent.empty()) request.user_agent = ctx.user_agent;
  request.headers = {{"Authorization", "Basic " + base64_padded(api_key_ + ":" + api_secret_)},
                     {"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = "grant_type=client_credentials";

  auto hide = [this](std::string text) {
    const auto all = secrets();
    std::vector<std::string_view> views(all.begin(), all.end());
    return redact(std::move(text), views);
  };
  auto answered = co_await ctx.http.fetch(std::move(request));
  if (!answered) {
    Failure f = answered.error();
    f.detail = hide("Trustpilot token endpoint: " + f.detail);
    co_return f;
  }
  const int status = answered->status;
  if (status < 200 || status >= 300) {
    const std::string reason = hide(reason_from_json_body(status, answered->body));
    const std::string said = reason.empty() ? std::string() : ": " + reason;
    if (status == 400 || status == 401 || status == 403) {
      Failure f(errc::unauthorized, "Trustpilot refused the API key and secret (HTTP " + std::to_string(status) + ")" + said);
      f.http_status = status;
      co_return f;
    }
    Failure f = status_failure(*answered, ctx.now).value_or(Failure(errc::http_status));
    f.http_status = status;
    f.detail = "Trustpilot token endpoint answered HTTP " + std::to_string(status) + said;
    co_return f;
  }
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(answered->body, ec);
  const boost::json::object* o = ec ? nullptr : v.if_object();
  std::string token = text_of(o, "access_token");
  if (token.empty())
    co_return Failure(errc::protocol_error, "Trustpilot token endpoint answered without an access_token");
  // expires_in is seconds as a string ("359999"); number_of reads either form.
  const double expires = std::clamp(number_of(o, "expires_in").value_or(3600.0), 0.0, 30.0 * 86400);
  Duration lifetime = std::chrono::seconds(static_cast<std::int64_t>(expires));
  Duration margin = kMargin;
  if (margin * 2 > lifetime) margin = lifetime / 2;
  {
    std::lock_guard lock(mutex_);
    token_ = token;
    renew_at_ = ctx.now + std::chrono::duration_cast<TimePoint::duration>(lifetime - margin);
    issued_.push_back(token);
    if (issued_.size() > kIssuedKept) issued_.erase(issued_.begin());
  }
  co_return token;
}

void validate_trustpilot_business(const SourceConfig& source, const std::string& prefix, ConfigProblems& problems) {
  const Secret* key = preset_secret(source, "business_api_key");
  const Secret* secret = preset_secret(source, "business_api_secret");
  const bool user = !preset_key(source, "business_user_id").empty();
  if (key == nullptr && secret == nullptr && !user) {
    if (source.auto_reply != AutoReply::off)
      problems.error(prefix + ".auto_reply", source.line,
                     "answers need the business API keys (business_api_key, business_api_secret, business_user_id)");
    return;
  }
  // The three go together: a reply needs the token (key and secret) and its author (the user).
  for (const auto& [name, given] : {std::pair{"business_api_key", key != nullptr},
                                    std::pair{"business_api_secret", secret != nullptr},
                                    std::pair{"business_user_id", user}})
    if (!given)
      problems.error(prefix + "." + name, source.line,
                     "is required with the other business API keys (business_api_key, business_api_secret, "
                     "business_user_id) to answer reviews");
  for (const auto& [name, s] : {std::pair{"business_api_key", key}, std::pair{"business_api_secret", secret}})
    if (s != nullptr && s->literal())
      problems.error(prefix + "." + name, source.line,
                     "must be a secret reference (env:NAME or file:PATH), not the value itself");
  const std::string url = preset_key(source, "api_url");
  if (!url.empty() && !url.starts_with("https://") && !url.starts_with("http://"))
    problems.error(prefix + ".api_url", source.line, "expected an http(s) URL");
}

bool trustpilot_answers(const SourceConfig& config) {
  return preset_secret(config, "business_api_key") != nullptr && preset_secret(config, "business_api_secret") != nullptr &&
         !preset_key(config, "business_user_id").empty();
}

std::shared_ptr<ApiClient> make_trustpilot_client(const SourceConfig& config, BudgetBook& budgets) {
  const std::string base = api_base(config);
  const std::string key = secret_of(config, "business_api_key");
  auto auth = std::make_shared<TrustpilotAuth>(base + std::string(kTrustpilotTokenPath), key, secret_of(config, "business_api_secret"));
  ApiClientOptions options;
  options.site = "Trustpilot";
  options.base_url = base;
  // Trustpilot counts calls per API key; one a second leaves room for other tools with the key.
  options.budget = budgets.budget("trustpilot", key, BudgetLimit{1, std::chrono::seconds(1)});
  options.retry_headers = {"Retry-After"};
  options.default_wait = std::chrono::seconds(30);
  options.max_wait = std::chrono::seconds(60);
  options.max_retries = 2;
  return std::make_shared<ApiClient>(std::move(options), std::move(auth));
}

}  // namespace otklik
