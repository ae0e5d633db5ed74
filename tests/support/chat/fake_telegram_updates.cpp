// The fake Bot API's interactive side: edits, getUpdates, answerCallbackQuery, injected taps.

#include "tests/support/chat/fake_chat.hpp"
#include "tests/support/chat/fake_telegram_detail.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>

namespace otklik::test {
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

/// The longest the fake holds an empty long poll (it serves one request at a time per
/// connection, and the client under test keeps other connections for its sends).
constexpr std::chrono::milliseconds kHoldCap{300};

std::optional<json::object> json_body(const FakeRequest& request) {
  const auto type = request.header("Content-Type");
  if (!type || type->find("application/json") == std::string_view::npos) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(request.body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

}  // namespace

std::int64_t FakeTelegram::inject_callback(std::int64_t message_id, const TelegramUser& from, std::string data,
                                           std::optional<std::string> chat_id) {
  std::lock_guard lock(mu_);
  std::string chat = chat_id.value_or("");
  std::string text;
  for (const auto& m : messages_) {
    if (m.message_id == message_id) {
      if (!chat_id) chat = m.chat_id;
      text = m.visible_text;
    }
  }
  json::object user{{"id", from.id}, {"is_bot", false}, {"first_name", from.first_name}, {"language_code", "ru"}};
  if (!from.username.empty()) user["username"] = from.username;
  json::value chat_id_value(chat);
  if (!chat.empty() && chat[0] != '@') {
    try {
      chat_id_value = std::stoll(chat);
    } catch (const std::exception&) {
    }
  }
  json::object chat_obj{{"id", chat_id_value}, {"title", "Reviews"}, {"type", "supergroup"}};
  if (!chat.empty() && chat[0] == '@') {
    chat_obj["id"] = -1009999999999;
    chat_obj["username"] = chat.substr(1);
  }
  const std::string query_id = fmt::format("{}", 4000000000000000000 + next_query_id_++);
  json::object query{{"id", query_id},
                     {"from", std::move(user)},
                     {"message", {{"message_id", message_id},
                                  {"from", {{"id", 123456}, {"is_bot", true}, {"first_name", "Otklik"}}},
                                  {"chat", std::move(chat_obj)},
                                  {"date", 1700000000},
                                  {"text", text}}},
                     {"chat_instance", "-5511223344"},
                     {"data", std::move(data)}};
  const std::int64_t update_id = next_update_id_++;
  updates_.emplace_back(update_id, json::serialize(json::object{{"update_id", update_id},
                                                                {"callback_query", std::move(query)}}));
  open_queries_.push_back(query_id);
  return update_id;
}

std::int64_t FakeTelegram::inject_reply(std::int64_t reply_to, const TelegramUser& from, std::string text) {
  std::lock_guard lock(mu_);
  const auto it = std::find_if(messages_.begin(), messages_.end(),
                               [&](const TelegramMessage& m) { return m.message_id == reply_to; });
  const std::string chat = it != messages_.end() ? it->chat_id : std::string("-1001");
  auto chat_value = [&]() -> json::value {
    try {
      return std::stoll(chat);
    } catch (const std::exception&) {
      return json::value(chat);
    }
  };
  json::object user{{"id", from.id}, {"is_bot", false}, {"first_name", from.first_name}, {"language_code", "ru"}};
  if (!from.username.empty()) user["username"] = from.username;
  json::object original{{"message_id", reply_to},
                        {"from", {{"id", 123456}, {"is_bot", true}, {"first_name", "Otklik"}, {"username", "otklik_bot"}}},
                        {"chat", {{"id", chat_value()}, {"title", "Reviews"}, {"type", "supergroup"}}},
                        {"date", 1700000000}};
  if (it != messages_.end()) {
    original["text"] = it->visible_text;
    if (!it->reply_markup.empty()) original["reply_markup"] = json::parse(it->reply_markup);
  }
  TelegramMessage kept;
  kept.message_id = next_id_++;
  kept.chat_id = chat;
  kept.text = text;
  kept.visible_text = text;
  kept.reply_to = reply_to;
  kept.from_user = true;
  json::object message{{"message_id", kept.message_id},
                       {"from", std::move(user)},
                       {"chat", {{"id", chat_value()}, {"title", "Reviews"}, {"type", "supergroup"}}},
                       {"date", 1700000100},
                       {"text", std::move(text)},
                       {"reply_to_message", std::move(original)}};
  const std::int64_t id = kept.message_id;
  messages_.push_back(std::move(kept));
  const std::int64_t update_id = next_update_id_++;
  updates_.emplace_back(update_id, json::serialize(json::object{{"update_id", update_id}, {"message", std::move(message)}}));
  return id;
}

std::vector<TelegramAnswer> FakeTelegram::answers() const {
  std::lock_guard lock(mu_);
  return answers_;
}

std::vector<std::string> FakeTelegram::update_polls() const {
  std::lock_guard lock(mu_);
  return polls_;
}

void FakeTelegram::set_webhook_active(bool active) {
  std::lock_guard lock(mu_);
  webhook_active_ = active;
}

FakeResponse FakeTelegram::get_updates(const FakeRequest& request) {
  std::lock_guard lock(mu_);
  polls_.push_back(request.body);
  if (webhook_active_) {
    return api_error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
                          "delete the webhook first");
  }
  const auto body = json_body(request);
  if (!body) return api_error(400, "Bad Request: can't parse JSON");
  std::int64_t offset = 0;
  std::int64_t timeout = 0;
  if (const auto* v = body->if_contains("offset"); v && v->is_int64()) offset = v->get_int64();
  if (const auto* v = body->if_contains("timeout"); v && v->is_int64()) timeout = v->get_int64();
  // allowed_updates: only those kinds are delivered (none named: every kind).
  std::vector<std::string> kinds;
  if (const auto* v = body->if_contains("allowed_updates"); v && v->is_array())
    for (const auto& k : v->get_array())
      if (k.is_string()) kinds.emplace_back(k.get_string());
  json::array result;
  for (const auto& [id, update] : updates_) {
    if (id < offset || result.size() >= 100) continue;
    json::value u = json::parse(update);
    const bool wanted = kinds.empty() || std::any_of(kinds.begin(), kinds.end(), [&](const std::string& k) {
                          return u.as_object().contains(k);
                        });
    if (wanted) result.push_back(std::move(u));
  }
  FakeResponse r = json_response(200, json::object{{"ok", true}, {"result", result}});
  if (result.empty()) r.delay = std::min<std::chrono::milliseconds>(std::chrono::seconds(timeout), kHoldCap);
  return r;
}

FakeResponse FakeTelegram::answer_callback(const FakeRequest& request) {
  std::lock_guard lock(mu_);
  const auto body = json_body(request);
  if (!body) return api_error(400, "Bad Request: can't parse JSON");
  const auto* id = body->if_contains("callback_query_id");
  const std::string query = id && id->is_string() ? std::string(id->get_string()) : std::string();
  const auto it = std::find(open_queries_.begin(), open_queries_.end(), query);
  if (query.empty() || it == open_queries_.end())
    return api_error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
  open_queries_.erase(it);
  TelegramAnswer a{query, {}};
  if (const auto* t = body->if_contains("text"); t && t->is_string()) a.text = std::string(t->get_string());
  if (a.text.size() > 200 * 4) return api_error(400, "Bad Request: MESSAGE_TOO_LONG");
  answers_.push_back(std::move(a));
  return json_response(200, json::object{{"ok", true}, {"result", true}});
}

FakeResponse FakeTelegram::edit_message(const FakeRequest& request, bool text) {
  std::lock_guard lock(mu_);
  const auto body = json_body(request);
  if (!body) return api_error(400, "Bad Request: can't parse JSON");
  std::string chat;
  std::string id;
  if (const auto* v = body->if_contains("chat_id")) chat = chat_text(*v);
  if (const auto* v = body->if_contains("message_id")) id = chat_text(*v);
  if (chat.empty()) return api_error(400, "Bad Request: chat_id is empty");
  if (id.empty()) return api_error(400, "Bad Request: message identifier is not specified");
  auto it = std::find_if(messages_.begin(), messages_.end(), [&](const TelegramMessage& m) {
    return std::to_string(m.message_id) == id && m.chat_id == chat;
  });
  if (it == messages_.end()) return api_error(400, "Bad Request: message to edit not found");
  TelegramMessage edited = *it;
  if (text) {
    if (auto error = read_text(*body, edited)) return *error;
  }
  if (auto error = read_markup(*body, edited.reply_markup)) return *error;
  if (edited.text == it->text && edited.reply_markup == it->reply_markup) {
    return api_error(400, "Bad Request: message is not modified: specified new message content and reply markup "
                          "are exactly the same as a current content and reply markup of the message");
  }
  edited.edits = it->edits + 1;
  *it = std::move(edited);
  json::object result{{"message_id", it->message_id},
                      {"chat", {{"id", it->chat_id}, {"type", "supergroup"}}},
                      {"date", 1700000000},
                      {"edit_date", 1700000100},
                      {"text", it->visible_text}};
  return json_response(200, json::object{{"ok", true}, {"result", std::move(result)}});
}

}  // namespace otklik::test
