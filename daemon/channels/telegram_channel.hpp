#pragma once
/// The Telegram channel: Bot API sendMessage (https://core.telegram.org/bots/api#sendmessage) with
/// parse_mode HTML, link previews off, long alerts split into several messages. Alerts with a case
/// carry an inline keyboard with the actions of the case's state (callback_data
/// "otk1:<action>:<mention id>", see case_markup.hpp) and its status lines; outbox rows of kind
/// "status" edit the posted alert in place (editMessageText).

#include "daemon/channels/alert_render.hpp"
#include "daemon/channels/channel.hpp"

#include <boost/json/object.hpp>
#include <spdlog/logger.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace otklik::channels {

/// Room kept free in the last part of a split alert for the status lines.
inline constexpr std::size_t kTelegramStatusReserve = 512;

/// The reply_markup of an alert: one row of callback buttons for `content.actions`, or an empty
/// keyboard (which removes the buttons when editing) when there are none.
boost::json::object telegram_keyboard(const AlertContent& content, const CaseWords& words);

/// The alert's messages: the text split to Telegram's limit with the status lines at the end of
/// the last part.
std::vector<std::string> telegram_alert_parts(const AlertContent& content, const Strings& strings);

class TelegramChannel final : public Channel {
 public:
  /// `http` must outlive the channel. `log` may be null (then nothing is logged).
  TelegramChannel(ChannelConfig config, HttpClient& http, RenderOptions options, TimeZone zone,
                  std::shared_ptr<spdlog::logger> log);

  [[nodiscard]] const ChannelConfig& config() const override { return config_; }
  /// Renders, splits and sends. remote_id is the message id, or for an alert sent in several
  /// messages their ids joined by commas (the first first). If a later part fails, a retry of the
  /// same outbox row resumes with that part instead of sending the earlier ones again. The
  /// keyboard goes on the last part. Kind "status": edits the last posted part (the same text
  /// with the new status and keyboard); "message is not modified" counts as done; no posted
  /// message (never delivered here) is done with nothing sent.
  boost::asio::awaitable<Delivery> deliver(DeliveryRequest request) override;

  /// The chat id in use: the configured one, or the supergroup it migrated to.
  [[nodiscard]] const std::string& chat_id() const noexcept { return chat_id_; }

 private:
  struct ApiResult {
    Delivery delivery;
    int code = 0;             ///< the Bot API's error_code (0 when ok)
    std::string description;  ///< its description
  };
  boost::asio::awaitable<Delivery> send_text(std::string html, std::optional<boost::json::object> markup);
  /// One sendMessage; `may_migrate` allows following migrate_to_chat_id (sets `migrated_`).
  boost::asio::awaitable<Delivery> send_once(std::string html, std::optional<boost::json::object> markup,
                                             bool may_migrate);
  boost::asio::awaitable<Delivery> edit_status(DeliveryRequest request);
  /// POSTs `body` to `method` and classifies the answer (429 retry_after, 5xx transient, other
  /// errors permanent); `may_migrate` as for send_once.
  boost::asio::awaitable<ApiResult> call(std::string method, boost::json::object body, bool may_migrate);

  ChannelConfig config_;
  HttpClient& http_;
  RenderOptions options_;
  TimeZone zone_;
  std::shared_ptr<spdlog::logger> log_;
  std::string chat_id_;
  bool migrated_ = false;  ///< the last send_once switched chat_id_
  std::string base_;       ///< {api_url}/bot{token}/ — contains the token: never log it
  /// An alert whose parts were not all sent yet: the parts as first rendered, the ids of those sent.
  struct Progress {
    std::vector<std::string> parts;
    std::vector<std::string> ids;
    std::optional<boost::json::object> markup;
  };
  std::map<std::int64_t, Progress> in_progress_;  ///< by outbox id
};

}  // namespace otklik::channels
