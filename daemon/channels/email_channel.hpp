#pragma once
/// Email as an alert channel (type = "email"): each outbox row becomes one message with a plain
/// text and an HTML part, sent through [smtp] to the channel's `to` list. A resend of the same row
/// carries the same Message-ID, so a duplicate from the send→mark window can be recognised.

#include "daemon/channels/alert_render.hpp"
#include "daemon/channels/channel.hpp"
#include "daemon/mail/smtp_client.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik::channels {

/// One outbox row as an email. Text is UTF-8; the subject may hold review-derived text (brand,
/// source, notice title) and is encoded when the message is rendered (mail/mime.hpp).
struct EmailContent {
  std::string subject;
  std::string text;
  std::string html;  ///< a complete HTML document; every outside text in it is escaped
};

/// Renders kinds "alert" ("[Otklik] Негативный отзыв: <brand> — <source>"), "notice",
/// "escalation" (payload {"deadline","step","mention","overdue_by_s"}) and "follow_up" in the
/// language of `strings`. Returns nullopt for kinds an email does not carry: "status" (a sent
/// message cannot be edited) and anything unknown.
std::optional<EmailContent> render_email(const DeliveryRequest& request, const TimeZone& zone,
                                         const Strings& strings);

/// The Message-ID of outbox row `outbox_id` of channel `channel`, from `from_email`'s domain.
std::string email_message_id(std::string_view channel, std::int64_t outbox_id, std::string_view from_email);

/// Sends through SMTP. SMTP 4xx replies, timeouts, connection and TLS failures are retried
/// (Delivery::transient); 5xx replies and unusable addresses are permanent. The remote id of a
/// delivered row is its Message-ID. Rows of kind "status" are done without sending anything.
class EmailChannel final : public Channel {
 public:
  EmailChannel(ChannelConfig config, SmtpConfig smtp, RenderOptions options, TimeZone zone, mail::SmtpTls tls = {});
  [[nodiscard]] const ChannelConfig& config() const override { return config_; }
  boost::asio::awaitable<Delivery> deliver(DeliveryRequest request) override;

 private:
  ChannelConfig config_;
  SmtpConfig smtp_;
  RenderOptions options_;
  TimeZone zone_;
  mail::SmtpTls tls_;
};

}  // namespace otklik::channels
