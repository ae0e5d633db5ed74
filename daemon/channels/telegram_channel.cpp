#include "daemon/channels/telegram_channel.hpp"

#include "daemon/channels/http_outcome.hpp"
#include "daemon/channels/telegram_html.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/logger.h>

#include <charconv>

namespace otklik::channels {
namespace json = boost::json;

namespace {

/// A chat id goes out as a number when it is one (the API accepts both; numbers are canonical).
json::value chat_id_value(const std::string& id) {
  if (!id.empty() && id[0] != '@') {
    std::int64_t v = 0;
    const char* end = id.data() + id.size();
    const auto [p, ec] = std::from_chars(id.data(), end, v);
    if (ec == std::errc{} && p == end) return v;
  }
  return json::value(id);
}

std::string id_text(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_string()) return std::string(v.get_string());
  return {};
}

void add_text_fields(json::object& body, std::string html) {
  body["text"] = std::move(html);
  body["parse_mode"] = "HTML";
  body["link_preview_options"] = {{"is_disabled", true}};
  body["disable_web_page_preview"] = true;  // for Bot API servers older than 7.0
}

}  // namespace

json::object telegram_keyboard(const AlertContent& content, const CaseWords& words) {
  json::array row;
  for (CaseAction a : content.actions) {
    row.push_back(json::object{{"text", action_label(a, words)},
                               {"callback_data", encode_callback_data({a, content.mention_id})}});
  }
  json::array rows;
  if (!row.empty()) rows.push_back(std::move(row));
  // The answer to the review, on a row of its own (docs/replies.md).
  const ReplyWords& rw = reply_words_for(words.locale);
  json::array answer;
  switch (content.reply_offer) {
    case ReplyOffer::none: break;
    case ReplyOffer::reply:
      answer.push_back(json::object{{"text", rw.reply},
                                    {"callback_data", encode_reply_callback({ReplyButton::reply, content.mention_id})}});
      break;
    case ReplyOffer::draft:
      answer.push_back(json::object{{"text", rw.draft},
                                    {"callback_data", encode_reply_callback({ReplyButton::reply, content.mention_id})}});
      if (is_web_link(content.link)) answer.push_back(json::object{{"text", rw.open_review}, {"url", content.link}});
      break;
    case ReplyOffer::edit:
      answer.push_back(json::object{{"text", rw.edit},
                                    {"callback_data", encode_reply_callback({ReplyButton::edit, content.mention_id})}});
      break;
  }
  if (!answer.empty()) rows.push_back(std::move(answer));
  return json::object{{"inline_keyboard", std::move(rows)}};
}

std::vector<std::string> telegram_alert_parts(const AlertContent& content, const Strings& strings) {
  AlertContent without = content;
  without.status.clear();
  const std::size_t reserve = content.status.empty() ? 0 : kTelegramStatusReserve;
  std::vector<std::string> parts =
      split_telegram_html(render_telegram_html(without, strings), kTelegramMaxUnits - reserve);
  if (!content.status.empty()) {
    const std::string status = escape_telegram_html(content.status);
    if (parts.empty()) parts.push_back(status);
    else parts.back() += "\n\n" + status;
  }
  return parts;
}

TelegramChannel::TelegramChannel(ChannelConfig config, HttpClient& http, RenderOptions options, TimeZone zone,
                                 std::shared_ptr<spdlog::logger> log)
    : config_(std::move(config)),
      http_(http),
      options_(std::move(options)),
      zone_(std::move(zone)),
      log_(std::move(log)),
      chat_id_(config_.chat_id) {
  std::string base = config_.api_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  base_ = fmt::format("{}/bot{}/", base, config_.token.value());
}

boost::asio::awaitable<Delivery> TelegramChannel::deliver(DeliveryRequest request) {
  if (request.item.kind == "status") co_return co_await edit_status(std::move(request));
  const std::int64_t key = request.item.id;
  Progress& progress = in_progress_[key];
  if (progress.parts.empty()) {
    const Strings& strings = strings_for(options_.locale);
    const AlertContent content = build_alert_content(request, zone_, strings);
    progress.parts = telegram_alert_parts(content, strings);
    if (config_.actions && content.has_case && !content.actions.empty())
      progress.markup = telegram_keyboard(content, case_words_for(options_.locale));
  }
  while (progress.ids.size() < progress.parts.size()) {
    // Named locals, not temporaries, around co_await (GCC 12 mishandles temporaries there).
    std::optional<json::object> markup;
    if (progress.ids.size() + 1 == progress.parts.size()) markup = progress.markup;
    std::string part = progress.parts[progress.ids.size()];
    Delivery d = co_await send_text(std::move(part), std::move(markup));
    if (d.status != Delivery::Status::delivered) {
      if (d.status == Delivery::Status::dead) in_progress_.erase(key);
      co_return d;
    }
    progress.ids.push_back(std::move(d.remote_id));
  }
  std::string ids;
  for (const auto& id : progress.ids) ids += (ids.empty() ? "" : ",") + id;
  in_progress_.erase(key);
  co_return Delivery::ok(std::move(ids));
}

boost::asio::awaitable<Delivery> TelegramChannel::edit_status(DeliveryRequest request) {
  if (!request.posted || request.posted->remote_id.empty() || !request.mention) {
    if (log_) log_->debug("telegram channel {}: no posted alert for mention {}; status not shown", config_.name,
                          request.item.mention_id);
    co_return Delivery::ok("");
  }
  const std::string& ids = request.posted->remote_id;
  const std::string message_id = ids.substr(ids.rfind(',') == std::string::npos ? 0 : ids.rfind(',') + 1);
  const Strings& strings = strings_for(options_.locale);
  AlertContent content = build_alert_content(request, zone_, strings);
  if (!config_.actions) content.actions.clear();
  const std::vector<std::string> parts = telegram_alert_parts(content, strings);
  if (parts.empty()) co_return Delivery::ok(message_id);

  json::object body{{"chat_id", chat_id_value(chat_id_)}, {"message_id", chat_id_value(message_id)}};
  add_text_fields(body, parts.back());
  body["reply_markup"] = telegram_keyboard(content, case_words_for(options_.locale));
  ApiResult r = co_await call("editMessageText", std::move(body), false);
  // Editing to the same text and keyboard is an error for the API, and success for us.
  if (r.code == 400 && r.description.find("message is not modified") != std::string::npos)
    co_return Delivery::ok(message_id);
  if (r.delivery.status == Delivery::Status::delivered) r.delivery.remote_id = message_id;
  co_return r.delivery;
}

boost::asio::awaitable<Delivery> TelegramChannel::send_text(std::string html, std::optional<json::object> markup) {
  Delivery d = co_await send_once(html, markup, true);
  if (migrated_) d = co_await send_once(std::move(html), std::move(markup), false);  // once, to the new chat
  co_return d;
}

boost::asio::awaitable<Delivery> TelegramChannel::send_once(std::string html, std::optional<json::object> markup,
                                                            bool may_migrate) {
  json::object body{{"chat_id", chat_id_value(chat_id_)}};
  add_text_fields(body, std::move(html));
  if (markup) body["reply_markup"] = std::move(*markup);
  migrated_ = false;
  ApiResult r = co_await call("sendMessage", std::move(body), may_migrate);
  co_return std::move(r.delivery);
}

boost::asio::awaitable<TelegramChannel::ApiResult> TelegramChannel::call(std::string method, json::object body,
                                                                         bool may_migrate) {
  const std::vector<std::string_view> secrets{config_.token.value()};
  const std::string what = fmt::format("telegram channel {} ({})", config_.name, method);
  HttpRequest req;
  req.method = "POST";
  req.url = base_ + method;
  req.proxy = config_.proxy;
  req.headers = {{"Content-Type", "application/json"}};
  req.body = json::serialize(body);
  req.follow_redirects = false;

  ApiResult out;
  const Result<HttpResponse> result = co_await http_.fetch(std::move(req));
  const TimePoint now = SystemClock::now();
  if (!result) {
    out.delivery = classify_http(result, what, secrets, now);
    co_return out;
  }
  const HttpResponse& r = *result;

  boost::system::error_code ec;
  const json::value parsed = json::parse(r.body, ec);
  const json::object* obj = ec ? nullptr : parsed.if_object();
  if (!obj) {
    // Not the Bot API's JSON (a proxy's error page…): judge by the status alone. A 2xx that we
    // cannot read may or may not have been sent; retrying is the at-least-once choice.
    if (r.status >= 200 && r.status < 300) out.delivery = Delivery::transient(what + ": unreadable response");
    else out.delivery = classify_http(result, what, secrets, now);
    co_return out;
  }
  const json::value* ok = obj->if_contains("ok");
  if (ok && ok->is_bool() && ok->get_bool()) {
    const json::value* res = obj->if_contains("result");
    const json::value* id = res && res->is_object() ? res->get_object().if_contains("message_id") : nullptr;
    out.delivery = Delivery::ok(id ? id_text(*id) : std::string());
    co_return out;
  }

  const json::value* code_v = obj->if_contains("error_code");
  const int code = code_v && code_v->is_int64() ? static_cast<int>(code_v->get_int64()) : r.status;
  const json::value* desc_v = obj->if_contains("description");
  const std::string desc = desc_v && desc_v->is_string() ? std::string(desc_v->get_string()) : body_excerpt(r.body);
  const json::value* params_v = obj->if_contains("parameters");
  const json::object* params = params_v ? params_v->if_object() : nullptr;
  const std::string why = redact(fmt::format("{}: {} {}", what, code, desc), secrets);
  out.code = code;
  out.description = desc;

  if (params) {
    if (const json::value* to = params->if_contains("migrate_to_chat_id"); to && may_migrate) {
      const std::string new_id = id_text(*to);
      if (!new_id.empty()) {
        if (log_) {
          log_->warn("telegram channel {}: chat {} was upgraded to supergroup {}; sending there (update chat_id in "
                     "the config)", config_.name, chat_id_, new_id);
        }
        chat_id_ = new_id;
        migrated_ = true;
        out.delivery = Delivery::transient(why);
        co_return out;
      }
    }
  }
  if (code == 429 || r.status == 429) {
    std::optional<std::chrono::seconds> after;
    if (params) {
      if (const json::value* ra = params->if_contains("retry_after"); ra && ra->is_int64() && ra->get_int64() >= 0) {
        after = std::chrono::seconds{ra->get_int64()};
      }
    }
    if (!after) {
      if (const auto h = r.header("Retry-After")) after = parse_retry_after(*h, now);
    }
    out.delivery = Delivery::transient(why, after);
    co_return out;
  }
  if (code >= 500 || r.status >= 500 || r.status == 408) out.delivery = Delivery::transient(why);
  else out.delivery = Delivery::permanent(why);
  co_return out;
}

}  // namespace otklik::channels
