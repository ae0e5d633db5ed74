#pragma once
/// The channels that POST one JSON body per alert: Slack and Mattermost incoming webhooks and the
/// generic webhook; and the console channel.

#include "daemon/channels/alert_render.hpp"
#include "daemon/channels/channel.hpp"

#include <ostream>
#include <string>

namespace otklik::channels {

/// True when a slack channel's alerts carry buttons: actions on and a signing secret to verify
/// the clicks with.
bool slack_buttons(const ChannelConfig& config) noexcept;

/// Slack (https://api.slack.com/messaging/webhooks) or Mattermost incoming webhook: POST JSON to
/// the secret webhook_url; a 2xx ("ok") is delivered; 429 (Retry-After) and 5xx are retried; other
/// statuses (400 invalid_payload, 403 action_prohibited, 404 no_service / channel_not_found,
/// 410 channel_is_archived…) are permanent. The URL is redacted from error texts. Slack alerts
/// carry buttons when slack_buttons(config). Rows of kind "status" are done without a request:
/// a webhook message cannot be edited later (clicks update it through their response_url).
class IncomingWebhookChannel final : public Channel {
 public:
  enum class Flavor { slack, mattermost };
  IncomingWebhookChannel(Flavor flavor, ChannelConfig config, HttpClient& http, RenderOptions options, TimeZone zone);
  [[nodiscard]] const ChannelConfig& config() const override { return config_; }
  boost::asio::awaitable<Delivery> deliver(DeliveryRequest request) override;

 private:
  Flavor flavor_;
  ChannelConfig config_;
  HttpClient& http_;
  RenderOptions options_;
  TimeZone zone_;
};

/// The generic webhook: POST the otklik.alert.v1 JSON (webhook_payload.hpp) to `url` with
/// "Idempotency-Key: otklik-<outbox id>" (the same on every retry) and the configured headers.
class WebhookChannel final : public Channel {
 public:
  WebhookChannel(ChannelConfig config, HttpClient& http, RenderOptions options, TimeZone zone);
  [[nodiscard]] const ChannelConfig& config() const override { return config_; }
  boost::asio::awaitable<Delivery> deliver(DeliveryRequest request) override;

 private:
  ChannelConfig config_;
  HttpClient& http_;
  RenderOptions options_;
  TimeZone zone_;
};

/// Writes the plain-text rendering to a stream (stdout in the daemon): the demo and dry runs.
class ConsoleChannel final : public Channel {
 public:
  ConsoleChannel(ChannelConfig config, std::ostream& out, RenderOptions options, TimeZone zone);
  [[nodiscard]] const ChannelConfig& config() const override { return config_; }
  /// Always delivered, with an empty remote id.
  boost::asio::awaitable<Delivery> deliver(DeliveryRequest request) override;

 private:
  ChannelConfig config_;
  std::ostream& out_;
  RenderOptions options_;
  TimeZone zone_;
};

}  // namespace otklik::channels
