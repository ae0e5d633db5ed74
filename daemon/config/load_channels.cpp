/// [[channel]]: common keys, then the keys of its type; secrets resolved, never shown.
#include "daemon/config/checks.hpp"
#include "daemon/config/load_parts.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace otklik::config_detail {
namespace {

struct TypeKeys {
  std::string_view type;
  std::array<std::string_view, 6> keys;  ///< "" pads
};

constexpr std::array<TypeKeys, 6> kChannelTypes{{
    {"telegram", {"token", "chat_id", "api_url", "actions", "allowed_users", "reply_users"}},
    {"slack", {"webhook_url", "signing_secret", "actions", "reply_users", "bot_token", "api_url"}},
    {"mattermost", {"webhook_url", "", "", "", "", ""}},
    {"webhook", {"url", "headers", "", "", "", ""}},
    {"console", {"", "", "", "", "", ""}},
    {"email", {"to", "", "", "", "", ""}},
}};

const TypeKeys* find_type(std::string_view type) {
  for (const auto& t : kChannelTypes)
    if (t.type == type) return &t;
  return nullptr;
}

bool looks_like_credential(std::string_view header) {
  std::string h(header);
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::string_view word : {"authorization", "cookie", "token", "key", "secret", "signature", "password"})
    if (h.find(word) != std::string::npos) return true;
  return false;
}

bool header_name_ok(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x80 && std::isalnum(u) != 0) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

void read_telegram(TableReader& r, ChannelConfig& ch, LoadContext& ctx) {
  if (read_secret(r, "token", ch.token, true, true, ctx.base_dir)) {
    const std::string& v = ch.token.value();
    auto colon = v.find(':');
    bool shape = colon != std::string::npos && colon > 0 && colon + 1 < v.size() &&
                 std::all_of(v.begin(), v.begin() + static_cast<long>(colon), [](unsigned char c) { return std::isdigit(c); });
    if (!shape) r.warn("token", "the resolved value does not look like a bot token (\"123456:ABC…\" from @BotFather)");
  }
  const toml::node* chat = r.get("chat_id");
  if (chat == nullptr) {
    r.error("chat_id", "is required");
  } else if (const auto* i = chat->as_integer()) {
    ch.chat_id = std::to_string(i->get());
  } else if (const auto* s = chat->as_string()) {
    const std::string& v = s->get();
    bool numeric = !v.empty() && std::all_of(v.begin() + (v[0] == '-' ? 1 : 0), v.end(),
                                             [](unsigned char c) { return std::isdigit(c); }) &&
                   v != "-";
    bool username = v.size() > 1 && v[0] == '@' && valid_name(v.substr(1));
    if (numeric || username)
      ch.chat_id = v;
    else
      r.error("chat_id", "expected a numeric chat id (-1001234567890) or \"@channelname\", got \"" + v + "\"");
  } else {
    r.error("chat_id", "expected an integer or a string, got " + std::string(type_name(*chat)));
  }
  std::string api;
  if (r.string("api_url", api)) {
    while (api.size() > 1 && api.back() == '/') api.pop_back();
    if (auto problem = check_url(api, {"http", "https"}))
      r.error("api_url", *problem);
    else
      ch.api_url = api;
  }
  r.boolean("actions", ch.actions);
  if (r.string_list("allowed_users", ch.allowed_users)) {
    for (const auto& user : ch.allowed_users) {
      bool numeric = std::all_of(user.begin(), user.end(), [](unsigned char c) { return std::isdigit(c); });
      bool username = user.size() > 1 && user[0] == '@' && valid_name(user.substr(1));
      if (!numeric && !username)
        r.error("allowed_users", "expected numeric user ids (123456789) or \"@username\", got \"" + user + "\"");
    }
  }
  if (r.string_list("reply_users", ch.reply_users)) {
    for (const auto& user : ch.reply_users) {
      bool numeric = !user.empty() && std::all_of(user.begin(), user.end(), [](unsigned char c) { return std::isdigit(c); });
      bool username = user.size() > 1 && user[0] == '@' && valid_name(user.substr(1));
      if (!numeric && !username)
        r.error("reply_users", "expected numeric user ids (123456789) or \"@username\", got \"" + user + "\"");
    }
  }
}

void read_slack(TableReader& r, ChannelConfig& ch, LoadContext& ctx) {
  read_secret(r, "signing_secret", ch.signing_secret, false, true, ctx.base_dir);
  // The bot token opens the reply modal (views.open); the Web API's base URL is a key for tests.
  if (read_secret(r, "bot_token", ch.token, false, true, ctx.base_dir) && !ch.token.value().starts_with("xoxb-"))
    r.warn("bot_token", "the resolved value does not look like a bot token (\"xoxb-…\" from the app's OAuth page)");
  ch.api_url = "https://slack.com/api";
  std::string api;
  if (r.string("api_url", api)) {
    while (api.size() > 1 && api.back() == '/') api.pop_back();
    if (auto problem = check_url(api, {"http", "https"})) r.error("api_url", *problem);
    else ch.api_url = api;
  }
  ch.actions = !ch.signing_secret.value().empty();
  bool actions = ch.actions;
  if (r.boolean("actions", actions)) {
    if (actions && ch.signing_secret.value().empty())
      r.error("actions", "needs signing_secret: Slack's button clicks are verified with the app's signing secret");
    ch.actions = actions && !ch.signing_secret.value().empty();
  }
  if (r.string_list("reply_users", ch.reply_users)) {
    for (const auto& user : ch.reply_users) {
      // Slack user ids: "U…" or "W…" (Enterprise Grid), upper-case letters and digits.
      bool id = user.size() >= 2 && (user[0] == 'U' || user[0] == 'W') &&
                std::all_of(user.begin(), user.end(), [](unsigned char c) { return std::isupper(c) || std::isdigit(c); });
      if (!id) r.error("reply_users", "expected Slack user ids (\"U012AB3CD\"), got \"" + user + "\"");
    }
    if (!ch.reply_users.empty() && !ch.actions)
      r.error("reply_users", "needs the channel's actions (signing_secret): answers are published from the alert's buttons");
  }
}

void read_email(TableReader& r, ChannelConfig& ch) {
  if (!r.string_list("to", ch.to)) {
    if (r.get("to") == nullptr) r.error("to", "is required: the recipients' addresses");
    return;
  }
  if (ch.to.empty()) r.error("to", "must name at least one address");
  for (const auto& address : ch.to)
    if (auto problem = check_email(address)) r.error("to", "\"" + address + "\" " + *problem);
}

void read_webhook(TableReader& r, ChannelConfig& ch, LoadContext& ctx) {
  if (r.required_string("url", ch.url)) {
    if (auto problem = check_url(ch.url, {"http", "https"})) r.error("url", *problem);
  }
  const toml::node* headers = r.get("headers");
  if (headers == nullptr) return;
  const auto* t = headers->as_table();
  if (t == nullptr) {
    r.error("headers", "expected a table of header name = value, got " + std::string(type_name(*headers)));
    return;
  }
  TableReader h(*t, r.path("headers"), r.line("headers"), ctx.problems);
  std::vector<std::pair<int, std::string>> names;
  for (const auto& [k, v] : *t) names.emplace_back(static_cast<int>(k.source().begin.line), std::string(k.str()));
  std::stable_sort(names.begin(), names.end());
  for (const auto& [line, name] : names) {
    if (!header_name_ok(name)) {
      h.get(name);
      h.error(name, "is not a valid HTTP header name");
      continue;
    }
    Secret value;
    if (!read_secret(h, name, value, true, looks_like_credential(name), ctx.base_dir)) continue;
    if (has_control_chars(value.value())) {
      h.error(name, "the resolved value contains control characters");
      continue;
    }
    ch.headers.emplace_back(name, std::move(value));
  }
}

}  // namespace

// Reads a secret reference at `key` and resolves it. Problems name the key and the reference,
// never the value.
bool read_secret(TableReader& r, std::string_view key, Secret& out, bool required, bool warn_literal,
                 const std::filesystem::path& base_dir, bool whole_file) {
  std::string reference;
  if (required) {
    if (!r.required_string(key, reference)) return false;
  } else if (!r.string(key, reference) || reference.empty()) {
    return false;
  }
  auto resolved = resolve_secret(reference, base_dir, whole_file);
  if (!resolved) {
    r.error(key, "cannot resolve the secret \"" + reference + "\": " + resolved.error().detail);
    return false;
  }
  if (resolved->literal() && warn_literal)
    r.warn(key, "the secret is written in the config file; put it in \"env:NAME\" or \"file:PATH\"");
  out = std::move(*resolved);
  return true;
}

void load_channels(toml::node& node, Config& config, LoadContext& ctx) {
  std::vector<std::pair<std::string, int>> seen;
  for_each_table(node, "channel", ctx.problems, [&](TableItem& item) {
    TableReader r(item.table, item.prefix, item.line, ctx.problems);
    ChannelConfig ch;
    ch.line = item.line;
    bool named = read_name(r, "channel", ch.name, seen);
    r.required_string("type", ch.type);
    r.duration("max_backoff", ch.max_backoff, std::chrono::seconds(1));
    std::string locale;
    if (r.string("locale", locale)) {
      if (locale == "ru" || locale == "en")
        ch.locale = locale;
      else
        r.error("locale", "expected \"ru\" or \"en\", got \"" + locale + "\"");
    }
    const TypeKeys* type = find_type(ch.type);
    if (ch.type == "email" || ch.type == "console") {
      for (std::string_view key : {"proxy", "proxy_password"}) {
        if (r.get(key) != nullptr)
          r.error(key, "applies to HTTP channels (telegram, slack, mattermost, webhook) only; " +
                           std::string(ch.type == "email" ? "an email" : "a console") + " channel makes no HTTP requests");
      }
    } else {
      read_proxy(r, ch.proxy, ctx.base_dir);
    }
    if (type == nullptr) {
      if (!ch.type.empty())
        r.error("type", "unknown channel type \"" + ch.type + "\" (telegram, slack, mattermost, webhook, email, console)");
      for (const auto& k : r.unread_keys()) r.accept(k);  // keys of an unknown type are not judged
    } else if (ch.type == "telegram") {
      read_telegram(r, ch, ctx);
    } else if (ch.type == "slack" || ch.type == "mattermost") {
      if (read_secret(r, "webhook_url", ch.webhook_url, true, true, ctx.base_dir) &&
          check_url(ch.webhook_url.value(), {"http", "https"}))
        r.error("webhook_url", "the resolved value is not an http(s) URL");
      if (ch.type == "slack") read_slack(r, ch, ctx);
      else ch.actions = false;
    } else if (ch.type == "email") {
      ch.actions = false;
      read_email(r, ch);
    } else if (ch.type == "webhook") {
      ch.actions = false;
      read_webhook(r, ch, ctx);
    } else if (ch.type == "console") {
      ch.actions = false;
    }
    if (type != nullptr) {
      for (const auto& key : r.unread_keys()) {
        for (const auto& other : kChannelTypes) {
          if (std::find(other.keys.begin(), other.keys.end(), key) != other.keys.end()) {
            r.accept(key);
            r.error(key, "is not a key of a " + ch.type + " channel (it belongs to " + std::string(other.type) + ")");
            break;
          }
        }
      }
      r.report_unknown("a " + ch.type + " [[channel]]");
    }
    if (named) config.channels.push_back(std::move(ch));
  });
}

}  // namespace otklik::config_detail
