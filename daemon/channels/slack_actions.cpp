#include "daemon/channels/slack_actions.hpp"

#include "daemon/channels/reply_markup.hpp"
#include "daemon/channels/slack_text.hpp"
#include "daemon/channels/text_util.hpp"
#include "daemon/net/url_target.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <charconv>

namespace otklik::channels {
namespace json = boost::json;
namespace asio = boost::asio;

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode_component(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string string_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::object* object_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

/// POSTs `body` to a response_url; logs the outcome (Slack answers 200 "ok" or {"ok":true}).
/// `channel` is the clicked channel's config: its proxy, and its webhook URL (on the same host as
/// response_url) as the configured URL for the address filter.
boost::asio::awaitable<void> post_response(HttpClient* http, std::string url, std::string body, ChannelConfig channel,
                                           std::shared_ptr<spdlog::logger> log) {
  HttpRequest req;
  req.method = "POST";
  req.url = std::move(url);
  req.proxy = channel.proxy;
  req.configured_url = channel.webhook_url.value();
  req.headers = {{"Content-Type", "application/json"}};
  req.body = std::move(body);
  req.follow_redirects = false;
  const auto r = co_await http->fetch(std::move(req));
  if (!log) co_return;
  // The response_url itself is a short-lived credential: never logged.
  if (!r) log->warn("slack: updating the clicked message failed: {}", r.error().code.message());
  else if (r->status < 200 || r->status >= 300) log->warn("slack: updating the clicked message: HTTP {}", r->status);
}

}  // namespace

std::string slack_signature(std::string_view secret, std::string_view timestamp, std::string_view body) {
  std::string base = fmt::format("v0:{}:", timestamp);
  base.append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(base.data()),
       base.size(), mac, &len);
  std::string out = "v0=";
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", mac[i]);
  return out;
}

SignatureCheck verify_slack_signature(std::string_view secret, std::optional<std::string_view> timestamp,
                                      std::optional<std::string_view> signature, std::string_view body,
                                      TimePoint now) {
  if (!timestamp || !signature || timestamp->empty() || signature->empty() || secret.empty())
    return SignatureCheck::missing;
  std::int64_t ts = 0;
  const auto [p, ec] = std::from_chars(timestamp->data(), timestamp->data() + timestamp->size(), ts);
  if (ec != std::errc{} || p != timestamp->data() + timestamp->size() || ts < 0) return SignatureCheck::bad_timestamp;
  const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (now_s - ts > kSlackSignatureWindow.count() || ts - now_s > kSlackSignatureWindow.count())
    return SignatureCheck::stale;
  const std::string expected = slack_signature(secret, *timestamp, body);
  if (expected.size() != signature->size()) return SignatureCheck::mismatch;
  if (CRYPTO_memcmp(expected.data(), signature->data(), expected.size()) != 0) return SignatureCheck::mismatch;
  return SignatureCheck::ok;
}

std::vector<std::pair<std::string, std::string>> decode_form(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!body.empty()) {
    const std::size_t amp = std::min(body.find('&'), body.size());
    const std::string_view pair = body.substr(0, amp);
    body.remove_prefix(std::min(amp + 1, body.size()));
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) out.emplace_back(decode_component(pair), std::string());
    else out.emplace_back(decode_component(pair.substr(0, eq)), decode_component(pair.substr(eq + 1)));
  }
  return out;
}

Result<SlackInteraction> parse_slack_interaction(std::string_view form_body) {
  std::string payload;
  bool found = false;
  for (auto& [k, v] : decode_form(form_body)) {
    if (k == "payload") {
      payload = std::move(v);
      found = true;
      break;
    }
  }
  if (!found) return Failure(errc::parse_failed, "slack interaction: no payload field");
  boost::system::error_code ec;
  const json::value parsed = json::parse(payload, ec);
  const json::object* o = ec ? nullptr : parsed.if_object();
  if (!o) return Failure(errc::parse_failed, "slack interaction: the payload is not a JSON object");
  SlackInteraction out;
  out.type = string_at(*o, "type");
  if (const auto* user = object_at(*o, "user")) {
    out.user_id = string_at(*user, "id");
    out.user_name = string_at(*user, "username");
    if (out.user_name.empty()) out.user_name = string_at(*user, "name");
    if (out.team_id.empty()) out.team_id = string_at(*user, "team_id");
  }
  if (const auto* team = object_at(*o, "team")) out.team_id = string_at(*team, "id");
  if (const auto* channel = object_at(*o, "channel")) out.channel_id = string_at(*channel, "id");
  if (out.channel_id.empty()) {
    if (const auto* container = object_at(*o, "container")) out.channel_id = string_at(*container, "channel_id");
  }
  out.response_url = string_at(*o, "response_url");
  out.trigger_id = string_at(*o, "trigger_id");
  if (const auto* container = object_at(*o, "container")) out.message_ts = string_at(*container, "message_ts");
  if (const auto* view = object_at(*o, "view")) {
    out.view_callback_id = string_at(*view, "callback_id");
    out.view_private_metadata = string_at(*view, "private_metadata");
    if (const auto* state = object_at(*view, "state")) {
      if (const auto* values = object_at(*state, "values")) {
        if (const auto* block = object_at(*values, kReplyBlock)) {
          if (const auto* input = object_at(*block, kReplyInput)) out.view_text = string_at(*input, "value");
        }
      }
    }
  }
  if (const auto* actions = o->if_contains("actions"); actions && actions->is_array() && !actions->get_array().empty()) {
    if (const auto* first = actions->get_array()[0].if_object()) {
      out.action_id = string_at(*first, "action_id");
      out.value = string_at(*first, "value");
      out.block_id = string_at(*first, "block_id");
    }
  }
  return out;
}

bool response_url_allowed(std::string_view response_url, std::string_view webhook_url) {
  const auto a = parse_http_url(response_url);
  const auto b = parse_http_url(webhook_url);
  if (!a || !b) return false;
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  };
  return a->tls == b->tls && lower(a->host) == lower(b->host) && a->port == b->port;
}

SlackActions::SlackActions(std::vector<SlackActionChannel> channels, ActionHandler& handler, HttpClient& http,
                           AlertLookup lookup, Spawn spawn, std::shared_ptr<spdlog::logger> log)
    : channels_(std::move(channels)),
      handler_(handler),
      http_(http),
      lookup_(std::move(lookup)),
      spawn_(std::move(spawn)),
      log_(std::move(log)) {}

asio::awaitable<SlackHttpReply> SlackActions::handle(Headers headers, std::string body, TimePoint now) {
  const auto timestamp = find_header(headers, "X-Slack-Request-Timestamp");
  const auto signature = find_header(headers, "X-Slack-Signature");
  const SlackActionChannel* from = nullptr;
  SignatureCheck worst = SignatureCheck::missing;
  for (const auto& ch : channels_) {
    const SignatureCheck c = verify_slack_signature(ch.config.signing_secret.value(), timestamp, signature, body, now);
    if (c == SignatureCheck::ok) {
      from = &ch;
      break;
    }
    worst = c;
  }
  if (!from) {
    static constexpr std::string_view kWhy[] = {"ok", "missing signature headers", "bad timestamp",
                                                "timestamp outside the 5-minute window", "signature mismatch"};
    if (log_) log_->warn("slack actions: request refused: {}", kWhy[static_cast<int>(worst)]);
    co_return SlackHttpReply{401, "invalid signature"};
  }
  auto parsed = parse_slack_interaction(body);
  if (!parsed) {
    if (log_) log_->warn("slack actions: {}", parsed.error().message());
    co_return SlackHttpReply{400, "bad payload"};
  }
  const SlackInteraction& in = *parsed;
  if (in.type == "view_submission" && in.view_callback_id == kReplyModal && replies_)
    co_return co_await handle_submission(*from, in);
  if (in.type != "block_actions") co_return SlackHttpReply{200, ""};  // other interactions are not ours
  if (in.action_id == kSlackOpenReview) co_return SlackHttpReply{200, ""};  // a link: the browser opened it
  if (replies_) {
    if (const auto reply = decode_slack_reply_action(in.action_id, in.value))
      co_return co_await handle_reply_button(*from, in, reply->button == ReplyButton::edit, reply->id);
  }
  const auto data = decode_slack_action(in.action_id, in.value);
  if (!data) {
    if (log_) log_->warn("slack actions: channel {}: a click on a button that is not ours ignored", from->config.name);
    co_return SlackHttpReply{200, ""};
  }
  ActionRequest req;
  req.channel = from->config.name;
  req.actor = Actor{"slack", in.user_id, in.user_name.empty() ? in.user_id : "@" + in.user_name};
  req.username = in.user_name.empty() ? "" : "@" + in.user_name;
  req.data = *data;
  const ActionResponse resp = co_await handler_.act(req);

  if (in.response_url.empty()) co_return SlackHttpReply{200, ""};
  if (!response_url_allowed(in.response_url, from->config.webhook_url.value())) {
    if (log_) log_->warn("slack actions: channel {}: response_url is not on the webhook's host; not used",
                         from->config.name);
    co_return SlackHttpReply{200, ""};
  }
  // A change (or a repeat) replaces the message with its current state; anything else is told to
  // the user alone.
  std::string reply;
  if (resp.kind == ActionResultKind::changed || resp.kind == ActionResultKind::unchanged) {
    if (auto request = co_await lookup_(data->mention_id, from->config.name); request && request->mention) {
      const Strings& strings = strings_for(from->render.locale);
      reply = build_slack_replacement(build_alert_content(*request, from->zone, strings), strings, true);
    }
  }
  if (reply.empty()) {
    reply = json::serialize(json::object{{"response_type", "ephemeral"}, {"replace_original", false},
                                         {"text", escape_slack(resp.text)}});
  }
  spawn_("slack response", post_response(&http_, in.response_url, std::move(reply), from->config, log_));
  co_return SlackHttpReply{200, ""};
}

std::string encode_modal_state(const ReplyModalState& state) {
  return json::serialize(json::object{
      {"c", state.channel}, {"m", state.mention_id}, {"e", state.edit}, {"u", state.response_url}});
}

std::optional<ReplyModalState> decode_modal_state(std::string_view metadata) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(metadata, ec);
  const json::object* o = ec ? nullptr : parsed.if_object();
  if (!o) return std::nullopt;
  ReplyModalState out;
  out.channel = string_at(*o, "c");
  out.response_url = string_at(*o, "u");
  const json::value* m = o->if_contains("m");
  const json::value* e = o->if_contains("e");
  if (!m || !m->is_int64() || m->get_int64() <= 0 || !e || !e->is_bool() || out.channel.empty()) return std::nullopt;
  out.mention_id = m->get_int64();
  out.edit = e->get_bool();
  return out;
}

std::string build_reply_modal(std::string_view trigger_id, const DraftReply& draft, const ReplyModalState& state,
                              std::size_t max_chars, std::string_view locale) {
  const bool en = locale.substr(0, 2) == "en";
  const ReplyWords& words = reply_words_for(locale);
  auto plain = [](std::string_view text) { return json::object{{"type", "plain_text"}, {"text", text}}; };
  const std::size_t limit = std::min(max_chars == 0 ? kSlackInputMax : max_chars, kSlackInputMax);
  std::string initial = chat_safe_text(draft.draft);
  initial.resize(prefix_within(initial, limit));
  json::object input{{"type", "plain_text_input"}, {"action_id", kReplyInput}, {"multiline", true},
                     {"initial_value", initial}, {"max_length", limit}};
  std::string context = draft.heading;
  if (state.edit) context += " \u00B7 " + std::string(words.edit_note);
  json::array blocks;
  blocks.push_back(json::object{{"type", "context"}, {"elements", json::array{json::object{{"type", "plain_text"}, {"text", one_line(context, 300)}}}}});
  blocks.push_back(json::object{{"type", "input"}, {"block_id", kReplyBlock},
                                {"label", plain(en ? "Answer" : "Текст ответа")}, {"element", std::move(input)}});
  json::object view{{"type", "modal"},
                    {"callback_id", kReplyModal},
                    {"private_metadata", encode_modal_state(state)},
                    {"title", plain(en ? "Answer the review" : "Ответ на отзыв")},
                    {"submit", plain(words.post)},
                    {"close", plain(words.cancel)},
                    {"blocks", std::move(blocks)}};
  return json::serialize(json::object{{"trigger_id", trigger_id}, {"view", std::move(view)}});
}

namespace {

/// views.open with the channel's bot token; the outcome is logged (the token never is).
boost::asio::awaitable<bool> open_view(HttpClient* http, ChannelConfig channel, std::string body,
                                       std::shared_ptr<spdlog::logger> log) {
  HttpRequest req;
  req.method = "POST";
  std::string base = channel.api_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  req.url = base + "/views.open";
  req.proxy = channel.proxy;
  req.headers = {{"Content-Type", "application/json; charset=utf-8"},
                 {"Authorization", "Bearer " + channel.token.value()}};
  req.body = std::move(body);
  req.follow_redirects = false;
  req.timeout = std::chrono::seconds(3);  // the trigger expires in 3 s anyway
  const auto r = co_await http->fetch(std::move(req));
  if (!r) {
    if (log) log->warn("slack channel {}: views.open failed: {}", channel.name, r.error().code.message());
    co_return false;
  }
  boost::system::error_code ec;
  const json::value parsed = json::parse(r->body, ec);
  const json::object* o = ec ? nullptr : parsed.if_object();
  const json::value* ok = o ? o->if_contains("ok") : nullptr;
  if (r->status == 200 && ok && ok->is_bool() && ok->get_bool()) co_return true;
  if (log)
    log->warn("slack channel {}: views.open refused: HTTP {} {}", channel.name, r->status,
              o ? string_at(*o, "error") : std::string("(not JSON)"));
  co_return false;
}

std::string ephemeral(std::string_view text) {
  return json::serialize(json::object{{"response_type", "ephemeral"}, {"replace_original", false},
                                      {"text", escape_slack(text)}});
}

}  // namespace

asio::awaitable<SlackHttpReply> SlackActions::handle_reply_button(const SlackActionChannel& from,
                                                                   const SlackInteraction& in, bool edit,
                                                                   std::int64_t id) {
  ReplyAsker who;
  who.channel = from.config.name;
  who.actor = Actor{"slack", in.user_id, in.user_name.empty() ? in.user_id : "@" + in.user_name};
  who.username = in.user_name.empty() ? "" : "@" + in.user_name;
  DraftReply draft = co_await replies_->draft(who, id, edit);
  const bool url_ok = !in.response_url.empty() && response_url_allowed(in.response_url, from.config.webhook_url.value());
  if (draft.outcome == ReplyOutcome::ok && draft.can_publish && !from.config.token.empty() && !in.trigger_id.empty()) {
    ReplyModalState state{from.config.name, id, edit, url_ok ? in.response_url : std::string()};
    std::string body = build_reply_modal(in.trigger_id, draft, state, kSlackInputMax, from.render.locale);
    if (co_await open_view(&http_, from.config, std::move(body), log_)) co_return SlackHttpReply{200, ""};
  }
  // No modal (a site without an answer API, a user who may not publish, no bot token): the draft
  // to the user alone, to copy.
  std::string text = draft.text;
  if (draft.outcome == ReplyOutcome::ok)
    text = draft.heading + "\n\n" + draft.draft + "\n\n" + draft.instructions +
           (draft.review_url.empty() ? "" : "\n" + draft.review_url);
  if (url_ok) spawn_("slack response", post_response(&http_, in.response_url, ephemeral(text), from.config, log_));
  co_return SlackHttpReply{200, ""};
}

asio::awaitable<SlackHttpReply> SlackActions::handle_submission(const SlackActionChannel& from,
                                                                 const SlackInteraction& in) {
  auto errors = [](std::string_view why) {
    SlackHttpReply r{200, json::serialize(json::object{{"response_action", "errors"},
                                                        {"errors", json::object{{kReplyBlock, one_line(why, 150)}}}})};
    r.content_type = "application/json; charset=utf-8";
    return r;
  };
  const auto state = decode_modal_state(in.view_private_metadata);
  // The modal names its channel; it must be one this signing secret verifies.
  const SlackActionChannel* channel = nullptr;
  if (state) {
    for (const auto& c : channels_)
      if (c.config.name == state->channel && c.config.signing_secret.value() == from.config.signing_secret.value())
        channel = &c;
  }
  if (!state || !channel) {
    if (log_) log_->warn("slack actions: a reply modal whose state is not ours ignored");
    co_return errors(reply_words_for(from.render.locale).not_found);
  }
  ReplyAsker who;
  who.channel = channel->config.name;
  who.actor = Actor{"slack", in.user_id, in.user_name.empty() ? in.user_id : "@" + in.user_name};
  who.username = in.user_name.empty() ? "" : "@" + in.user_name;
  std::string url = state->response_url;
  if (!url.empty() && !response_url_allowed(url, channel->config.webhook_url.value())) url.clear();
  ReplyPreview p = co_await replies_->submit(who, state->mention_id, state->edit, in.view_text, std::move(url));
  if (p.outcome != ReplyOutcome::ok) co_return errors(p.text);
  co_return SlackHttpReply{200, ""};  // an empty 200 closes the modal
}

}  // namespace otklik::channels
