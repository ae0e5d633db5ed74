#include "tests/support/chat/fake_chat.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace otklik::test {
namespace json = boost::json;

namespace {

constexpr std::string_view kSlackPath = "/services/T0001/B0001/fakeSecretPath";
constexpr std::string_view kResponsePath = "/actions/T0001/1234567890/fakeResponseToken";

FakeResponse text_response(int status, std::string body) {
  FakeResponse r;
  r.status = status;
  r.headers = {{"Content-Type", "text/html"}};
  r.body = std::move(body);
  return r;
}

FakeResponse closed_connection() {
  FakeResponse r;
  r.close_without_response = true;
  return r;
}

/// UTF-16 units of UTF-8 text.
std::size_t utf16_units(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) n += (c & 0xF8) == 0xF0 ? 2 : 1;
  }
  return n;
}

/// Slack's documented limits: at most 50 blocks, section text at most 3000 characters.
bool slack_blocks_valid(const json::value& blocks) {
  if (!blocks.is_array() || blocks.get_array().size() > 50) return false;
  for (const auto& b : blocks.get_array()) {
    const auto* o = b.if_object();
    if (!o || !o->if_contains("type")) return false;
    if (const auto* t = o->if_contains("text")) {
      const auto* text = t->is_object() ? t->get_object().if_contains("text") : nullptr;
      if (!text || !text->is_string() || utf16_units(text->get_string()) > 3000) return false;
    }
  }
  return true;
}

}  // namespace

// --- Slack ---------------------------------------------------------------------------------

FakeSlackWebhook::FakeSlackWebhook() {
  server_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& r) { return handle(r); });
}
FakeSlackWebhook::~FakeSlackWebhook() { server_.reset(); }

std::string FakeSlackWebhook::url() const { return server_->base_url() + std::string(kSlackPath); }

std::vector<std::string> FakeSlackWebhook::messages() const {
  std::lock_guard lock(mu_);
  return messages_;
}
std::vector<FakeRequest> FakeSlackWebhook::requests() const { return server_->requests(); }

void FakeSlackWebhook::set_failures(std::vector<FakeFailure> failures) {
  std::lock_guard lock(mu_);
  failures_ = std::move(failures);
}
void FakeSlackWebhook::set_down(bool down) {
  std::lock_guard lock(mu_);
  down_ = down;
}

std::string FakeSlackWebhook::response_url() const { return server_->base_url() + std::string(kResponsePath); }

std::vector<std::string> FakeSlackWebhook::responses() const {
  std::lock_guard lock(mu_);
  return responses_;
}

std::string FakeSlackWebhook::api_url() const { return fmt::format("http://127.0.0.1:{}/api", server_->port()); }

std::vector<std::string> FakeSlackWebhook::views() const {
  std::lock_guard lock(mu_);
  return views_;
}

/// views.open as https://api.slack.com/methods/views.open documents it: a bot token, a JSON body
/// with trigger_id and a modal view within the limits of
/// https://api.slack.com/reference/surfaces/views and the input block; {"ok":false,"error":…}
/// otherwise (HTTP 200, as Slack's Web API answers errors).
FakeResponse FakeSlackWebhook::views_open(const FakeRequest& request) {
  auto error = [](std::string_view e) {
    return FakeResponse::json(200, json::serialize(json::object{{"ok", false}, {"error", e}}));
  };
  const auto auth = request.header("Authorization");
  if (!auth) return error("not_authed");
  if (*auth != std::string("Bearer ") + kBotToken) return error("invalid_auth");
  const auto type = request.header("Content-Type");
  if (!type || type->find("application/json") == std::string_view::npos) return error("invalid_arguments");
  boost::system::error_code ec;
  const json::value body = json::parse(request.body, ec);
  const auto* o = ec ? nullptr : body.if_object();
  if (!o) return error("invalid_json");
  const auto* trigger = o->if_contains("trigger_id");
  if (!trigger || !trigger->is_string() || trigger->get_string().empty()) return error("invalid_trigger_id");
  const auto* view = o->if_contains("view");
  if (!view || !view->is_object()) return error("invalid_arguments");
  const json::object& v = view->get_object();
  auto text_of = [&](std::string_view key) -> std::string {
    const auto* t = v.if_contains(key);
    if (!t || !t->is_object()) return {};
    const auto* s = t->get_object().if_contains("text");
    return s && s->is_string() ? std::string(s->get_string()) : std::string();
  };
  auto chars = [](const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
  };
  const auto* vtype = v.if_contains("type");
  if (!vtype || !vtype->is_string() || vtype->get_string() != "modal") return error("invalid_arguments");
  const std::string title = text_of("title");
  if (title.empty() || chars(title) > 24 || chars(text_of("submit")) > 24 || chars(text_of("close")) > 24)
    return error("invalid_arguments");
  if (const auto* meta = v.if_contains("private_metadata"); meta && (!meta->is_string() || meta->get_string().size() > 3000))
    return error("invalid_arguments");
  const auto* blocks = v.if_contains("blocks");
  if (!blocks || !blocks->is_array() || blocks->get_array().size() > 100) return error("invalid_blocks");
  bool has_input = false;
  for (const auto& b : blocks->get_array()) {
    const auto* bo = b.if_object();
    if (!bo) return error("invalid_blocks");
    const auto* bt = bo->if_contains("type");
    if (!bt || !bt->is_string()) return error("invalid_blocks");
    if (bt->get_string() != "input") continue;
    has_input = true;
    const auto* el = bo->if_contains("element");
    if (!el || !el->is_object()) return error("invalid_blocks");
    const auto& e = el->get_object();
    std::int64_t max = 3000;
    if (const auto* m = e.if_contains("max_length")) {
      if (!m->is_int64() || m->get_int64() < 1 || m->get_int64() > 3000) return error("invalid_blocks");
      max = m->get_int64();
    }
    if (const auto* init = e.if_contains("initial_value");
        init && (!init->is_string() || chars(std::string(init->get_string())) > static_cast<std::size_t>(max)))
      return error("invalid_blocks");
  }
  if (has_input && text_of("submit").empty()) return error("invalid_arguments");  // inputs need a submit button
  views_.push_back(json::serialize(v));
  return FakeResponse::json(200, json::serialize(json::object{{"ok", true}, {"view", v}}));
}

FakeResponse FakeSlackWebhook::handle(const FakeRequest& request) {
  {
    std::lock_guard lock(mu_);
    if (down_) return closed_connection();
    if (request.path == "/api/views.open") return views_open(request);
  }
  std::lock_guard lock(mu_);
  if (request.path.rfind("/actions/", 0) == 0) {
    if (request.path != kResponsePath) return text_response(404, "expired_url");
    boost::system::error_code ec;
    const json::value body = json::parse(request.body, ec);
    const auto* o = ec ? nullptr : body.if_object();
    if (!o || request.method != "POST" || (!o->if_contains("text") && !o->if_contains("blocks")))
      return text_response(400, "invalid_payload");
    if (const auto* blocks = o->if_contains("blocks"); blocks && !slack_blocks_valid(*blocks))
      return text_response(400, "invalid_blocks");
    responses_.push_back(request.body);
    return text_response(200, "ok");
  }
  if (request.path != kSlackPath) return text_response(404, "no_service");
  if (!failures_.empty() && failures_.front().status == -1) {
    failures_.erase(failures_.begin());
  } else if (!failures_.empty()) {
    const FakeFailure f = failures_.front();
    failures_.erase(failures_.begin());
    if (f.status == 0) return closed_connection();
    if (f.status == 429) {
      FakeResponse r = text_response(429, "rate_limited");
      if (f.retry_after >= 0) r.headers.emplace_back("Retry-After", std::to_string(f.retry_after));
      return r;
    }
    if (f.status == 400) return text_response(400, "invalid_payload");
    if (f.status == 403) return text_response(403, "action_prohibited");
    if (f.status == 404) return text_response(404, "no_service");
    if (f.status == 410) return text_response(410, "channel_is_archived");
    return text_response(f.status, "internal_error");
  }
  if (request.method != "POST") return text_response(400, "invalid_payload");
  boost::system::error_code ec;
  const json::value body = json::parse(request.body, ec);
  const auto* o = ec ? nullptr : body.if_object();
  if (!o) return text_response(400, "invalid_payload");
  const auto* text = o->if_contains("text");
  const auto* blocks = o->if_contains("blocks");
  if (!text && !blocks) return text_response(400, "no_text");
  if (blocks && !slack_blocks_valid(*blocks)) return text_response(400, "invalid_blocks");
  messages_.push_back(request.body);
  return text_response(200, "ok");
}

// --- generic webhook -----------------------------------------------------------------------

FakeWebhook::FakeWebhook() {
  server_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& r) { return handle(r); });
}
FakeWebhook::~FakeWebhook() { server_.reset(); }

std::string FakeWebhook::url() const { return server_->base_url() + "/hook"; }

std::vector<FakeRequest> FakeWebhook::messages() const {
  std::lock_guard lock(mu_);
  return messages_;
}
std::vector<FakeRequest> FakeWebhook::requests() const { return server_->requests(); }

void FakeWebhook::set_failures(std::vector<FakeFailure> failures) {
  std::lock_guard lock(mu_);
  failures_ = std::move(failures);
}
void FakeWebhook::set_down(bool down) {
  std::lock_guard lock(mu_);
  down_ = down;
}

FakeResponse FakeWebhook::handle(const FakeRequest& request) {
  std::lock_guard lock(mu_);
  if (down_) return closed_connection();
  if (!failures_.empty() && failures_.front().status == -1) {
    failures_.erase(failures_.begin());
  } else if (!failures_.empty()) {
    const FakeFailure f = failures_.front();
    failures_.erase(failures_.begin());
    if (f.status == 0) return closed_connection();
    FakeResponse r = text_response(f.status, R"({"ok":false})");
    r.headers = {{"Content-Type", "application/json"}};
    if (f.retry_after >= 0) r.headers.emplace_back("Retry-After", std::to_string(f.retry_after));
    return r;
  }
  messages_.push_back(request);
  FakeResponse r = text_response(200, R"({"ok":true})");
  r.headers = {{"Content-Type", "application/json"}};
  return r;
}

}  // namespace otklik::test
