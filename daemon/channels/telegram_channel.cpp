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

}  // namespace

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
  endpoint_ = fmt::format("{}/bot{}/sendMessage", base, config_.token.value());
}

boost::asio::awaitable<Delivery> TelegramChannel::deliver(DeliveryRequest request) {
  const std::int64_t key = request.item.id;
  Progress& progress = in_progress_[key];
  if (progress.parts.empty()) {
    const Strings& strings = strings_for(options_.locale);
    const AlertContent content = build_alert_content(request, zone_, strings);
    progress.parts = split_telegram_html(render_telegram_html(content, strings));
  }
  while (progress.ids.size() < progress.parts.size()) {
    Delivery d = co_await send_text(progress.parts[progress.ids.size()]);
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

boost::asio::awaitable<Delivery> TelegramChannel::send_text(std::string html) {
  Delivery d = co_await send_once(html, true);
  if (migrated_) d = co_await send_once(std::move(html), false);  // once, to the new chat
  co_return d;
}

boost::asio::awaitable<Delivery> TelegramChannel::send_once(std::string html, bool may_migrate) {
  const std::vector<std::string_view> secrets{config_.token.value()};
  const std::string what = fmt::format("telegram channel {}", config_.name);
  json::object body{
      {"chat_id", chat_id_value(chat_id_)},
      {"text", std::move(html)},
      {"parse_mode", "HTML"},
      {"link_preview_options", {{"is_disabled", true}}},
      {"disable_web_page_preview", true},  // for Bot API servers older than 7.0
  };
  HttpRequest req;
  req.method = "POST";
  req.url = endpoint_;
  req.headers = {{"Content-Type", "application/json"}};
  req.body = json::serialize(body);
  req.follow_redirects = false;
  migrated_ = false;

  const Result<HttpResponse> result = co_await http_.fetch(std::move(req));
  const TimePoint now = SystemClock::now();
  if (!result) co_return classify_http(result, what, secrets, now);
  const HttpResponse& r = *result;

  boost::system::error_code ec;
  const json::value parsed = json::parse(r.body, ec);
  const json::object* obj = ec ? nullptr : parsed.if_object();
  if (!obj) {
    // Not the Bot API's JSON (a proxy's error page…): judge by the status alone. A 2xx that we
    // cannot read may or may not have been sent; retrying is the at-least-once choice.
    if (r.status >= 200 && r.status < 300) co_return Delivery::transient(what + ": unreadable response");
    co_return classify_http(result, what, secrets, now);
  }
  const json::value* ok = obj->if_contains("ok");
  if (ok && ok->is_bool() && ok->get_bool()) {
    const json::value* res = obj->if_contains("result");
    const json::value* id = res && res->is_object() ? res->get_object().if_contains("message_id") : nullptr;
    co_return Delivery::ok(id ? id_text(*id) : std::string());
  }

  const json::value* code_v = obj->if_contains("error_code");
  const int code = code_v && code_v->is_int64() ? static_cast<int>(code_v->get_int64()) : r.status;
  const json::value* desc_v = obj->if_contains("description");
  const std::string desc = desc_v && desc_v->is_string() ? std::string(desc_v->get_string()) : body_excerpt(r.body);
  const json::value* params_v = obj->if_contains("parameters");
  const json::object* params = params_v ? params_v->if_object() : nullptr;
  const std::string why = redact(fmt::format("{}: {} {}", what, code, desc), secrets);

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
        co_return Delivery::transient(why);
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
    co_return Delivery::transient(why, after);
  }
  if (code >= 500 || r.status >= 500 || r.status == 408) co_return Delivery::transient(why);
  co_return Delivery::permanent(why);
}

}  // namespace otklik::channels
