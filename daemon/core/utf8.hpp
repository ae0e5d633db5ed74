#pragma once
/// UTF-8 decoding and encoding shared by every area that handles text from outside (reviews,
/// API answers, lexicons). Strict: overlong forms, surrogates, code points over U+10FFFF and
/// truncated sequences are invalid, and each byte that starts no valid sequence becomes U+FFFD.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace otklik {

inline constexpr char32_t kReplacementChar = 0xFFFD;

/// Decodes one code point at `i` (advancing it); an invalid sequence yields U+FFFD and advances
/// by one byte. Inline: it sits in the scorer's inner loop.
inline char32_t decode_utf8(std::string_view s, std::size_t& i) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t n = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 1, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 2, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 3, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return kReplacementChar;
  }
  if (i + n >= s.size()) {
    ++i;
    return kReplacementChar;
  }
  for (std::size_t k = 1; k <= n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kReplacementChar;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kReplacementChar;
  }
  i += n + 1;
  return cp;
}

/// Appends the UTF-8 encoding of `cp` to `out`.
inline void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

/// Eight bytes of text at once (in memory order in `x`, from a character boundary): the high bit
/// of each byte that leads a two-byte sequence, when every byte from 0x80 is part of one (a lead
/// 110xxxxx right before a continuation 10xxxxxx; the last byte may be a lead whose continuation
/// is in the next eight); UINT64_MAX otherwise. ASCII bytes are not looked at. Callers that copy
/// runs of text at once test their blocks with it (which leads they accept is theirs to say).
constexpr std::uint64_t two_byte_leads8(std::uint64_t x) noexcept {
  static_assert(std::endian::native == std::endian::little);  // the next byte in memory is eight bits up
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const std::uint64_t high = x & kHighs;
  const std::uint64_t lead = high & (x << 1);  // bit 6 set: leads; the other high bytes continue
  // Each continuation right after a lead, and no lead of three or four bytes (bit 5 set).
  if ((high ^ lead) != (lead << 8) || (lead & (x << 2)) != 0) return UINT64_MAX;
  return lead;
}

/// How many of the eight bytes whose leads are `leads` (two_byte_leads8) pass whole: 7 when the
/// last one leads a pair that the next eight complete, else 8.
constexpr std::size_t whole_pairs8(std::uint64_t leads) noexcept { return (leads >> 63) != 0 ? 7 : 8; }

/// How many of the eight bytes in `x` (two_byte_leads8's reading) are valid UTF-8 as they stand:
/// 8 when they are ASCII and two-byte sequences led by C2–DF (C0 and C1 lead only overlong
/// forms), 7 when so but the last byte leads a pair the next eight complete, 0 otherwise (a
/// longer sequence or an invalid byte: the caller decodes there).
constexpr std::size_t valid_pairs8(std::uint64_t x) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  if ((x & (0x80 * kOnes)) == 0) return 8;
  const std::uint64_t lead = two_byte_leads8(x);
  if (lead == UINT64_MAX) return 0;
  // Each lead needs a bit of 0x1E: adding 0x7F to those bits reaches the high bit exactly when
  // one is set, and no carry leaves a byte.
  if ((((x & (0x1E * kOnes)) + 0x7F * kOnes) & lead) != lead) return 0;
  return whole_pairs8(lead);
}

/// `i` moved on over `s` eight bytes at a time while `block` passes them: `block(x)` takes the
/// next eight bytes (as two_byte_leads8 reads them) and returns how many of them to pass (0 stops).
template <class Block>
std::size_t pass_blocks8(std::string_view s, std::size_t i, Block block) {
  while (s.size() - i >= 8) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    const std::size_t n = block(x);
    if (n == 0) break;
    i += n;
  }
  return i;
}

/// `s` with every invalid sequence replaced by U+FFFD (one per byte that starts none); valid
/// text comes back unchanged.
std::string sanitize_utf8(std::string_view s);

/// Whether every byte of `s` is part of a valid sequence (decode_utf8 would replace none): eight
/// bytes at a time over ASCII and two-byte sequences (Cyrillic), decoded elsewhere.
bool valid_utf8(std::string_view s) noexcept;

}  // namespace otklik
