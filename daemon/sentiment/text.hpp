#pragma once
/// Text handling for the sentiment engine: UTF-8 validation, normalisation (NFKC + case folding,
/// ё→е), tokenisation into words, numbers, URLs, @mentions, #hashtags, emoji and emoticons, and the
/// marks the rules need (CAPS, repeated letters, sentence and clause breaks, quotes).
/// Pure functions; a TokenBuffer is reused by the caller so that scoring allocates little.

#include "daemon/core/utf8.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::sentiment {

enum class TokenKind : std::uint8_t {
  word,
  number,
  url,
  mention,
  hashtag,       ///< `norm` holds the word after '#'
  emoji,         ///< `norm` is the emoji without variation selectors / skin tones
  emoticon,      ///< `norm` is a canonical emoticon: ":)", ":(", ":D", ";)", ":'(", ":p", ":/", "<3",
                 ///< or ")" / "(" for a lone bracket smile ("спасибо)")
  sentence_end,  ///< . ! ? … or a line break; `mark` holds the character ('\n' for breaks)
  clause_break,  ///< , ; : – — ( )
  quote,         ///< « » " “ ” „
  other,
};

/// Script of a word's letters.
enum class Script : std::uint8_t { none, latin, cyrillic, mixed };

/// One token. Offsets are bytes into the original input; `norm` / `alt` are offsets into
/// TokenBuffer::arena (the normalised form; `alt` is the form with repeated letters collapsed to
/// one when it differs, e.g. norm "sooo"→"soo", alt "so").
struct Token {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint32_t norm_begin = 0;
  std::uint32_t norm_len = 0;
  std::uint32_t alt_begin = 0;
  std::uint32_t alt_len = 0;
  TokenKind kind = TokenKind::other;
  Script script = Script::none;
  bool caps = false;      ///< at least two letters, all upper case
  bool emphasis = false;  ///< a letter repeated three or more times, or an emoticon run ")))"
  bool capital = false;   ///< words: the first letter is upper case ("Wedding")
  bool joined = false;    ///< words: follows the word before across a hyphen ("charisma-free")
  bool masked = false;    ///< words: letters starred out ("s***", "f*ck", "б**дь")
  char mark = 0;          ///< sentence_end / clause_break / quote: the ASCII stand-in of the mark
  std::uint8_t repeat = 1;  ///< how many marks in a run ("!!!" = 3, capped at 255)
};

/// Tokens of one text and the arena their normalised forms live in.
struct TokenBuffer {
  std::vector<Token> tokens;
  std::string arena;
  std::uint32_t letters_latin = 0;
  std::uint32_t letters_cyrillic = 0;
  std::uint32_t letters_upper = 0;
  std::uint32_t letters_total = 0;

  [[nodiscard]] std::string_view norm(const Token& t) const {
    return std::string_view(arena).substr(t.norm_begin, t.norm_len);
  }
  [[nodiscard]] std::string_view alt(const Token& t) const {
    return std::string_view(arena).substr(t.alt_begin, t.alt_len);
  }
  void clear() {
    tokens.clear();
    arena.clear();
    letters_latin = letters_cyrillic = letters_upper = letters_total = 0;
  }
};

/// Tokenises `text` into `out` (cleared first). Invalid UTF-8 bytes and NULs act as separators and
/// never end up in a token's normalised form. Texts over 2 GiB are cut (offsets are 32-bit).
void tokenize(std::string_view text, TokenBuffer& out);

/// NFKC + case folding + ё→е (and ’→') of a short UTF-8 string; invalid bytes become U+FFFD.
/// Used for lexicon terms so that they match tokens.
std::string normalize_term(std::string_view s);

// UTF-8 decoding, encoding and sanitising: the project's one implementation (daemon/core/utf8.hpp).
using otklik::append_utf8;
using otklik::decode_utf8;
using otklik::sanitize_utf8;

}  // namespace otklik::sentiment
