#pragma once
/// The Telegram channel: Bot API sendMessage (https://core.telegram.org/bots/api#sendmessage) with
/// parse_mode HTML, link previews off, long alerts split into several messages.

#include "daemon/channels/alert_render.hpp"
#include "daemon/channels/channel.hpp"

#include <spdlog/logger.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace otklik::channels {

class TelegramChannel final : public Channel {
 public:
  /// `http` must outlive the channel. `log` may be null (then nothing is logged).
  TelegramChannel(ChannelConfig config, HttpClient& http, RenderOptions options, TimeZone zone,
                  std::shared_ptr<spdlog::logger> log);

  [[nodiscard]] const ChannelConfig& config() const override { return config_; }
  /// Renders, splits and sends. remote_id is the message id, or for an alert sent in several
  /// messages their ids joined by commas (the first first). If a later part fails, a retry of the
  /// same outbox row resumes with that part instead of sending the earlier ones again.
  boost::asio::awaitable<Delivery> deliver(DeliveryRequest request) override;

  /// The chat id in use: the configured one, or the supergroup it migrated to.
  [[nodiscard]] const std::string& chat_id() const noexcept { return chat_id_; }

 private:
  boost::asio::awaitable<Delivery> send_text(std::string html);
  /// One sendMessage; `may_migrate` allows following migrate_to_chat_id (sets `migrated_`).
  boost::asio::awaitable<Delivery> send_once(std::string html, bool may_migrate);

  ChannelConfig config_;
  HttpClient& http_;
  RenderOptions options_;
  TimeZone zone_;
  std::shared_ptr<spdlog::logger> log_;
  std::string chat_id_;
  bool migrated_ = false;  ///< the last send_once switched chat_id_
  std::string endpoint_;  ///< {api_url}/bot{token}/sendMessage — contains the token: never log it
  /// An alert whose parts were not all sent yet: the parts as first rendered, the ids of those sent.
  struct Progress {
    std::vector<std::string> parts;
    std::vector<std::string> ids;
  };
  std::map<std::int64_t, Progress> in_progress_;  ///< by outbox id
};

}  // namespace otklik::channels
