#pragma once
/// Slack incoming-webhook messages: mrkdwn escaping (https://api.slack.com/reference/surfaces/formatting#escaping)
/// and the Block Kit payload within Slack's limits.
///
/// Only & < > are control characters in Slack text: escaping them means review text can never
/// form <!channel>, <!here>, <!everyone>, <@U123> or a <http://x|label> link of its own. A bare
/// "@here" is plain text in webhook messages (we never set link_names).

#include "daemon/channels/alert_render.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::channels {

/// The action_id of the "open the review" link button: Slack reports its clicks too; they are
/// acknowledged and otherwise ignored.
inline constexpr std::string_view kSlackOpenReview = "otk1_open";

/// A section block's text: at most 3000 characters.
inline constexpr std::size_t kSlackSectionMax = 3000;
/// A message: at most 50 blocks.
inline constexpr std::size_t kSlackMaxBlocks = 50;

/// Text that Slack shows as written (after sanitising UTF-8): & < > → &amp; &lt; &gt;; the
/// formatting characters * _ ` ~ (and their full-width forms) → look-alikes Slack does not parse
/// (∗ ˍ ˋ ∼); a ">" that would start a quote gets an invisible soft hyphen in front.
std::string escape_slack(std::string_view text);

/// Markup for render_alert(): *bold* and _italic_ per line, <url|label> links.
const Markup& slack_markup() noexcept;

/// Splits escaped mrkdwn into pieces of at most `max_units` UTF-16 units, cutting after a line
/// break, else after a space, else anywhere — never inside an &entity; or a UTF-8 sequence.
std::vector<std::string> split_slack_text(std::string_view escaped, std::size_t max_units = kSlackSectionMax);

/// The message: {"text": fallback, "blocks": [...]}. Sections hold the heading and facts, the
/// review (in as many sections as it needs), and the score; then the case's status lines (a
/// context block) and, with `with_actions` and a case, an actions block of buttons (action_id
/// "otk1_<action>", value "<mention id>", block_id "otk1_<mention id>_<state>" so that each
/// iteration of the message has its own); at most kSlackMaxBlocks blocks.
boost::json::object build_slack_message(const AlertContent& content, const Strings& strings, bool with_actions);

/// The JSON body for the webhook: build_slack_message() with "unfurl_links": false and
/// "unfurl_media": false.
std::string build_slack_payload(const AlertContent& content, const Strings& strings, bool with_actions = false);

/// The JSON body for a response_url that replaces the clicked message in place:
/// build_slack_message() with "replace_original": true.
std::string build_slack_replacement(const AlertContent& content, const Strings& strings, bool with_actions);

}  // namespace otklik::channels
