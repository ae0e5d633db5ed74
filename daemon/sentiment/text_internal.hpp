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

}  // namespace otklik::sentiment::detail
