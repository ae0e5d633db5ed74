#include "daemon/channels/webhook_channels.hpp"

#include "daemon/channels/http_outcome.hpp"
#include "daemon/channels/mattermost_text.hpp"
#include "daemon/channels/slack_actions.hpp"
#include "daemon/channels/slack_text.hpp"
#include "daemon/channels/webhook_payload.hpp"

#include <fmt/format.h>

namespace otklik::channels {

namespace {

/// The response_url to replace a Slack alert through after its answer was published from this
/// channel: a status row queued for an answer ({"reply": id}) whose record holds the URL. "" else.
std::string reply_response_url(const DeliveryRequest& request, const ChannelConfig& channel) {
  if (channel.type != "slack" || !request.reply || !request.reply->latest) return {};
  const ReplyRecord& r = *request.reply->latest;
  if (r.channel != channel.name || !r.preview_message.starts_with("http")) return {};
  if (request.item.payload.find("\"reply\"") == std::string::npos) return {};
  if (!response_url_allowed(r.preview_message, channel.webhook_url.value())) return {};
  return r.preview_message;
}

}  // namespace

bool slack_buttons(const ChannelConfig& config) noexcept {
  return config.type == "slack" && config.actions && !config.signing_secret.empty();
}

IncomingWebhookChannel::IncomingWebhookChannel(Flavor flavor, ChannelConfig config, HttpClient& http,
                                               RenderOptions options, TimeZone zone)
    : flavor_(flavor), config_(std::move(config)), http_(http), options_(std::move(options)), zone_(std::move(zone)) {}

boost::asio::awaitable<Delivery> IncomingWebhookChannel::deliver(DeliveryRequest request) {
  // An incoming-webhook message cannot be edited later: a status change is shown only through
  // the response_url of a click on the message itself (slack_actions.hpp) — for an answer
  // published from this chat, the Reply click's, kept with the answer.
  if (request.item.kind == "status") {
    const std::string url = reply_response_url(request, config_);
    if (url.empty()) co_return Delivery::ok("");
    const Strings& strings = strings_for(options_.locale);
    HttpRequest req;
    req.method = "POST";
    req.url = url;
    req.configured_url = config_.webhook_url.value();
    req.proxy = config_.proxy;
    req.headers = {{"Content-Type", "application/json"}};
    req.body = build_slack_replacement(build_alert_content(request, zone_, strings), strings, slack_buttons(config_));
    req.follow_redirects = false;
    const auto result = co_await http_.fetch(std::move(req));
    // The response_url expires after 30 minutes (or five uses): a refusal then is not worth a
    // retry; the answer is published anyway and the alert shows it on its next update.
    Delivery d = classify_http(result, fmt::format("slack channel {} (response_url)", config_.name), {url},
                               SystemClock::now());
    if (d.status == Delivery::Status::dead) co_return Delivery::ok("");
    co_return d;
  }
  const Strings& strings = strings_for(options_.locale);
  const AlertContent content = build_alert_content(request, zone_, strings);
  HttpRequest req;
  req.method = "POST";
  req.url = config_.webhook_url.value();
  req.proxy = config_.proxy;
  req.headers = {{"Content-Type", "application/json"}};
  req.body = flavor_ == Flavor::slack ? build_slack_payload(content, strings, slack_buttons(config_))
                                      : build_mattermost_payload(content, strings);
  req.follow_redirects = false;
  const auto result = co_await http_.fetch(std::move(req));
  const std::string what =
      fmt::format("{} channel {}", flavor_ == Flavor::slack ? "slack" : "mattermost", config_.name);
  co_return classify_http(result, what, {config_.webhook_url.value()}, SystemClock::now());
}

WebhookChannel::WebhookChannel(ChannelConfig config, HttpClient& http, RenderOptions options, TimeZone zone)
    : config_(std::move(config)), http_(http), options_(std::move(options)), zone_(std::move(zone)) {}

boost::asio::awaitable<Delivery> WebhookChannel::deliver(DeliveryRequest request) {
  if (request.item.kind == "status") co_return Delivery::ok("");  // a new POST would read as a new alert
  const Strings& strings = strings_for(options_.locale);
  const AlertContent content = build_alert_content(request, zone_, strings);
  HttpRequest req;
  req.method = "POST";
  req.url = config_.url;
  req.proxy = config_.proxy;
  req.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", idempotency_key(request.item.id)}};
  std::vector<std::string_view> secrets;
  for (const auto& [name, value] : config_.headers) {
    req.headers.emplace_back(name, value.value());
    secrets.push_back(value.value());
  }
  req.body = build_webhook_payload(request, content, strings);
  req.follow_redirects = false;
  const auto result = co_await http_.fetch(std::move(req));
  co_return classify_http(result, fmt::format("webhook channel {}", config_.name), secrets, SystemClock::now());
}

ConsoleChannel::ConsoleChannel(ChannelConfig config, std::ostream& out, RenderOptions options, TimeZone zone)
    : config_(std::move(config)), out_(out), options_(std::move(options)), zone_(std::move(zone)) {}

boost::asio::awaitable<Delivery> ConsoleChannel::deliver(DeliveryRequest request) {
  if (request.item.kind == "status") co_return Delivery::ok("");
  const Strings& strings = strings_for(options_.locale);
  const std::string text = render_plain_text(build_alert_content(request, zone_, strings), strings);
  out_ << "──── " << config_.name << " #" << request.item.id << " ────\n" << text << "\n\n";
  out_.flush();
  co_return Delivery::ok("");
}

}  // namespace otklik::channels
