#include "daemon/sentiment/text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "daemon/sentiment/text_internal.hpp"

namespace otklik::sentiment {
namespace detail {

bool is_emoji(char32_t c) noexcept {
  return (c >= 0x1F000 && c <= 0x1FAFF && !(c >= 0x1F3FB && c <= 0x1F3FF)) ||
         (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2B00 && c <= 0x2BFF) || (c >= 0x2300 && c <= 0x23FF) ||
         c == 0x3030 || c == 0x303D || c == 0x3297 || c == 0x3299;
}

bool is_emoji_modifier(char32_t c) noexcept {
  return c == 0xFE0F || c == 0xFE0E || c == 0x200D || (c >= 0x1F3FB && c <= 0x1F3FF) || c == 0x20E3 ||
         (c >= 0xE0020 && c <= 0xE007F);
}

CharClass classify(char32_t c) noexcept {
  if (c < 0x80) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return CharClass::letter;
    if (c >= '0' && c <= '9') return CharClass::digit;
    switch (c) {
      case '\n': return CharClass::newline;
      case ' ': case '\t': case '\r': case '\v': case '\f': case 0: return CharClass::space;
      case '\'': return CharClass::apostrophe;
      case '-': return CharClass::hyphen;
      case '.': case '!': case '?': return CharClass::sentence_punct;
      case ',': case ';': case ':': return CharClass::clause_punct;
      case '"': return CharClass::quote;
      case '(': return CharClass::open_paren;
      case ')': return CharClass::close_paren;
      default: return c < 0x20 ? CharClass::space : CharClass::other;
    }
  }
  if (c >= 0x400 && c <= 0x4FF) return c >= 0x483 && c <= 0x489 ? CharClass::mark : CharClass::letter;
  switch (c) {
    case 0x2019: case 0x02BC: case 0x2018: return CharClass::apostrophe;
    case 0x2026: case 0x203C: case 0x2047: case 0x2048: case 0x2049: return CharClass::sentence_punct;
    case 0x2013: case 0x2014: case 0x2015: return CharClass::clause_punct;
    case 0x00AB: case 0x00BB: case 0x201C: case 0x201D: case 0x201E: return CharClass::quote;
    case 0x2028: case 0x2029: case 0x0085: return CharClass::newline;
    case kReplacement: return CharClass::space;
    default: break;
  }
  if (is_emoji_modifier(c)) return CharClass::emoji_modifier;
  if (is_emoji(c)) return CharClass::emoji;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
      return CharClass::letter;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
      return CharClass::mark;
    case UTF8PROC_CATEGORY_ND: return CharClass::digit;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CN: case UTF8PROC_CATEGORY_CS: case UTF8PROC_CATEGORY_CO:
      return CharClass::space;
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP: return CharClass::newline;
    case UTF8PROC_CATEGORY_PD: return CharClass::hyphen;
    default: return CharClass::other;
  }
}

bool is_word_char(CharClass k) noexcept {
  return k == CharClass::letter || k == CharClass::digit || k == CharClass::mark;
}

/// Fast case folding for ASCII and basic Cyrillic; returns 0 when utf8proc is needed.
char32_t fast_fold(char32_t c) noexcept {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c >= 0x430 && c <= 0x44F) return c;
  if (c == 0x401 || c == 0x451) return 0x435;  // ё → е
  return 0;
}

bool is_upper(char32_t c) noexcept {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  if (c >= 0x400 && c <= 0x42F) return true;
  if (c >= 0x430 && c <= 0x45F) return false;
  return utf8proc_isupper(static_cast<utf8proc_int32_t>(c));
}

bool is_latin(char32_t c) noexcept { return c < 0x250 && c != 0xD7 && c != 0xF7; }
bool is_cyrillic(char32_t c) noexcept { return c >= 0x400 && c <= 0x52F; }

/// Writes the NFKC + case-folded form of `bytes` (valid UTF-8) to `out`, with ё→е and ’→'.
void append_normalized_slow(std::string_view bytes, std::string& out) {
  utf8proc_uint8_t* mapped = nullptr;
  const auto len = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(bytes.data()),
                                static_cast<utf8proc_ssize_t>(bytes.size()), &mapped,
                                static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                               UTF8PROC_COMPAT | UTF8PROC_CASEFOLD));
  if (len < 0 || mapped == nullptr) {
    std::free(mapped);
    return;
  }
  const std::string_view m(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(len));
  for (std::size_t i = 0; i < m.size();) {
    char32_t c = decode_utf8(m, i);
    if (c == 0x451) c = 0x435;
    if (c == 0x2019 || c == 0x02BC || c == 0x2018) c = '\'';
    append_utf8(out, c);
  }
  std::free(mapped);
}

/// Collapses runs of three or more equal code points in arena[begin..] to two (in place) and
/// appends the form with such runs collapsed to one. Returns true when a run was found.
bool collapse_runs(std::string& arena, std::size_t begin, Token& t) {
  const std::string_view word(arena.data() + begin, arena.size() - begin);
  // Byte-level pre-check: three equal ASCII bytes or three equal two-byte sequences.
  // Both runs need word[k] == word[k + 2], asked first: most bytes fail it and cost one compare.
  bool candidate = false;
  const auto* w = reinterpret_cast<const unsigned char*>(word.data());
  const std::size_t n = word.size();
  std::size_t k = 0;
  // Eight positions at a time, as long as none of them passes the per-byte test's first steps:
  // a byte ≥ E0, or word[k] == word[k + 2] with word[k] == word[k + 1] or word[k + 1] ==
  // word[k + 3]. At the first block where one may, the loop below takes over from its start.
  for (; k + 11 <= n; k += 8) {
    const auto load = [w](std::size_t at) {
      std::uint64_t x;
      std::memcpy(&x, w + at, 8);
      return x;
    };
    constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
    constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
    // The high bit of each byte where a and b are equal (exact: no carry leaves a byte).
    const auto equal = [](std::uint64_t a, std::uint64_t b) {
      const std::uint64_t z = a ^ b;
      return ~(((z & kLow7) + kLow7) | z) & kHigh;
    };
    const std::uint64_t x0 = load(k), x1 = load(k + 1), x2 = load(k + 2), x3 = load(k + 3);
    const std::uint64_t wide = x0 & (x0 << 1) & (x0 << 2) & kHigh;  // bytes with their top three bits set
    if (((equal(x0, x2) & (equal(x0, x1) | equal(x1, x3))) | wide) != 0) break;
  }
  for (; k + 2 < n; ++k) {
    const unsigned char a = w[k];
    if (a >= 0xE0) {  // wider code points: decode
      candidate = true;
      break;
    }
    if (a != w[k + 2]) continue;
    if (a == w[k + 1] || (k + 5 < n && a == w[k + 4] && w[k + 1] == w[k + 3] && w[k + 1] == w[k + 5])) {
      candidate = true;
      break;
    }
  }
  if (!candidate) return false;
  bool found = false;
  {
    std::size_t i = 0;
    char32_t prev = 0;
    int run = 0;
    while (i < word.size()) {
      const char32_t c = decode_utf8(word, i);
      run = (c == prev) ? run + 1 : 1;
      prev = c;
      if (run >= 3) {
        found = true;
        break;
      }
    }
  }
  if (!found) return false;
  std::string two;
  std::string one;
  std::size_t i = 0;
  char32_t prev = 0;
  int run = 0;
  while (i < word.size()) {
    const char32_t c = decode_utf8(word, i);
    run = (c == prev) ? run + 1 : 1;
    prev = c;
    if (run <= 2) append_utf8(two, c);
    if (run == 1) append_utf8(one, c);
  }
  arena.resize(begin);
  arena += two;
  t.norm_begin = static_cast<std::uint32_t>(begin);
  t.norm_len = static_cast<std::uint32_t>(two.size());
  t.alt_begin = static_cast<std::uint32_t>(arena.size());
  t.alt_len = static_cast<std::uint32_t>(one.size());
  arena += one;
  return true;
}

/// Latin letters that look like Cyrillic ones, for words that mix both scripts ("сбeр").
char32_t cyrillic_lookalike(char32_t c) noexcept {
  switch (c) {
    case 'a': return 0x430; case 'e': return 0x435; case 'o': return 0x43E; case 'p': return 0x440;
    case 'c': return 0x441; case 'x': return 0x445; case 'y': return 0x443; case 'k': return 0x43A;
    case 'm': return 0x43C; case 't': return 0x442; case 'h': return 0x43D; case 'b': return 0x432;
    default: return 0;
  }
}

}  // namespace detail

using detail::kReplacement;


std::string normalize_term(std::string_view s) {
  const std::string clean = sanitize_utf8(s);
  std::string folded;
  detail::append_normalized_slow(clean, folded);
  // Collapse white space to single spaces and trim.
  std::string out;
  bool space = false;
  for (char ch : folded) {
    const bool is_space = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
    if (is_space) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(ch);
  }
  return out;
}

}  // namespace otklik::sentiment
