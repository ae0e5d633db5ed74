#include "daemon/channels/email_channel.hpp"

#include "daemon/channels/telegram_html.hpp"
#include "daemon/channels/text_util.hpp"
#include "daemon/mail/mime.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace otklik::channels {

namespace {

/// The words only email uses, per language.
struct EmailWords {
  std::string_view overdue_step;    ///< subject: "Просрочено (шаг {})"
  std::string_view not_taken;       ///< escalation, deadline "take"
  std::string_view not_answered;    ///< escalation, deadline "resolve"
  std::string_view overdue_by;      ///< "просрочено на {}"
  std::string_view step;            ///< "шаг эскалации {}"
  std::string_view attention;       ///< "Внимание: "
  std::string_view follow_up;       ///< subject of a follow-up
  std::string_view follow_up_text;  ///< its first paragraph
  std::string_view hours, minutes;
};

constexpr EmailWords kRu{"Просрочено (шаг {})",
                         "Отзыв не взят в работу вовремя",
                         "На отзыв не ответили вовремя",
                         "просрочено на {}",
                         "шаг эскалации {}",
                         "Внимание: ",
                         "Напоминание: спросите клиента",
                         "Ответ был дан: спросите клиента, всё ли теперь в порядке.",
                         "ч",
                         "мин"};
constexpr EmailWords kEn{"Overdue (step {})",
                         "The review was not taken in time",
                         "The review was not answered in time",
                         "overdue by {}",
                         "escalation step {}",
                         "Attention: ",
                         "Follow-up: ask the customer",
                         "The review was answered: ask the customer whether everything is fine now.",
                         "h",
                         "min"};

const EmailWords& email_words(const Strings& strings) { return strings.locale.starts_with("en") ? kEn : kRu; }

std::string format_overdue(std::int64_t seconds, const EmailWords& w) {
  const std::int64_t minutes = std::max<std::int64_t>(seconds, 0) / 60;
  if (minutes < 60) return fmt::format("{} {}", minutes, w.minutes);
  return fmt::format("{} {} {} {}", minutes / 60, w.hours, minutes % 60, w.minutes);
}

/// "<brand> — <source>" with the empty ones left out.
std::string about(const AlertContent& c) {
  std::string out = c.brand;
  if (!c.source.empty()) out += (out.empty() ? "" : " \u2014 ") + c.source;
  return out;
}

std::string subject_with(std::string_view heading, const std::string& rest) {
  std::string out = "[Otklik] ";
  out += heading;
  if (!rest.empty()) out += ": " + rest;
  return out;
}

/// A plain paragraph in front of the alert (escalation, follow-up), as text and as HTML.
struct Lead {
  std::string text;
};

std::string html_document(const std::string& title, const std::string& lead_html, const RenderedAlert& alert) {
  std::string body;
  for (const std::string* part : {&alert.head, &alert.body, &alert.points, &alert.foot, &alert.status}) {
    if (part->empty()) continue;
    std::string html;
    for (char c : *part) {
      if (c == '\n') {
        html += "<br>\n";
      } else {
        html.push_back(c);
      }
    }
    body += "<p style=\"margin:0 0 12px 0\">" + html + "</p>\n";
  }
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape_telegram_html(title) +
         "</title></head>\n<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.4;"
         "color:#222\">\n" +
         lead_html + body + "</body></html>\n";
}

Lead escalation_lead(const DeliveryRequest& request, const EmailWords& w, int& step) {
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(request.item.payload, ec);
  const auto* obj = ec ? nullptr : parsed.if_object();
  std::string deadline = "take";
  std::int64_t overdue = 0;
  std::vector<std::string> mentions;
  if (obj) {
    if (const auto* v = obj->if_contains("deadline"); v && v->is_string()) deadline = std::string(v->get_string());
    if (const auto* v = obj->if_contains("step"); v && v->is_int64()) step = static_cast<int>(v->get_int64());
    if (const auto* v = obj->if_contains("overdue_by_s"); v && v->is_int64()) overdue = v->get_int64();
    if (const auto* v = obj->if_contains("mention"); v && v->is_array()) {
      for (const auto& m : v->get_array()) {
        if (m.is_string()) mentions.push_back(chat_safe_text(m.get_string()));
      }
    }
  }
  Lead lead;
  lead.text = std::string(deadline == "resolve" ? w.not_answered : w.not_taken);
  std::vector<std::string> facts;
  if (overdue > 0) facts.push_back(fmt::format(fmt::runtime(w.overdue_by), format_overdue(overdue, w)));
  if (step > 0) facts.push_back(fmt::format(fmt::runtime(w.step), step));
  if (!facts.empty()) lead.text += " (" + fmt::format("{}", fmt::join(facts, ", ")) + ")";
  lead.text += ".";
  if (!mentions.empty()) lead.text += "\n" + std::string(w.attention) + fmt::format("{}", fmt::join(mentions, ", "));
  return lead;
}

std::string lead_html(const Lead& lead) {
  if (lead.text.empty()) return {};
  std::string html;
  for (char c : escape_telegram_html(lead.text)) {
    if (c == '\n') {
      html += "<br>\n";
    } else {
      html.push_back(c);
    }
  }
  return "<p style=\"margin:0 0 12px 0;font-weight:bold;color:#b00020\">" + html + "</p>\n";
}

}  // namespace

std::optional<EmailContent> render_email(const DeliveryRequest& request, const TimeZone& zone,
                                         const Strings& strings) {
  const std::string& kind = request.item.kind;
  if (kind != "alert" && kind != "notice" && kind != "escalation" && kind != "follow_up") return std::nullopt;
  const EmailWords& w = email_words(strings);
  const AlertContent content = build_alert_content(request, zone, strings);

  EmailContent email;
  Lead lead;
  if (content.kind == ContentKind::notice) {
    email.subject = subject_with(strings.notice, content.notice_title);
  } else if (kind == "escalation") {
    int step = 0;
    lead = escalation_lead(request, w, step);
    email.subject = subject_with(fmt::format(fmt::runtime(w.overdue_step), step), about(content));
  } else if (kind == "follow_up") {
    lead.text = std::string(w.follow_up_text);
    email.subject = subject_with(w.follow_up, about(content));
  } else {
    email.subject = subject_with(strings.negative_review, about(content));
  }
  email.text = render_plain_text(content, strings);
  if (!lead.text.empty()) email.text = lead.text + "\n\n" + email.text;
  email.text += "\n";
  email.html = html_document(email.subject, lead_html(lead), render_alert(content, strings, telegram_markup()));
  return email;
}

std::string email_message_id(std::string_view channel, std::int64_t outbox_id, std::string_view from_email) {
  return mail::make_message_id(fmt::format("outbox/{}/{}", channel, outbox_id), mail::email_domain(from_email));
}

EmailChannel::EmailChannel(ChannelConfig config, SmtpConfig smtp, RenderOptions options, TimeZone zone,
                           mail::SmtpTls tls)
    : config_(std::move(config)),
      smtp_(std::move(smtp)),
      options_(std::move(options)),
      zone_(std::move(zone)),
      tls_(std::move(tls)) {}

boost::asio::awaitable<Delivery> EmailChannel::deliver(DeliveryRequest request) {
  const std::string what = fmt::format("email channel {}", config_.name);
  const auto content = render_email(request, zone_, strings_for(options_.locale));
  if (!content) {
    if (request.item.kind == "status") co_return Delivery::ok("");  // a sent email cannot be edited
    co_return Delivery::permanent(fmt::format("{}: kind '{}' is not sent by email", what, request.item.kind));
  }
  auto from = mail::parse_mail_address(smtp_.from);
  if (!from) co_return Delivery::permanent(fmt::format("{}: [smtp] from: {}", what, from.error().detail));
  auto to = mail::parse_mail_addresses(config_.to);
  if (!to) co_return Delivery::permanent(fmt::format("{}: to: {}", what, to.error().detail));
  if (to->empty()) co_return Delivery::permanent(what + ": no recipients (to)");

  mail::MailMessage message;
  message.from = std::move(*from);
  message.to = std::move(*to);
  message.subject = content->subject;
  message.text = content->text;
  message.html = content->html;
  message.message_id = email_message_id(config_.name, request.item.id, message.from.email);
  // The row's creation time: the same Date on every attempt, like the Message-ID.
  message.date = request.item.created == TimePoint{} ? SystemClock::now() : request.item.created;

  auto executor = co_await boost::asio::this_coro::executor;
  auto sent = co_await mail::send_message(executor, smtp_, message, tls_);
  if (sent) co_return Delivery::ok(message.message_id);
  const std::string why = fmt::format("{}: {}", what, sent.error().message());
  if (sent.error().transient()) co_return Delivery::transient(why);
  co_return Delivery::permanent(why);
}

}  // namespace otklik::channels
