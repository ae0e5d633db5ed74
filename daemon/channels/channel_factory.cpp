#include "daemon/channels/channel_factory.hpp"

#include "daemon/channels/email_channel.hpp"
#include "daemon/channels/telegram_channel.hpp"
#include "daemon/channels/webhook_channels.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace otklik {

std::unique_ptr<Channel> make_channel(const ChannelConfig& config, HttpClient& http, RenderOptions options,
                                      std::ostream& console_out, std::shared_ptr<spdlog::logger> log,
                                      const SmtpConfig* smtp) {
  using namespace channels;
  if (config.locale) options.locale = *config.locale;
  TimeZone zone;
  if (auto loaded = TimeZone::load(options.timezone)) {
    zone = std::move(*loaded);
  } else if (log) {
    log->warn("channel {}: {}; dates are shown in UTC", config.name, loaded.error().message());
  }
  if (config.type == "telegram") return std::make_unique<TelegramChannel>(config, http, options, zone, std::move(log));
  if (config.type == "slack") {
    return std::make_unique<IncomingWebhookChannel>(IncomingWebhookChannel::Flavor::slack, config, http, options, zone);
  }
  if (config.type == "mattermost") {
    return std::make_unique<IncomingWebhookChannel>(IncomingWebhookChannel::Flavor::mattermost, config, http, options,
                                                    zone);
  }
  if (config.type == "webhook") return std::make_unique<WebhookChannel>(config, http, options, zone);
  if (config.type == "console") return std::make_unique<ConsoleChannel>(config, console_out, options, zone);
  if (config.type == "email") {
    if (smtp == nullptr) throw std::invalid_argument("channel " + config.name + ": type email needs the [smtp] section");
    return std::make_unique<EmailChannel>(config, *smtp, options, zone, mail::SmtpTls{smtp->ca_file, true, {}});
  }
  throw std::invalid_argument("unknown channel type: " + config.type);
}

std::unique_ptr<Channel> make_channel(const ChannelConfig& config, HttpClient& http, RenderOptions options,
                                      std::ostream& console_out) {
  return make_channel(config, http, std::move(options), console_out, spdlog::default_logger());
}

std::unique_ptr<Channel> make_channel(const ChannelConfig& config, HttpClient& http, RenderOptions options,
                                      std::ostream& console_out, const SmtpConfig& smtp) {
  return make_channel(config, http, std::move(options), console_out, spdlog::default_logger(), &smtp);
}

}  // namespace otklik
