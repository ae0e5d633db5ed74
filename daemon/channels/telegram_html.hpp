#pragma once
/// Telegram's HTML parse mode (https://core.telegram.org/bots/api#html-style): escaping, the
/// alert markup, and a splitter for the 4096-character limit. Telegram counts that limit in UTF-16
/// code units of the text after entity parsing: tags count nothing, "&amp;" counts one.

#include "daemon/channels/alert_render.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::channels {

/// sendMessage's limit: "1-4096 characters after entities parsing".
inline constexpr std::size_t kTelegramMaxUnits = 4096;

/// Escapes text for HTML mode: & < > become &amp; &lt; &gt;, " becomes &quot;. Invalid UTF-8 and
/// control characters are replaced/removed first.
std::string escape_telegram_html(std::string_view text);
/// Escapes an attribute value (href): the same set, which includes the quote.
std::string escape_telegram_attribute(std::string_view value);

/// The markup functions for render_alert(): <b>, <i>, <a href="…">.
const Markup& telegram_markup() noexcept;

/// The alert as one Telegram HTML text (maybe longer than the limit; see split_telegram_html).
std::string render_telegram_html(const AlertContent& content, const Strings& strings);

/// The text Telegram shows for `html`: tags removed, entities decoded.
std::string telegram_visible_text(std::string_view html);
/// UTF-16 code units of telegram_visible_text(html): what the limit is checked against.
std::size_t telegram_length(std::string_view html);

/// Splits well-formed Telegram HTML into parts of at most `max_units` (after entity parsing).
/// Cuts prefer a blank line, then a line break, then a space (each when it keeps the part at least
/// half full), else any character boundary; never inside a tag, an entity or a UTF-8 sequence
/// (so never between a surrogate pair). Tags open at a cut are closed at the end of the part and
/// reopened, with their attributes, at the start of the next. Concatenating the parts' visible
/// text gives the input's visible text. Parts without visible text are left out.
std::vector<std::string> split_telegram_html(std::string_view html, std::size_t max_units = kTelegramMaxUnits);

}  // namespace otklik::channels
