#include "daemon/sentiment/sentiment_json.hpp"

#include "daemon/core/utf8.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace otklik {
namespace {

std::string_view slice(std::string_view text, std::size_t begin, std::size_t end) noexcept {
  begin = std::min(begin, text.size());
  end = std::clamp(end, begin, text.size());
  return text.substr(begin, end - begin);
}


constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
constexpr std::uint64_t kLows = 0x7F7F7F7F7F7F7F7FULL;

/// Whether some byte of `x` is zero (the classic test: exact for every byte, no false positive).
constexpr bool has_zero_byte(std::uint64_t x) { return ((x - kOnes) & ~x & kHighs) != 0; }

/// How many of the eight bytes of `x` (in memory order, starting on a character boundary) JSON
/// takes as they are: 8 when every byte is ASCII from 0x20 but '"' and '\\' or part of a
/// two-byte sequence led by D0 or D1 (basic Cyrillic), 7 when so but the last byte leads a pair
/// that the next block completes, 0 otherwise (the byte loop decides). Blocks that mix the two
/// ("слово, слово") pass too: a test of all-ASCII or all-Cyrillic blocks sent much of Russian
/// text byte by byte.
constexpr std::size_t plain_bytes8(std::uint64_t x) {
  if (has_zero_byte(x ^ ('"' * kOnes)) || has_zero_byte(x ^ ('\\' * kOnes))) return 0;
  // Each byte has its high bit set, or is 0x20 or above (adding 0x60 to its low seven bits
  // reaches the high bit; no carry leaves a byte).
  if (((((x & kLows) + 0x60 * kOnes) | x) & kHighs) != kHighs) return 0;
  const std::uint64_t lead = two_byte_leads8(x);
  if (lead == UINT64_MAX) return 0;
  // and each lead must be D0 or D1.
  if (((x ^ (0xD0 * kOnes)) & (0xFE * kOnes) & ((lead >> 7) * 0xFF)) != 0) return 0;
  return whole_pairs8(lead);
}
#if defined(__SSE2__)
/// plain_bytes8's test on sixteen bytes at once (16, 15 or 0), with SSE2 (every x86-64 has it):
/// a mask bit per byte instead of a high bit per byte, and half the passes over the text.
inline std::size_t plain_bytes16(const char* p) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const auto mask = [](__m128i v) { return static_cast<unsigned>(_mm_movemask_epi8(v)); };
  const unsigned high = mask(x);
  // ASCII from 0x20 (a signed compare: high bytes are negative) and not '"' or '\\'.
  const __m128i special = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
  const unsigned plain = mask(_mm_andnot_si128(special, _mm_cmpgt_epi8(x, _mm_set1_epi8(0x1F))));
  if ((plain | high) != 0xFFFF) return 0;
  if (high == 0) return 16;
  // High bytes with bit 6 set lead a pair (x + x moves bit 6 to the top of each byte), the
  // others continue one; each continuation right after a lead, each lead D0 or D1.
  const unsigned lead = high & mask(_mm_add_epi8(x, x));
  const unsigned d0d1 = mask(_mm_cmpeq_epi8(_mm_and_si128(x, _mm_set1_epi8(static_cast<char>(0xFE))),
                                            _mm_set1_epi8(static_cast<char>(0xD0))));
  if ((high ^ lead) != ((lead << 1) & 0xFFFF) || lead != d0d1) return 0;
  return (lead & 0x8000) != 0 ? 15 : 16;
}
#endif

/// std::round(x) (halves away from zero) without a call of libm's round, which the compiler
/// cannot inline for a plain x86-64 target: below 2^52 the integer part by conversion, and the
/// fraction x minus it, which is exact there.
inline double round_half_away(double x) {
  if (!(std::abs(x) < 0x1p52)) return std::round(x);  // an integer already, or NaN
  const double whole = static_cast<double>(static_cast<std::int64_t>(x));
  const double fraction = x - whole;
  if (fraction >= 0.5) return whole + 1;
  if (fraction <= -0.5) return whole - 1;
  return whole;
}

}  // namespace

std::string json_quote(std::string_view text) {
  std::string out;
  append_json_quote(out, text);
  return out;
}

void append_json_quote(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  // One pass giving what escaping sanitize_utf8(text) gives: runs of plain ASCII and two-byte
  // sequences are copied at once, other bytes go through the UTF-8 decoder. Sanitising into a copy and appending byte by
  // byte was a tenth of `otklik score --json`.
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    // A run of bytes that stand as they are, copied at once.
    std::size_t run = i;
    for (;;) {
      // Sixteen or eight bytes at a time while they are plain ASCII and basic Cyrillic letters.
#if defined(__SSE2__)
      while (text.size() - run >= 16) {
        const std::size_t n = plain_bytes16(text.data() + run);
        if (n == 0) break;
        run += n;
      }
#endif
      run = pass_blocks8(text, run, plain_bytes8);
      if (run == text.size()) break;
      const auto b = static_cast<unsigned char>(text[run]);
      // Two-byte sequences (Cyrillic) with a lead of C2–DF are always valid: no decoding.
      if (b >= 0xC2 && b <= 0xDF && run + 1 < text.size() && (static_cast<unsigned char>(text[run + 1]) & 0xC0) == 0x80) {
        run += 2;
        continue;
      }
      if (b < 0x20 || b >= 0x80 || b == '"' || b == '\\') break;
      ++run;
    }
    out.append(text.data() + i, run - i);
    i = run;
    if (i == text.size()) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      // A valid sequence is copied as it is (it round-trips through the decoder); an invalid
      // byte decodes to U+FFFD, whose encoding is the same bytes as a valid U+FFFD's.
      const std::size_t start = i;
      if (decode_utf8(text, i) == 0xFFFD) out += "\xEF\xBF\xBD";
      else out.append(text.data() + start, i - start);
      continue;
    }
    ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out += '"';
}

std::string json_number(double value, int decimals) {
  std::string out;
  append_json_number(out, value, decimals);
  return out;
}

void append_json_number(std::string& out, double value, int decimals) {
  if (!std::isfinite(value)) {
    out += '0';
    return;
  }
  // Powers of ten up to 10^8 are exact doubles, which std::pow also returns; a call of pow for
  // each number of a line was a hundredth of `otklik score --json`.
  static constexpr std::array<double, 9> kScale{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
  const double scale = decimals >= 0 && decimals <= 8 ? kScale[static_cast<std::size_t>(decimals)] : std::pow(10.0, decimals);
  const double scaled = round_half_away(value * scale);
  const double rounded = scaled / scale;
  if (rounded == 0) {  // "0" for -0 too, as to_chars prints 0 (without the call: neutral lines score 0)
    out += '0';
    return;
  }
  // The numbers of a line (scores, weights) lie between 0.001 and 1000 in magnitude with at most
  // four places: there the shortest form is the fixed one, and its digits are those of the rounded
  // integer (a decimal of at most 15 digits is the shortest text of the double nearest it), so
  // they are printed from that integer; std::to_chars' shortest search was 2 % of `otklik score`.
  // Elsewhere to_chars decides (it may choose "1e-04").
  if (decimals >= 0 && decimals <= 4 && std::abs(rounded) >= 0.001 && std::abs(rounded) < 1000) {
    static constexpr std::array<std::uint64_t, 5> kPow{1, 10, 100, 1000, 10000};
    const auto n = static_cast<std::int64_t>(scaled);
    std::uint64_t whole = static_cast<std::uint64_t>(n < 0 ? -n : n);
    std::uint64_t frac = whole % kPow[static_cast<std::size_t>(decimals)];
    whole /= kPow[static_cast<std::size_t>(decimals)];
    int places = decimals;
    while (places > 0 && frac % 10 == 0) {
      frac /= 10;
      --places;
    }
    char buf[24];
    char* p = buf + sizeof buf;
    for (int k = 0; k < places; ++k) {
      *--p = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    if (places > 0) *--p = '.';
    do {
      *--p = static_cast<char>('0' + whole % 10);
      whole /= 10;
    } while (whole > 0);
    if (n < 0) *--p = '-';
    out.append(p, static_cast<std::size_t>(buf + sizeof buf - p));
    return;
  }
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, rounded);
  out.append(buf, res.ptr);
}

void append_json_exact(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += '0';
    return;
  }
  if (value == 0) {  // a neutral sentence's score, most of a stored detail's numbers; -0 too
    out += '0';
    return;
  }
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, res.ptr);
}

void append_json_integer(std::string& out, long long value) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, res.ptr);
}

void append_json_span(std::string& out, bool first, std::size_t begin, std::size_t end, double score) {
  out += first ? "[" : ",[";
  append_json_integer(out, static_cast<long long>(begin));
  out += ',';
  append_json_integer(out, static_cast<long long>(end));
  out += ',';
  append_json_exact(out, score);
}

std::string to_json_line(const Sentiment& s, std::string_view text) {
  std::string out;
  out.reserve(128 + text.size());
  append_json_line(out, s, text);
  return out;
}

void append_json_line(std::string& out, const Sentiment& s, std::string_view text) {
  out += "{\"label\":\"";
  out += to_string(s.label);
  out += "\",\"score\":";
  append_json_number(out, s.score);
  out += ",\"confidence\":";
  append_json_number(out, s.confidence);
  out += ",\"lang\":\"";
  out += to_string(s.lang);
  out += "\",\"sentences\":[";
  for (std::size_t i = 0; i < s.sentences.size(); ++i) {
    const SentenceScore& sent = s.sentences[i];
    if (i > 0) out += ',';
    out += "{\"text\":";
    append_json_quote(out, slice(text, sent.begin, sent.end));
    out += ",\"score\":";
    append_json_number(out, sent.score);
    out += ",\"label\":\"";
    out += to_string(sent.label);
    out += "\"}";
  }
  out += "],\"why\":[";
  for (std::size_t i = 0; i < s.why.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"term\":";
    append_json_quote(out, s.why[i].term);
    out += ",\"weight\":";
    append_json_number(out, s.why[i].weight);
    out += '}';
  }
  out += "]}";
}

std::string to_text(const Sentiment& s, std::string_view text) {
  std::string out;
  out += to_string(s.label);
  out += "  score " + json_number(s.score, 2);
  out += "  confidence " + json_number(s.confidence, 2);
  out += "  lang ";
  out += to_string(s.lang);
  out += '\n';
  if (!s.why.empty()) {
    out += "  why:";
    for (std::size_t i = 0; i < s.why.size(); ++i) {
      out += i == 0 ? " " : ", ";
      out += sanitize_utf8(s.why[i].term);
      out += ' ';
      out += json_number(s.why[i].weight, 2);
    }
    out += '\n';
  }
  if (s.sentences.size() > 1) {
    for (std::size_t i = 0; i < s.sentences.size(); ++i) {
      const SentenceScore& sent = s.sentences[i];
      std::string body = sanitize_utf8(slice(text, sent.begin, sent.end));
      std::replace(body.begin(), body.end(), '\n', ' ');
      out += "  " + std::to_string(i + 1) + ". [";
      out += to_string(sent.label);
      out += ' ' + json_number(sent.score, 2) + "] " + body + '\n';
    }
  }
  return out;
}

}  // namespace otklik
