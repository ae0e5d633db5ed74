#include "daemon/channels/telegram_updates.hpp"

#include "daemon/channels/http_outcome.hpp"
#include "daemon/net/backoff.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <random>

namespace otklik::channels {
namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

constexpr Duration kReadMargin = 15s;       // the HTTP deadline beyond the long-poll timeout
constexpr Duration kConflictPause = 60s;    // 409: a webhook is set or another poller runs
constexpr Duration kBackoffBase = 1s;
constexpr Duration kBackoffCap = 5min;

std::string id_text(const json::value* v) {
  if (!v) return {};
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  if (v->is_string()) return std::string(v->get_string());
  return {};
}

std::string string_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::object* object_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

asio::awaitable<bool> cancelled() {
  co_return (co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none;
}

/// Waits `d`; false when cancelled.
asio::awaitable<bool> pause(Duration d) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(d);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return !co_await cancelled();
}

}  // namespace

Result<TelegramUpdatesAnswer> parse_get_updates(std::string_view body) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(body, ec);
  const json::object* o = ec ? nullptr : parsed.if_object();
  if (!o) return Failure(errc::parse_failed, "getUpdates: the answer is not a JSON object");
  TelegramUpdatesAnswer out;
  const json::value* ok = o->if_contains("ok");
  out.ok = ok && ok->is_bool() && ok->get_bool();
  if (!out.ok) {
    if (const json::value* c = o->if_contains("error_code"); c && c->is_int64()) out.error_code = static_cast<int>(c->get_int64());
    out.description = string_at(*o, "description");
    if (const auto* params = object_at(*o, "parameters")) {
      if (const json::value* ra = params->if_contains("retry_after"); ra && ra->is_int64()) out.retry_after = ra->get_int64();
    }
    return out;
  }
  const json::value* result = o->if_contains("result");
  if (!result || !result->is_array()) return Failure(errc::parse_failed, "getUpdates: no result array");
  for (const auto& item : result->get_array()) {
    const json::object* u = item.if_object();
    if (!u) continue;
    const json::value* id = u->if_contains("update_id");
    if (!id || !id->is_int64()) continue;
    TelegramUpdate update;
    update.update_id = id->get_int64();
    if (const auto* q = object_at(*u, "callback_query")) {
      TelegramCallback cb;
      cb.id = string_at(*q, "id");
      if (const auto* from = object_at(*q, "from")) {
        cb.from_id = id_text(from->if_contains("id"));
        cb.from_username = string_at(*from, "username");
        cb.from_name = string_at(*from, "first_name");
        if (const std::string last = string_at(*from, "last_name"); !last.empty())
          cb.from_name += (cb.from_name.empty() ? "" : " ") + last;
      }
      if (const auto* message = object_at(*q, "message")) {
        cb.message_id = id_text(message->if_contains("message_id"));
        if (const auto* chat = object_at(*message, "chat")) {
          cb.chat_id = id_text(chat->if_contains("id"));
          cb.chat_username = string_at(*chat, "username");
        }
      }
      cb.data = string_at(*q, "data");
      if (!cb.id.empty()) update.callback = std::move(cb);
    }
    out.updates.push_back(std::move(update));
  }
  return out;
}

bool callback_in_chat(const TelegramCallback& cb, std::string_view configured_chat) noexcept {
  if (configured_chat.empty()) return false;
  if (configured_chat.front() == '@') {
    return !cb.chat_username.empty() && iequals(configured_chat.substr(1), cb.chat_username);
  }
  return !cb.chat_id.empty() && cb.chat_id == configured_chat;
}

std::string telegram_bot_id(std::string_view token) {
  const auto colon = token.find(':');
  if (colon == std::string_view::npos) return {};
  const std::string_view id = token.substr(0, colon);
  if (id.empty() || !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) return {};
  return std::string(id);
}

std::string telegram_cursor_name(const TelegramBot& bot) {
  return "telegram:bot" + telegram_bot_id(bot.token.value());
}

namespace {

struct Poller {
  TelegramBot bot;
  HttpClient* http;
  StoreAccess<CursorStore> cursors;
  ActionHandler* handler;
  std::shared_ptr<spdlog::logger> log;
  std::function<void()> answered;
  std::string base;  ///< {api_url}/bot{token}/ — never logged

  [[nodiscard]] std::string name() const { return fmt::format("telegram bot {}", telegram_bot_id(bot.token.value())); }

  asio::awaitable<Result<HttpResponse>> post(std::string method, json::object body, Duration timeout) {
    HttpRequest req;
    req.method = "POST";
    req.url = base + method;
    // Channels that share a bot share its update loop: the first one's proxy serves it.
    if (!bot.channels.empty()) req.proxy = bot.channels.front().proxy;
    req.headers = {{"Content-Type", "application/json"}};
    req.body = json::serialize(body);
    req.follow_redirects = false;
    req.timeout = timeout;
    co_return co_await http->fetch(std::move(req));
  }

  /// Answers a callback (stops the spinner); failures are only logged (a replayed update's query
  /// is too old to answer, which is fine).
  asio::awaitable<void> answer(std::string query_id, std::string text) {
    json::object body{{"callback_query_id", std::move(query_id)}};
    if (!text.empty()) body["text"] = std::move(text);
    const auto r = co_await post("answerCallbackQuery", std::move(body), 30s);
    if (!r) log->debug("{}: answerCallbackQuery failed: {}", name(), redact(r.error().message(), {bot.token.value()}));
    else if (r->status != 200) log->debug("{}: answerCallbackQuery: HTTP {}: {}", name(), r->status, body_excerpt(r->body));
  }

  asio::awaitable<void> handle(TelegramCallback cb) {
    const ChannelConfig* channel = nullptr;
    for (const auto& c : bot.channels) {
      if (callback_in_chat(cb, c.chat_id)) {
        channel = &c;
        break;
      }
    }
    const auto data = decode_callback_data(cb.data);
    if (!channel) {
      log->warn("{}: a button tap from chat {} (not a configured chat) ignored", name(),
                cb.chat_id.empty() ? "(unknown)" : cb.chat_id);
      std::string locale = "ru";
      if (!bot.channels.empty() && bot.channels.front().locale) locale = *bot.channels.front().locale;
      std::string text(case_words_for(locale).not_allowed);
      co_await answer(cb.id, std::move(text));
      co_return;
    }
    if (!data) {
      log->warn("{}: channel {}: callback data not ours, ignored", name(), channel->name);
      std::string none;
      co_await answer(cb.id, std::move(none));
      co_return;
    }
    ActionRequest req;
    req.channel = channel->name;
    req.username = cb.from_username.empty() ? "" : "@" + cb.from_username;
    req.actor = Actor{"telegram", cb.from_id, !req.username.empty() ? req.username : cb.from_name};
    req.data = *data;
    const ActionResponse resp = co_await handler->act(req);
    co_await answer(cb.id, resp.text);
  }

  asio::awaitable<void> run(Duration poll_timeout) {
    const std::string cursor = telegram_cursor_name(bot);
    std::int64_t offset = 0;
    auto saved_offset = co_await cursors([&](CursorStore& c) { return c.cursor(cursor); });
    if (!saved_offset) {
      log->error("{}: cannot read the saved update offset: {}", name(), saved_offset.error().message());
    } else if (*saved_offset && !(*saved_offset)->empty()) {
      const std::string& v = **saved_offset;
      std::from_chars(v.data(), v.data() + v.size(), offset);
    }
    log->info("{}: listening for button taps in {} channel(s){}", name(), bot.channels.size(),
              offset > 0 ? fmt::format(" from update {}", offset) : std::string());
    std::mt19937_64 rng(std::random_device{}());
    int failures = 0;
    const auto timeout_s = std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::seconds>(poll_timeout).count());
    for (;;) {
      if (co_await cancelled()) co_return;
      json::object body{{"timeout", timeout_s}, {"allowed_updates", json::array{"callback_query"}}};
      if (offset > 0) body["offset"] = offset;
      const auto r = co_await post("getUpdates", std::move(body), poll_timeout + kReadMargin);
      if (co_await cancelled()) co_return;
      Duration wait = full_jitter_backoff(failures, kBackoffBase, kBackoffCap, rng());
      if (!r) {
        ++failures;
        if (failures == 1 || failures % 10 == 0)
          log->warn("{}: getUpdates failed ({} in a row): {}", name(), failures,
                    redact(r.error().message(), {bot.token.value()}));
        if (!co_await pause(wait)) co_return;
        continue;
      }
      auto answer_r = parse_get_updates(r->body);
      if (!answer_r || !answer_r->ok) {
        ++failures;
        const int code = answer_r ? answer_r->error_code : r->status;
        const std::string desc = answer_r ? answer_r->description : body_excerpt(r->body);
        if (code == 409) {
          wait = kConflictPause;
          log->error("{}: getUpdates refused with 409 Conflict ({}): a webhook is set for this bot (remove it "
                     "with deleteWebhook) or another process polls it; button taps are not received until then",
                     name(), desc);
        } else if (code == 401 || code == 404) {
          wait = kBackoffCap;
          log->error("{}: getUpdates refused: {} {} (check the token)", name(), code, desc);
        } else {
          if (answer_r && answer_r->retry_after) wait = std::max<Duration>(wait, std::chrono::seconds(*answer_r->retry_after));
          if (failures == 1 || failures % 10 == 0)
            log->warn("{}: getUpdates failed ({} in a row): {} {}", name(), failures, code, desc);
        }
        if (!co_await pause(wait)) co_return;
        continue;
      }
      failures = 0;
      if (answered) answered();
      const std::int64_t before = offset;
      for (auto& u : answer_r->updates) {
        if (u.update_id < offset) continue;  // already handled (a server that ignores offset)
        if (u.callback) co_await handle(std::move(*u.callback));
        offset = std::max(offset, u.update_id + 1);
      }
      // Saved when the offset moves (its own table: nothing to refresh while nobody taps).
      if (offset != before) {
        const std::string value = std::to_string(offset);
        auto saved = co_await cursors([&](CursorStore& c) { return c.save_cursor(cursor, value, SystemClock::now()); });
        if (!saved) log->error("{}: cannot save the update offset: {}", name(), saved.error().message());
      }
    }
  }
};

}  // namespace

asio::awaitable<void> run_telegram_updates(TelegramBot bot, HttpClient* http, StoreAccess<CursorStore> store,
                                           ActionHandler* handler, Duration poll_timeout,
                                           std::shared_ptr<spdlog::logger> log, std::function<void()> answered) {
  co_await asio::this_coro::throw_if_cancelled(false);
  Poller p{std::move(bot), http, store, handler, std::move(log), std::move(answered), {}};
  std::string base = p.bot.api_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  p.base = fmt::format("{}/bot{}/", base, p.bot.token.value());
  co_await p.run(poll_timeout);
}

}  // namespace otklik::channels
