#include "daemon/channels/slack_text.hpp"

#include "daemon/channels/text_util.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <span>

namespace otklik::channels {
namespace {

std::string slack_strong(std::string_view escaped) { return wrap_lines(escaped, "*", "*"); }
std::string slack_emphasis(std::string_view escaped) { return wrap_lines(escaped, "_", "_"); }
std::string slack_link(std::string_view url, std::string_view label) {
  std::string u;
  for (char c : url) {
    if (c == '|') u += "%7C";
    else if (c == '&') u += "&amp;";
    else u.push_back(c);
  }
  return fmt::format("<{}|{}>", u, label);
}

/// A configured mention passes as Slack's own syntax only when it is one: <@U…>, <@W…> or
/// <!subteam^S…>; anything else is escaped text.
std::string slack_mention(std::string_view who) {
  auto id_chars = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)); });
  };
  if (who.size() > 4 && who.starts_with("<@") && who.ends_with(">") && (who[2] == 'U' || who[2] == 'W') &&
      id_chars(who.substr(2, who.size() - 3)))
    return std::string(who);
  if (who.starts_with("<!subteam^") && who.ends_with(">") && id_chars(who.substr(10, who.size() - 11)))
    return std::string(who);
  return escape_slack(who);
}

constexpr Markup kSlack{escape_slack, slack_strong, slack_emphasis, slack_link, slack_mention};

/// The actions offered, as a short key for block ids ("take-answer-dismiss").
std::string actions_state_key(const AlertContent& content) {
  std::string key;
  for (CaseAction a : content.actions) key += (key.empty() ? "" : "-") + std::string(to_string(a));
  if (content.reply_offer != ReplyOffer::none) key += "-r" + std::to_string(static_cast<int>(content.reply_offer));
  return key;
}

boost::json::object section(std::string text) {
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", std::move(text)}}}};
}

}  // namespace

std::string escape_slack(std::string_view text) {
  // Slack's mrkdwn has no escape character: a formatting character in text is replaced by a
  // look-alike that Slack does not parse (a zero-width space would do the opposite: it makes
  // Slack format inside words). Full-width forms are delimiters in Slack too.
  struct LookAlike {
    std::string_view from, to;
  };
  static constexpr LookAlike kLookAlikes[] = {
      {"*", "\u2217"},          {"_", "\u02CD"},      {"`", "\u02CB"},      {"~", "\u223C"},
      {"\uFF0A", "\uFE61"},    {"\uFF3F", "\u2E0F"}, {"\uFF40", "\u02CB"}, {"\uFF5E", "\u223C"},
  };
  const std::string clean = chat_safe_text(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  bool line_start = true;
  for (std::size_t i = 0; i < clean.size();) {
    const char c = clean[i];
    bool replaced = false;
    const bool maybe = c == '*' || c == '_' || c == '`' || c == '~' || c == '\xEF';  // \xEF: full-width lead byte
    for (const auto& l : maybe ? std::span(kLookAlikes) : std::span<const LookAlike>{}) {
      if (std::string_view(clean).substr(i).starts_with(l.from)) {
        out += l.to;
        i += l.from.size();
        replaced = true;
        break;
      }
    }
    if (replaced) {
      line_start = false;
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      // ">" (escaped or not) or its full-width form at the start of a line is a quote: an
      // invisible soft hyphen in front keeps it text.
      case '>': out += line_start ? "\u00AD&gt;" : "&gt;"; break;
      default:
        if (line_start && std::string_view(clean).substr(i).starts_with("\uFF1E")) out += "\u00AD";
        out.push_back(c);
    }
    if (c == '\n') line_start = true;
    else if (c != ' ' && c != '\t') line_start = false;
    ++i;
  }
  return out;
}

const Markup& slack_markup() noexcept { return kSlack; }

std::vector<std::string> split_slack_text(std::string_view text, std::size_t max_units) {
  std::vector<std::string> parts;
  max_units = std::max<std::size_t>(max_units, 8);  // room for the longest entity
  while (!text.empty()) {
    std::size_t pos = 0;
    std::size_t units = 0;
    std::size_t hard = 0, line = 0, space = 0;
    while (pos < text.size()) {
      std::size_t next = pos;
      std::size_t cost = 0;
      if (text[pos] == '&') {
        const std::size_t semi = text.find(';', pos);
        next = semi != std::string_view::npos && semi - pos <= 6 ? semi + 1 : pos + 1;
        cost = next - pos;  // Slack counts the escaped form
      } else {
        cost = utf16_units(next_code_point(text, next));
      }
      if (units + cost > max_units) break;
      units += cost;
      if (text[pos] == '\n') line = next;
      else if (text[pos] == ' ') space = next;
      pos = next;
      hard = pos;
    }
    std::size_t cut = text.size();
    if (pos < text.size()) cut = line > hard / 2 ? line : space > hard / 2 ? space : hard;
    parts.emplace_back(text.substr(0, cut));
    text.remove_prefix(cut);
  }
  return parts;
}

boost::json::object build_slack_message(const AlertContent& content, const Strings& strings, bool with_actions) {
  const RenderedAlert r = render_alert(content, strings, kSlack);
  const bool buttons = with_actions && content.has_case && !content.actions.empty();
  // Blocks kept free for the foot, the status and the buttons.
  const std::size_t reserved = 1 + (r.status.empty() ? 0 : 1) + (buttons ? 1 : 0);
  boost::json::array blocks;
  auto add = [&](const std::string& text) {
    for (auto& piece : split_slack_text(text)) {
      if (blocks.size() + reserved >= kSlackMaxBlocks) return;
      if (!trim(piece).empty()) blocks.push_back(section(std::move(piece)));
    }
  };
  add(r.head);
  add(r.body);
  add(r.points);
  for (auto& piece : split_slack_text(r.foot)) {
    if (blocks.size() + reserved - 1 < kSlackMaxBlocks && !trim(piece).empty()) blocks.push_back(section(std::move(piece)));
  }
  if (!r.status.empty()) {
    // A context block's text has the same 3000-character limit; status lines are short.
    auto pieces = split_slack_text(r.status);
    blocks.push_back({{"type", "context"}, {"elements", {{{"type", "mrkdwn"}, {"text", pieces.front()}}}}});
  }
  if (buttons) {
    const CaseWords& words = case_words_for(strings.locale);
    boost::json::array elements;
    for (CaseAction a : content.actions) {
      boost::json::object button{{"type", "button"},
                                 {"text", {{"type", "plain_text"}, {"text", action_label(a, words)}, {"emoji", true}}},
                                 {"action_id", slack_action_id(a)},
                                 {"value", std::to_string(content.mention_id)}};
      if (a == CaseAction::take) button["style"] = "primary";
      elements.push_back(std::move(button));
    }
    // The answer to the review (docs/replies.md): a modal with the draft, or the review's page.
    const ReplyWords& rw = reply_words_for(strings.locale);
    auto reply_button = [&](std::string_view label, ReplyButton b) {
      elements.push_back(boost::json::object{{"type", "button"},
                                             {"text", {{"type", "plain_text"}, {"text", label}, {"emoji", true}}},
                                             {"action_id", slack_reply_action_id(b)},
                                             {"value", std::to_string(content.mention_id)}});
    };
    switch (content.reply_offer) {
      case ReplyOffer::none: break;
      case ReplyOffer::reply: reply_button(rw.reply, ReplyButton::reply); break;
      case ReplyOffer::edit: reply_button(rw.edit, ReplyButton::edit); break;
      case ReplyOffer::draft:
        reply_button(rw.draft, ReplyButton::reply);
        if (is_web_link(content.link))
          elements.push_back(boost::json::object{
              {"type", "button"},
              {"text", {{"type", "plain_text"}, {"text", rw.open_review}, {"emoji", true}}},
              {"action_id", kSlackOpenReview},
              {"url", content.link}});
        break;
    }
    // A new block_id per state: Slack clients keep a block's interactive state by its id.
    const std::string block_id = fmt::format("otk1_{}_{}", content.mention_id, actions_state_key(content));
    blocks.push_back({{"type", "actions"}, {"block_id", block_id}, {"elements", std::move(elements)}});
  }
  // The fallback shown in notifications: heading, brand and source, one line.
  std::string fallback;
  if (content.kind == ContentKind::notice) {
    fallback = escape_slack(fmt::format("{}: {}", strings.notice, content.notice_title));
  } else {
    fallback = escape_slack(strings.negative_review);
    for (const std::string* s : {&content.brand, &content.source}) {
      if (!s->empty()) fallback += " \u00B7 " + escape_slack(*s);
    }
  }
  return boost::json::object{{"text", fallback}, {"blocks", std::move(blocks)}};
}

std::string build_slack_payload(const AlertContent& content, const Strings& strings, bool with_actions) {
  boost::json::object body = build_slack_message(content, strings, with_actions);
  body["unfurl_links"] = false;
  body["unfurl_media"] = false;
  return boost::json::serialize(body);
}

std::string build_slack_replacement(const AlertContent& content, const Strings& strings, bool with_actions) {
  boost::json::object body = build_slack_message(content, strings, with_actions);
  body["replace_original"] = true;
  return boost::json::serialize(body);
}

}  // namespace otklik::channels
