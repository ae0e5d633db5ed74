#include "tests/support/chat/fake_chat.hpp"
#include "tests/support/chat/fake_telegram_detail.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace otklik::test {
namespace json = boost::json;

namespace {

void put_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

bool parse_telegram_html(const std::string& html, std::string& visible, std::size_t& units, std::string& error) {
  static const std::set<std::string> kTags{"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a",
                                           "code", "pre", "span", "tg-spoiler", "blockquote", "tg-emoji"};
  visible.clear();
  units = 0;
  std::vector<std::string> open;
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      const std::size_t close = html.find('>', i);
      if (close == std::string::npos) {
        error = fmt::format("Unclosed start tag at byte offset {}", i);
        return false;
      }
      std::string inner = html.substr(i + 1, close - i - 1);
      const bool end_tag = !inner.empty() && inner[0] == '/';
      if (end_tag) inner.erase(0, 1);
      const std::string name = inner.substr(0, inner.find_first_of(" \t\n"));
      if (!kTags.count(name)) {
        error = fmt::format("Unsupported start tag \"{}\" at byte offset {}", name, i);
        return false;
      }
      if (end_tag) {
        if (open.empty() || open.back() != name) {
          error = fmt::format("Unmatched end tag at byte offset {}, expected \"</{}>\", found \"</{}>\"", i,
                              open.empty() ? "" : open.back(), name);
          return false;
        }
        open.pop_back();
      } else {
        open.push_back(name);
      }
      i = close + 1;
      continue;
    }
    if (c == '>') {
      error = fmt::format("Unexpected end tag at byte offset {}", i);
      return false;
    }
    std::uint32_t cp = 0;
    if (c == '&') {
      const std::size_t semi = html.find(';', i);
      const std::string name = semi == std::string::npos ? "" : html.substr(i + 1, semi - i - 1);
      if (name == "lt") cp = '<';
      else if (name == "gt") cp = '>';
      else if (name == "amp") cp = '&';
      else if (name == "quot") cp = '"';
      else if (name.size() > 1 && name[0] == '#' && name.find_first_not_of("0123456789", 1) == std::string::npos) {
        cp = static_cast<std::uint32_t>(std::stoul(name.substr(1)));
      } else {
        error = fmt::format("Unsupported entity at byte offset {}", i);
        return false;
      }
      i = semi + 1;
    } else {
      const auto b = static_cast<unsigned char>(c);
      const int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
      cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
      for (int k = 1; k < len && i + static_cast<std::size_t>(k) < html.size(); ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(html[i + static_cast<std::size_t>(k)]) & 0x3F);
      }
      i += static_cast<std::size_t>(len);
    }
    put_utf8(visible, cp);
    units += cp >= 0x10000 ? 2 : 1;
  }
  if (!open.empty()) {
    error = fmt::format("Can't find end tag corresponding to start tag \"{}\"", open.back());
    return false;
  }
  return true;
}

std::optional<FakeResponse> read_text(const json::object& o, TelegramMessage& m) {
  const auto* text = o.if_contains("text");
  if (!text || !text->is_string() || text->get_string().empty()) {
    return api_error(400, "Bad Request: message text is empty");
  }
  m.text = std::string(text->get_string());
  m.parse_mode.clear();
  if (const auto* v = o.if_contains("parse_mode"); v && v->is_string()) m.parse_mode = std::string(v->get_string());
  if (!m.parse_mode.empty() && m.parse_mode != "HTML") return api_error(400, "Bad Request: unsupported parse_mode");
  m.link_preview_disabled = false;
  if (const auto* v = o.if_contains("link_preview_options"); v && v->is_object()) {
    const auto* d = v->get_object().if_contains("is_disabled");
    m.link_preview_disabled = d && d->is_bool() && d->get_bool();
  }
  if (const auto* v = o.if_contains("disable_web_page_preview"); v && v->is_bool() && v->get_bool()) {
    m.link_preview_disabled = true;
  }
  std::size_t units = 0;
  if (m.parse_mode == "HTML") {
    std::string error;
    if (!parse_telegram_html(m.text, m.visible_text, units, error)) {
      return api_error(400, "Bad Request: can't parse entities: " + error);
    }
  } else {
    m.visible_text = m.text;
    for (unsigned char c : m.text) units += (c & 0xC0) != 0x80 ? ((c & 0xF8) == 0xF0 ? 2 : 1) : 0;
  }
  if (units > 4096) return api_error(400, "Bad Request: message is too long");
  if (units == 0) return api_error(400, "Bad Request: message text is empty");
  return std::nullopt;
}

std::optional<FakeResponse> read_markup(const json::object& o, std::string& markup) {
  markup.clear();
  const auto* v = o.if_contains("reply_markup");
  if (!v) return std::nullopt;
  const auto* obj = v->if_object();
  const auto* rows = obj ? obj->if_contains("inline_keyboard") : nullptr;
  if (!rows || !rows->is_array()) return api_error(400, "Bad Request: can't parse reply keyboard markup JSON object");
  for (const auto& row : rows->get_array()) {
    if (!row.is_array()) return api_error(400, "Bad Request: can't parse inline keyboard button: expected an Array");
    for (const auto& b : row.get_array()) {
      const auto* button = b.if_object();
      const auto* text = button ? button->if_contains("text") : nullptr;
      if (!text || !text->is_string() || text->get_string().empty())
        return api_error(400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the "
                              "inline keyboard");
      // Exactly one optional field: callback_data (1-64 bytes) or url (http, https or tg).
      const auto* data = button->if_contains("callback_data");
      const auto* url = button->if_contains("url");
      if (url != nullptr) {
        const bool scheme = url->is_string() && (url->get_string().starts_with("https://") ||
                                                 url->get_string().starts_with("http://") ||
                                                 url->get_string().starts_with("tg://"));
        if (data != nullptr || !scheme) return api_error(400, "Bad Request: BUTTON_URL_INVALID");
        continue;
      }
      if (!data || !data->is_string() || data->get_string().empty() || data->get_string().size() > 64)
        return api_error(400, "Bad Request: BUTTON_DATA_INVALID");
    }
  }
  markup = json::serialize(*v);
  return std::nullopt;
}

FakeTelegram::FakeTelegram(std::string token) : token_(std::move(token)) {
  server_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& r) { return handle(r); });
}

FakeTelegram::~FakeTelegram() { server_.reset(); }

std::string FakeTelegram::api_url() const { return server_->base_url(); }

std::vector<TelegramMessage> FakeTelegram::messages() const {
  std::lock_guard lock(mu_);
  return messages_;
}

std::vector<FakeRequest> FakeTelegram::requests() const {
  std::vector<FakeRequest> out;
  for (auto& r : server_->requests()) {
    if (!r.path.ends_with("/getUpdates") && !r.path.ends_with("/answerCallbackQuery")) out.push_back(std::move(r));
  }
  return out;
}

std::vector<FakeRequest> FakeTelegram::all_requests() const { return server_->requests(); }

void FakeTelegram::set_failures(std::vector<FakeFailure> failures) {
  std::lock_guard lock(mu_);
  failures_ = std::move(failures);
}

void FakeTelegram::set_down(bool down) {
  std::lock_guard lock(mu_);
  down_ = down;
}

FakeResponse FakeTelegram::handle(const FakeRequest& request) {
  std::string method;
  {
    std::lock_guard lock(mu_);
    FakeResponse closed;
    closed.close_without_response = true;
    if (down_) return closed;
    const std::string prefix = "/bot";
    const auto slash = request.path.rfind('/');
    if (request.path.rfind(prefix, 0) != 0 || slash == std::string::npos || slash < prefix.size()) {
      return api_error(404, "Not Found");
    }
    if (request.path.substr(prefix.size(), slash - prefix.size()) != token_) return api_error(401, "Unauthorized");
    method = request.path.substr(slash + 1);
  }
  if (method == "getUpdates") return get_updates(request);
  if (method == "answerCallbackQuery") return answer_callback(request);
  if (method != "sendMessage" && method != "editMessageText" && method != "editMessageReplyMarkup")
    return api_error(404, "Not Found");

  {
    std::lock_guard lock(mu_);
    FakeResponse closed;
    closed.close_without_response = true;
    if (!failures_.empty() && failures_.front().status == -1) {
      failures_.erase(failures_.begin());
    } else if (!failures_.empty()) {
      const FakeFailure f = failures_.front();
      failures_.erase(failures_.begin());
      if (f.status == 0) return closed;
      if (!f.migrate_to.empty()) {
        return api_error(400, "Bad Request: group chat was upgraded to a supergroup chat",
                         {{"migrate_to_chat_id", std::stoll(f.migrate_to)}});
      }
      if (f.status == 429) {
        FakeResponse r = api_error(429, fmt::format("Too Many Requests: retry after {}", f.retry_after),
                                   {{"retry_after", f.retry_after}});
        r.headers.emplace_back("Retry-After", std::to_string(f.retry_after));
        return r;
      }
      if (f.status == 401) return api_error(401, "Unauthorized");
      if (f.status == 403) return api_error(403, "Forbidden: bot was blocked by the user");
      if (f.status >= 500) return api_error(f.status, f.status == 502 ? "Bad Gateway" : "Internal Server Error");
      return api_error(f.status, "Bad Request: chat not found");
    }
  }
  if (method == "sendMessage") return send_message(request);
  return edit_message(request, method == "editMessageText");
}

FakeResponse FakeTelegram::send_message(const FakeRequest& request) {
  std::lock_guard lock(mu_);
  if (request.method != "POST") return api_error(400, "Bad Request: expected a POST");
  const auto type = request.header("Content-Type");
  if (!type || type->find("application/json") == std::string_view::npos) {
    return api_error(400, "Bad Request: expected a JSON body");
  }
  boost::system::error_code ec;
  const json::value body = json::parse(request.body, ec);
  if (ec || !body.is_object()) return api_error(400, "Bad Request: can't parse JSON");
  const json::object& o = body.get_object();
  TelegramMessage m;
  if (const auto* v = o.if_contains("chat_id")) m.chat_id = chat_text(*v);
  if (m.chat_id.empty()) return api_error(400, "Bad Request: chat_id is empty");
  if (auto error = read_text(o, m)) return *error;
  if (auto error = read_markup(o, m.reply_markup)) return *error;
  if (const auto* rp = o.if_contains("reply_parameters"); rp && rp->is_object()) {
    const auto* id = rp->get_object().if_contains("message_id");
    if (!id || !id->is_int64()) return api_error(400, "Bad Request: invalid reply parameters");
    m.reply_to = id->get_int64();
    const auto* allow = rp->get_object().if_contains("allow_sending_without_reply");
    const bool known = std::any_of(messages_.begin(), messages_.end(),
                                   [&](const TelegramMessage& x) { return x.message_id == m.reply_to; });
    if (!known && !(allow && allow->is_bool() && allow->get_bool()))
      return api_error(400, "Bad Request: message to be replied not found");
  } else if (const auto* rt = o.if_contains("reply_to_message_id"); rt && rt->is_int64()) {
    m.reply_to = rt->get_int64();
  }
  m.message_id = next_id_++;
  json::object result{{"message_id", m.message_id},
                      {"from", {{"id", 123456}, {"is_bot", true}, {"first_name", "Otklik"}}},
                      {"chat", {{"id", m.chat_id}, {"type", "supergroup"}}},
                      {"date", 1700000000},
                      {"text", m.visible_text}};
  messages_.push_back(std::move(m));
  return json_response(200, json::object{{"ok", true}, {"result", std::move(result)}});
}

}  // namespace otklik::test
