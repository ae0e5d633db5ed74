#pragma once
/// The Telegram public channel preset: the channel's web preview, https://t.me/s/NAME (public
/// channels only; no bot or account needed). The page lists the newest posts, each a
/// div.tgme_widget_message with data-post="NAME/ID", the text in div.tgme_widget_message_text,
/// the channel's name in .tgme_widget_message_owner_name, the author's signature (channels that
/// sign posts) in .tgme_widget_message_from_author, and the post's link and time in
/// a.tgme_widget_message_date > time[datetime]; the channel's title heads the page in
/// .tgme_channel_info_header_title. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses the preview page into mentions: id = "NAME/ID", text, author = the post's owner name
/// (the channel's name), else its signature, else the channel's title on the page, else NAME;
/// url = https://t.me/NAME/ID, date = the post's time. Posts without text (a photo alone) are
/// skipped with a warning.
Result<ParsedPage> parse_telegram_channel(const ParseInput& input);

/// https://t.me/s/CHANNEL (the public name without '@').
std::string telegram_channel_url(std::string_view channel);

/// The next (older) page: `before` = the smallest post id on the page; nullopt when the page held
/// no posts.
std::optional<std::string> next_telegram_channel_page(std::string_view url, std::string_view body,
                                                      const ParsedPage& page);

}  // namespace otklik
