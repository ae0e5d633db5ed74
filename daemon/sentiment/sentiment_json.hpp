#pragma once
/// Rendering a Sentiment for people and programs: one JSON line for `otklik score --json` and a
/// short plain-text form for the terminal. Also the small JSON helpers the eval report shares.
/// JSON is written here rather than by Boost.JSON's serializer, which prints 0.35 as `3.5E-1` and
/// passes invalid UTF-8 through; tests check every output with Boost.JSON's parser. The helpers
/// need no library, so the scorer library stays free of a Boost.JSON link.

#include "daemon/sentiment/scorer.hpp"

#include <string>
#include <string_view>

namespace otklik {

/// A JSON string literal (with quotes) for `text`: every invalid UTF-8 sequence (stray
/// continuation bytes, overlongs, surrogates, truncated sequences, code points over U+10FFFF)
/// replaced by U+FFFD, then `"`, `\` and control characters escaped. Valid UTF-8 is kept as is.
[[nodiscard]] std::string json_quote(std::string_view text);
/// Appends json_quote(text) to `out` (no string of its own: a line of JSON holds a dozen).
void append_json_quote(std::string& out, std::string_view text);

/// A JSON number for `value` rounded to `decimals` places, shortest form ("0.35", "-1", "0").
/// NaN and infinities, which JSON cannot hold, become 0.
[[nodiscard]] std::string json_number(double value, int decimals = 4);
/// Appends json_number(value, decimals) to `out` (a line of JSON holds a dozen numbers).
void append_json_number(std::string& out, double value, int decimals = 4);

/// A JSON number that reads back as exactly `value`: the shortest such form ("-0.58", "13.8",
/// "1e-09", "0"), for stored data that must come back as it was written. NaN and infinities,
/// which JSON cannot hold, become 0.
void append_json_exact(std::string& out, double value);
/// A JSON integer.
void append_json_integer(std::string& out, long long value);
/// Opens a span of a stored detail (a sentence, a claim): `[begin,end,score` with the score
/// exact, after a comma unless it is the list's first; the caller adds the rest and the `]`.
void append_json_span(std::string& out, bool first, std::size_t begin, std::size_t end, double score);

/// One line of JSON (no trailing newline) for `otklik score --json`:
/// {"label":"negative","score":-0.62,"confidence":0.8,"lang":"ru",
///  "sentences":[{"text":"…","score":-0.7,"label":"negative"}],"why":[{"term":"…","weight":-2.5}]}
/// `text` is the text that was scored: sentence offsets are taken from it (clamped to its size).
[[nodiscard]] std::string to_json_line(const Sentiment& sentiment, std::string_view text);
/// Appends to_json_line(sentiment, text) to `out` (a command's output buffer: no string of its own).
void append_json_line(std::string& out, const Sentiment& sentiment, std::string_view text);

/// The plain form for `otklik score` without --json: a headline with label, score, confidence and
/// language, the contributing terms, then each sentence with its score. Ends with a newline.
[[nodiscard]] std::string to_text(const Sentiment& sentiment, std::string_view text);

}  // namespace otklik
