#pragma once
/// UTF-8 helpers shared by the renderers: the chat APIs count characters differently (Telegram and
/// Slack in UTF-16 code units, Mattermost in code points), and a cut must never split a sequence.

#include "daemon/core/utf8.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace otklik::channels {

/// Replaces invalid UTF-8 (bad lead bytes, truncated or overlong sequences, surrogates) with U+FFFD
/// and drops NUL and other C0 controls except tab and newline (chat APIs reject or mangle them).
std::string chat_safe_text(std::string_view text);

/// Length of the UTF-8 sequence starting with lead byte `c` (1 for invalid leads).
std::size_t utf8_sequence_length(unsigned char c) noexcept;

/// Decodes the code point at `pos` (valid UTF-8 assumed; invalid bytes decode as themselves) and
/// advances `pos` past it.
char32_t next_code_point(std::string_view text, std::size_t& pos) noexcept;

/// UTF-16 code units of valid UTF-8 text: 2 for code points above U+FFFF, else 1.
std::size_t utf16_length(std::string_view text) noexcept;
/// UTF-16 code units of one code point.
constexpr std::size_t utf16_units(char32_t cp) noexcept { return cp > 0xFFFF ? 2 : 1; }

/// Code points of valid UTF-8 text.
std::size_t code_point_length(std::string_view text) noexcept;

/// The largest prefix of `text` with at most `max_code_points` code points, cut at a code point
/// boundary and, when possible, at the last space in the final fifth of the prefix.
/// Returns the byte length of that prefix.
std::size_t prefix_within(std::string_view text, std::size_t max_code_points) noexcept;

/// Trims ASCII whitespace at both ends.
std::string_view trim(std::string_view text) noexcept;

}  // namespace otklik::channels
