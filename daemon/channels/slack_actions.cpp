#include "daemon/channels/slack_actions.hpp"

#include "daemon/channels/slack_text.hpp"
#include "daemon/net/url_target.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <charconv>

namespace otklik::channels {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode_component(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string string_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::object* object_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

/// POSTs `body` to a response_url; logs the outcome (Slack answers 200 "ok" or {"ok":true}).
/// `channel` is the clicked channel's config: its proxy, and its webhook URL (on the same host as
/// response_url) as the configured URL for the address filter.
boost::asio::awaitable<void> post_response(HttpClient* http, std::string url, std::string body, ChannelConfig channel,
                                           std::shared_ptr<spdlog::logger> log) {
  HttpRequest req;
  req.method = "POST";
  req.url = std::move(url);
  req.proxy = channel.proxy;
  req.configured_url = channel.webhook_url.value();
  req.headers = {{"Content-Type", "application/json"}};
  req.body = std::move(body);
  req.follow_redirects = false;
  const auto r = co_await http->fetch(std::move(req));
  if (!log) co_return;
  // The response_url itself is a short-lived credential: never logged.
  if (!r) log->warn("slack: updating the clicked message failed: {}", r.error().code.message());
  else if (r->status < 200 || r->status >= 300) log->warn("slack: updating the clicked message: HTTP {}", r->status);
}

}  // namespace

std::string slack_signature(std::string_view secret, std::string_view timestamp, std::string_view body) {
  std::string base = fmt::format("v0:{}:", timestamp);
  base.append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(base.data()),
       base.size(), mac, &len);
  std::string out = "v0=";
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", mac[i]);
  return out;
}

SignatureCheck verify_slack_signature(std::string_view secret, std::optional<std::string_view> timestamp,
                                      std::optional<std::string_view> signature, std::string_view body,
                                      TimePoint now) {
  if (!timestamp || !signature || timestamp->empty() || signature->empty() || secret.empty())
    return SignatureCheck::missing;
  std::int64_t ts = 0;
  const auto [p, ec] = std::from_chars(timestamp->data(), timestamp->data() + timestamp->size(), ts);
  if (ec != std::errc{} || p != timestamp->data() + timestamp->size() || ts < 0) return SignatureCheck::bad_timestamp;
  const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (now_s - ts > kSlackSignatureWindow.count() || ts - now_s > kSlackSignatureWindow.count())
    return SignatureCheck::stale;
  const std::string expected = slack_signature(secret, *timestamp, body);
  if (expected.size() != signature->size()) return SignatureCheck::mismatch;
  if (CRYPTO_memcmp(expected.data(), signature->data(), expected.size()) != 0) return SignatureCheck::mismatch;
  return SignatureCheck::ok;
}

std::vector<std::pair<std::string, std::string>> decode_form(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!body.empty()) {
    const std::size_t amp = std::min(body.find('&'), body.size());
    const std::string_view pair = body.substr(0, amp);
    body.remove_prefix(std::min(amp + 1, body.size()));
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) out.emplace_back(decode_component(pair), std::string());
    else out.emplace_back(decode_component(pair.substr(0, eq)), decode_component(pair.substr(eq + 1)));
  }
  return out;
}

Result<SlackInteraction> parse_slack_interaction(std::string_view form_body) {
  std::string payload;
  bool found = false;
  for (auto& [k, v] : decode_form(form_body)) {
    if (k == "payload") {
      payload = std::move(v);
      found = true;
      break;
    }
  }
  if (!found) return Failure(errc::parse_failed, "slack interaction: no payload field");
  boost::system::error_code ec;
  const json::value parsed = json::parse(payload, ec);
  const json::object* o = ec ? nullptr : parsed.if_object();
  if (!o) return Failure(errc::parse_failed, "slack interaction: the payload is not a JSON object");
  SlackInteraction out;
  out.type = string_at(*o, "type");
  if (const auto* user = object_at(*o, "user")) {
    out.user_id = string_at(*user, "id");
    out.user_name = string_at(*user, "username");
    if (out.user_name.empty()) out.user_name = string_at(*user, "name");
    if (out.team_id.empty()) out.team_id = string_at(*user, "team_id");
  }
  if (const auto* team = object_at(*o, "team")) out.team_id = string_at(*team, "id");
  if (const auto* channel = object_at(*o, "channel")) out.channel_id = string_at(*channel, "id");
  if (out.channel_id.empty()) {
    if (const auto* container = object_at(*o, "container")) out.channel_id = string_at(*container, "channel_id");
  }
  out.response_url = string_at(*o, "response_url");
  if (const auto* actions = o->if_contains("actions"); actions && actions->is_array() && !actions->get_array().empty()) {
    if (const auto* first = actions->get_array()[0].if_object()) {
      out.action_id = string_at(*first, "action_id");
      out.value = string_at(*first, "value");
      out.block_id = string_at(*first, "block_id");
    }
  }
  return out;
}

bool response_url_allowed(std::string_view response_url, std::string_view webhook_url) {
  const auto a = parse_http_url(response_url);
  const auto b = parse_http_url(webhook_url);
  if (!a || !b) return false;
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  };
  return a->tls == b->tls && lower(a->host) == lower(b->host) && a->port == b->port;
}

SlackActions::SlackActions(std::vector<SlackActionChannel> channels, ActionHandler& handler, HttpClient& http,
                           AlertLookup lookup, Spawn spawn, std::shared_ptr<spdlog::logger> log)
    : channels_(std::move(channels)),
      handler_(handler),
      http_(http),
      lookup_(std::move(lookup)),
      spawn_(std::move(spawn)),
      log_(std::move(log)) {}

asio::awaitable<SlackHttpReply> SlackActions::handle(Headers headers, std::string body, TimePoint now) {
  const auto timestamp = find_header(headers, "X-Slack-Request-Timestamp");
  const auto signature = find_header(headers, "X-Slack-Signature");
  const SlackActionChannel* from = nullptr;
  SignatureCheck worst = SignatureCheck::missing;
  for (const auto& ch : channels_) {
    const SignatureCheck c = verify_slack_signature(ch.config.signing_secret.value(), timestamp, signature, body, now);
    if (c == SignatureCheck::ok) {
      from = &ch;
      break;
    }
    worst = c;
  }
  if (!from) {
    static constexpr std::string_view kWhy[] = {"ok", "missing signature headers", "bad timestamp",
                                                "timestamp outside the 5-minute window", "signature mismatch"};
    if (log_) log_->warn("slack actions: request refused: {}", kWhy[static_cast<int>(worst)]);
    co_return SlackHttpReply{401, "invalid signature"};
  }
  auto parsed = parse_slack_interaction(body);
  if (!parsed) {
    if (log_) log_->warn("slack actions: {}", parsed.error().message());
    co_return SlackHttpReply{400, "bad payload"};
  }
  const SlackInteraction& in = *parsed;
  if (in.type != "block_actions") co_return SlackHttpReply{200, ""};  // other interactions are not ours
  const auto data = decode_slack_action(in.action_id, in.value);
  if (!data) {
    if (log_) log_->warn("slack actions: channel {}: a click on a button that is not ours ignored", from->config.name);
    co_return SlackHttpReply{200, ""};
  }
  ActionRequest req;
  req.channel = from->config.name;
  req.actor = Actor{"slack", in.user_id, in.user_name.empty() ? in.user_id : "@" + in.user_name};
  req.username = in.user_name.empty() ? "" : "@" + in.user_name;
  req.data = *data;
  const ActionResponse resp = co_await handler_.act(req);

  if (in.response_url.empty()) co_return SlackHttpReply{200, ""};
  if (!response_url_allowed(in.response_url, from->config.webhook_url.value())) {
    if (log_) log_->warn("slack actions: channel {}: response_url is not on the webhook's host; not used",
                         from->config.name);
    co_return SlackHttpReply{200, ""};
  }
  // A change (or a repeat) replaces the message with its current state; anything else is told to
  // the user alone.
  std::string reply;
  if (resp.kind == ActionResultKind::changed || resp.kind == ActionResultKind::unchanged) {
    if (auto request = co_await lookup_(data->mention_id, from->config.name); request && request->mention) {
      const Strings& strings = strings_for(from->render.locale);
      reply = build_slack_replacement(build_alert_content(*request, from->zone, strings), strings, true);
    }
  }
  if (reply.empty()) {
    reply = json::serialize(json::object{{"response_type", "ephemeral"}, {"replace_original", false},
                                         {"text", escape_slack(resp.text)}});
  }
  spawn_("slack response", post_response(&http_, in.response_url, std::move(reply), from->config, log_));
  co_return SlackHttpReply{200, ""};
}

}  // namespace otklik::channels
