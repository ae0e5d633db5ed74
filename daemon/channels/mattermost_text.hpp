#pragma once
/// Mattermost incoming-webhook messages: Markdown with the review text escaped so that it cannot
/// mention anyone (@channel, @all, @here, @user), link to a channel (~town-square), or bring its
/// own formatting, links or headings.

#include "daemon/channels/alert_render.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace otklik::channels {

/// A post's limit in characters (code points) since Mattermost 5.0.
inline constexpr std::size_t kMattermostMaxChars = 16383;

/// Backslash-escapes Markdown punctuation (\ ` * _ ~ [ ] ( ) < > # | !), list and heading
/// markers at the start of a line, and puts a zero-width space after each '@' so that no
/// mention is formed.
std::string escape_mattermost(std::string_view text);

/// Markup for render_alert(): **bold** and _italic_ per line, [label](url) links.
const Markup& mattermost_markup() noexcept;

/// The JSON body for the webhook: {"text": markdown}, cut at a line break to the post limit.
std::string build_mattermost_payload(const AlertContent& content, const Strings& strings);

}  // namespace otklik::channels
