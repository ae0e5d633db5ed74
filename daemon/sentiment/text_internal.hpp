#pragma once
/// Character classes and helpers shared by the normaliser and the tokeniser (not a public API).

#include "daemon/sentiment/text.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace otklik::sentiment::detail {

inline constexpr char32_t kReplacement = 0xFFFD;

enum class CharClass : std::uint8_t {
  space, newline, letter, digit, mark, apostrophe, hyphen, sentence_punct, clause_punct, quote,
  open_paren, close_paren, emoji, emoji_modifier, other
};

bool is_emoji(char32_t c) noexcept;
bool is_emoji_modifier(char32_t c) noexcept;
CharClass classify(char32_t c) noexcept;
bool is_word_char(CharClass k) noexcept;
char32_t fast_fold(char32_t c) noexcept;
bool is_upper(char32_t c) noexcept;
bool is_latin(char32_t c) noexcept;
bool is_cyrillic(char32_t c) noexcept;
void append_normalized_slow(std::string_view bytes, std::string& out);
bool collapse_runs(std::string& arena, std::size_t begin, Token& t);
char32_t cyrillic_lookalike(char32_t c) noexcept;

/// Decodes the code point at `i` with fast paths for ASCII and two-byte Cyrillic (the bulk of the
/// text this engine sees); everything else goes through decode_utf8.
inline char32_t next_code_point(std::string_view s, std::size_t& i) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  if ((b0 == 0xD0 || b0 == 0xD1) && i + 1 < s.size()) {
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if ((b1 & 0xC0) == 0x80) {
      i += 2;
      return (static_cast<char32_t>(b0 & 0x1F) << 6) | (b1 & 0x3F);
    }
  }
  return decode_utf8(s, i);
}

/// classify() with the common cases inline.
inline CharClass classify_fast(char32_t c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0x410 && c <= 0x44F)) return CharClass::letter;
  if (c == ' ') return CharClass::space;
  return classify(c);
}

/// fast_fold() inline for ASCII and basic Cyrillic; 0 when utf8proc is needed.
inline char32_t fold_fast(char32_t c) noexcept {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c >= 0x430 && c <= 0x44F) return c;
  if (c == 0x401 || c == 0x451) return 0x435;
  return 0;
}

/// Appends `cp` (below U+0800) to `out` without the general encoder.
inline void append_small(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else {
    const char two[2] = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    out.append(two, 2);
  }
}

}  // namespace otklik::sentiment::detail
