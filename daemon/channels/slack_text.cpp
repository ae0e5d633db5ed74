#include "daemon/channels/slack_text.hpp"

#include "daemon/channels/text_util.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

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

constexpr Markup kSlack{escape_slack, slack_strong, slack_emphasis, slack_link};

boost::json::object section(std::string text) {
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", std::move(text)}}}};
}

}  // namespace

std::string escape_slack(std::string_view text) {
  const std::string clean = chat_safe_text(text);
  std::string out;
  out.reserve(clean.size());
  for (char c : clean) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out.push_back(c);
    }
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

std::string build_slack_payload(const AlertContent& content, const Strings& strings) {
  const RenderedAlert r = render_alert(content, strings, kSlack);
  boost::json::array blocks;
  auto add = [&](const std::string& text) {
    for (auto& piece : split_slack_text(text)) {
      if (blocks.size() + 1 >= kSlackMaxBlocks) return;  // keep one for the foot
      if (!trim(piece).empty()) blocks.push_back(section(std::move(piece)));
    }
  };
  add(r.head);
  add(r.body);
  for (auto& piece : split_slack_text(r.foot)) {
    if (blocks.size() < kSlackMaxBlocks && !trim(piece).empty()) blocks.push_back(section(std::move(piece)));
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
  boost::json::object body{{"text", fallback}, {"blocks", std::move(blocks)},
                           {"unfurl_links", false}, {"unfurl_media", false}};
  return boost::json::serialize(body);
}

}  // namespace otklik::channels
