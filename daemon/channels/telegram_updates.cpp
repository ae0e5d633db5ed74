#include "daemon/channels/telegram_updates.hpp"

#include "daemon/channels/http_outcome.hpp"
#include "daemon/channels/reply_markup.hpp"
#include "daemon/channels/telegram_html.hpp"
#include "daemon/core/cancelled.hpp"
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
    if (const auto* msg = object_at(*u, "message")) {
      const auto* reply = object_at(*msg, "reply_to_message");
      const std::string text = string_at(*msg, "text");
      if (reply && !text.empty()) {
        TelegramMessage m;
        m.message_id = id_text(msg->if_contains("message_id"));
        m.text = text;
        if (const auto* chat = object_at(*msg, "chat")) {
          m.chat_id = id_text(chat->if_contains("id"));
          m.chat_username = string_at(*chat, "username");
        }
        if (const auto* from = object_at(*msg, "from")) {
          m.from_id = id_text(from->if_contains("id"));
          m.from_username = string_at(*from, "username");
          m.from_name = string_at(*from, "first_name");
          if (const std::string last = string_at(*from, "last_name"); !last.empty())
            m.from_name += (m.from_name.empty() ? "" : " ") + last;
          const json::value* bot = from->if_contains("is_bot");
          m.from_bot = bot && bot->is_bool() && bot->get_bool();
        }
        m.reply_to_id = id_text(reply->if_contains("message_id"));
        if (const auto* rfrom = object_at(*reply, "from")) m.reply_to_from = id_text(rfrom->if_contains("id"));
        m.reply_to_text = string_at(*reply, "text");
        if (const auto* markup = object_at(*reply, "reply_markup")) {
          const json::value* rows = markup->if_contains("inline_keyboard");
          if (rows && rows->is_array()) {
            for (const auto& row : rows->get_array()) {
              if (!row.is_array()) continue;
              for (const auto& button : row.get_array()) {
                if (const auto* b = button.if_object()) {
                  if (std::string data = string_at(*b, "callback_data"); !data.empty())
                    m.reply_to_buttons.push_back(std::move(data));
                }
              }
            }
          }
        }
        if (!m.message_id.empty() && !m.reply_to_id.empty()) update.message = std::move(m);
      }
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

std::optional<RepliedReview> replied_review(const TelegramMessage& m, std::string_view bot_id) noexcept {
  if (bot_id.empty() || m.reply_to_from != bot_id) return std::nullopt;
  std::optional<RepliedReview> from_case;
  for (const auto& data : m.reply_to_buttons) {
    if (const auto r = decode_reply_callback(data)) {
      if (r->button == ReplyButton::reply) return RepliedReview{r->id, false};
      if (r->button == ReplyButton::edit) return RepliedReview{r->id, true};
    } else if (const auto c = decode_callback_data(data); c && !from_case) {
      from_case = RepliedReview{c->mention_id, false};
    }
  }
  if (from_case) return from_case;
  if (const auto id = find_review_number(m.reply_to_text)) return RepliedReview{*id, false};
  return std::nullopt;
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
  ReplyHandler* replies = nullptr;
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

  /// sendMessage / editMessageText with HTML text; returns the message id ("" on failure, logged).
  asio::awaitable<std::string> send(std::string method, json::object body, std::string html,
                                    std::optional<json::object> markup) {
    body["text"] = std::move(html);
    body["parse_mode"] = "HTML";
    body["link_preview_options"] = {{"is_disabled", true}};
    if (markup) body["reply_markup"] = std::move(*markup);
    const auto r = co_await post(method, std::move(body), 30s);
    if (!r) {
      log->warn("{}: {} failed: {}", name(), method, redact(r.error().message(), {bot.token.value()}));
      co_return std::string();
    }
    boost::system::error_code ec;
    const json::value parsed = json::parse(r->body, ec);
    const json::object* o = ec ? nullptr : parsed.if_object();
    const json::value* ok = o ? o->if_contains("ok") : nullptr;
    if (r->status != 200 || !ok || !ok->is_bool() || !ok->get_bool()) {
      log->warn("{}: {}: HTTP {}: {}", name(), method, r->status, redact(body_excerpt(r->body), {bot.token.value()}));
      co_return std::string();
    }
    const json::object* result = object_at(*o, "result");
    co_return result ? id_text(result->if_contains("message_id")) : std::string("1");
  }

  static json::value chat_value(const std::string& id) {
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), v);
    if (ec == std::errc{} && p == id.data() + id.size()) return v;
    return json::value(id);
  }

  static json::object reply_to(const std::string& message_id) {
    return json::object{{"message_id", chat_value(message_id)}, {"allow_sending_without_reply", true}};
  }

  const ChannelConfig* channel_of(const std::string& chat_id, const std::string& chat_username) const {
    TelegramCallback probe;
    probe.chat_id = chat_id;
    probe.chat_username = chat_username;
    for (const auto& c : bot.channels)
      if (callback_in_chat(probe, c.chat_id)) return &c;
    return nullptr;
  }

  static std::string locale_of(const ChannelConfig& c) { return c.locale ? *c.locale : std::string("ru"); }

  /// Chat messages are read only where someone may publish answers (reply_users): the agent's
  /// final text arrives as a reply message. Elsewhere the bot asks for taps alone.
  [[nodiscard]] bool reads_messages() const {
    return replies != nullptr && std::any_of(bot.channels.begin(), bot.channels.end(),
                                             [](const ChannelConfig& c) { return !c.reply_users.empty(); });
  }

  /// Reply / Edit: the draft as a message under the alert; Post / Cancel: the decision, and the
  /// preview message loses its buttons.
  asio::awaitable<void> handle_reply_button(TelegramCallback cb, const ChannelConfig& channel, ReplyButtonData data) {
    ReplyAsker who;
    who.channel = channel.name;
    who.username = cb.from_username.empty() ? "" : "@" + cb.from_username;
    who.actor = Actor{"telegram", cb.from_id, !who.username.empty() ? who.username : cb.from_name};
    const ReplyWords& words = reply_words_for(locale_of(channel));
    if (data.button == ReplyButton::reply || data.button == ReplyButton::edit) {
      const bool edit = data.button == ReplyButton::edit;
      DraftReply d = co_await replies->draft(who, data.id, edit);
      co_await answer(cb.id, d.text);
      if (d.outcome != ReplyOutcome::ok) co_return;
      std::string html = "<b>" + escape_telegram_html(d.heading) + "</b>";
      if (edit) html += "\n" + escape_telegram_html(std::string(words.edit_note));
      html += "\n<pre>" + escape_telegram_html(d.draft) + "</pre>\n<i>" + escape_telegram_html(d.instructions) + "</i>";
      // The keyboard carries the review back when the agent replies to this message.
      json::array row;
      row.push_back(json::object{{"text", edit ? words.edit : words.reply},
                                 {"callback_data", encode_reply_callback({data.button, data.id})}});
      if (is_web_link(d.review_url)) row.push_back(json::object{{"text", words.open_review}, {"url", d.review_url}});
      json::object body{{"chat_id", chat_value(cb.chat_id)}};
      if (!cb.message_id.empty()) body["reply_parameters"] = reply_to(cb.message_id);
      // Named, not braced temporaries, around co_await (GCC 12).
      json::array rows;
      rows.push_back(std::move(row));
      std::optional<json::object> keyboard = json::object{{"inline_keyboard", std::move(rows)}};
      std::string method = "sendMessage";
      (void)co_await send(std::move(method), std::move(body), std::move(html), std::move(keyboard));
      co_return;
    }
    const bool post_it = data.button == ReplyButton::post;
    ReplyDecision d = co_await replies->decide(who, data.id, post_it);
    co_await answer(cb.id, d.text);
    if (d.message.empty() || cb.message_id.empty()) co_return;
    json::object body{{"chat_id", chat_value(cb.chat_id)}, {"message_id", chat_value(cb.message_id)}};
    std::optional<json::object> keyboard = json::object{{"inline_keyboard", json::array()}};
    std::string method = "editMessageText";
    std::string html = escape_telegram_html(d.message);
    (void)co_await send(std::move(method), std::move(body), std::move(html), std::move(keyboard));
  }

  /// An agent's reply to an alert or a draft: its text becomes a preview with Post and Cancel.
  asio::awaitable<void> handle_message(TelegramMessage m) {
    if (!reads_messages() || m.from_bot) co_return;
    const ChannelConfig* channel = channel_of(m.chat_id, m.chat_username);
    if (!channel) co_return;  // not a configured chat: not ours to read
    const auto review = replied_review(m, telegram_bot_id(bot.token.value()));
    if (!review) co_return;   // an ordinary conversation in the chat
    ReplyAsker who;
    who.channel = channel->name;
    who.username = m.from_username.empty() ? "" : "@" + m.from_username;
    who.actor = Actor{"telegram", m.from_id, !who.username.empty() ? who.username : m.from_name};
    const ReplyWords& words = reply_words_for(locale_of(*channel));
    ReplyPreview p = co_await replies->preview(who, review->mention_id, review->edit, m.text);
    json::object body{{"chat_id", chat_value(m.chat_id)}, {"reply_parameters", reply_to(m.message_id)}};
    std::string method = "sendMessage";
    std::string html = escape_telegram_html(p.text);
    std::optional<json::object> keyboard;
    if (p.outcome == ReplyOutcome::ok) {
      json::array row;
      row.push_back(json::object{{"text", words.post}, {"callback_data", encode_reply_callback({ReplyButton::post, p.reply_id})}});
      row.push_back(json::object{{"text", words.cancel}, {"callback_data", encode_reply_callback({ReplyButton::cancel, p.reply_id})}});
      json::array rows;
      rows.push_back(std::move(row));
      keyboard = json::object{{"inline_keyboard", std::move(rows)}};
    }
    std::string id = co_await send(std::move(method), std::move(body), std::move(html), std::move(keyboard));
    if (p.outcome != ReplyOutcome::ok) co_return;
    if (!id.empty()) co_await replies->preview_shown(p.reply_id, std::move(id));
  }

  asio::awaitable<void> handle(TelegramCallback cb) {
    const ChannelConfig* channel = nullptr;
    for (const auto& c : bot.channels) {
      if (callback_in_chat(cb, c.chat_id)) {
        channel = &c;
        break;
      }
    }
    if (channel && replies) {
      if (const auto reply_data = decode_reply_callback(cb.data)) {
        co_await handle_reply_button(std::move(cb), *channel, *reply_data);
        co_return;
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
      json::array kinds{"callback_query"};
      if (reads_messages()) kinds.push_back("message");
      json::object body{{"timeout", timeout_s}, {"allowed_updates", std::move(kinds)}};
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
        else if (u.message) co_await handle_message(std::move(*u.message));
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
                                           std::shared_ptr<spdlog::logger> log, std::function<void()> answered,
                                           ReplyHandler* replies) {
  co_await asio::this_coro::throw_if_cancelled(false);
  Poller p{std::move(bot), http, store, handler, std::move(log), std::move(answered), replies, {}};
  std::string base = p.bot.api_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  p.base = fmt::format("{}/bot{}/", base, p.bot.token.value());
  co_await p.run(poll_timeout);
}

}  // namespace otklik::channels
