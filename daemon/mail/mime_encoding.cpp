#include "daemon/mail/mime_encoding.hpp"

#include "daemon/core/utf8.hpp"

#include <array>

namespace otklik::mail {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kWordOpen = "=?utf-8?B?";
constexpr std::string_view kWordClose = "?=";

int base64_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/// Byte length of the UTF-8 sequence at `i` in valid UTF-8 (1 for ASCII or stray bytes).
std::size_t sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = 1;
  if ((b & 0xE0) == 0xC0) {
    n = 2;
  } else if ((b & 0xF0) == 0xE0) {
    n = 3;
  } else if ((b & 0xF8) == 0xF0) {
    n = 4;
  }
  return i + n <= s.size() ? n : 1;
}

}  // namespace

std::string base64_encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const auto v = (static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16) |
                   (static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8) |
                   static_cast<unsigned char>(data[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  const std::size_t rest = data.size() - i;
  if (rest > 0) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16;
    if (rest == 2) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::string base64_lines(std::string_view data) {
  const std::string flat = base64_encode(data);
  std::string out;
  out.reserve(flat.size() + flat.size() / 76 * 2 + 2);
  for (std::size_t i = 0; i < flat.size(); i += 76) {
    out.append(flat, i, 76);
    out += "\r\n";
  }
  return out;
}

bool base64_decode(std::string_view text, std::string& out) {
  out.clear();
  if (text.size() % 4 != 0) return false;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::array<int, 4> v{};
    int pad = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = text[i + k];
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        ++pad;
        v[k] = 0;
        continue;
      }
      if (pad > 0) return false;  // data after padding
      v[k] = base64_value(c);
      if (v[k] < 0) return false;
    }
    const std::uint32_t n = (static_cast<std::uint32_t>(v[0]) << 18) | (static_cast<std::uint32_t>(v[1]) << 12) |
                            (static_cast<std::uint32_t>(v[2]) << 6) | static_cast<std::uint32_t>(v[3]);
    out.push_back(static_cast<char>((n >> 16) & 0xFF));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xFF));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xFF));
  }
  return true;
}

std::string header_safe_text(std::string_view text) {
  std::string valid = sanitize_utf8(text);
  for (char& c : valid) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) c = ' ';
  }
  return valid;
}

std::string canonical_body_text(std::string_view text) {
  const std::string valid = sanitize_utf8(text);
  std::string out;
  out.reserve(valid.size() + valid.size() / 32);
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const char c = valid[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < valid.size() && valid[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      // NUL and other controls have no place in text.
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool printable_ascii(std::string_view text) noexcept {
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b > 0x7E) return false;
  }
  return true;
}

std::string encoded_words(std::string_view text, std::size_t used, std::size_t max_word) {
  const std::size_t overhead = kWordOpen.size() + kWordClose.size();
  if (max_word > 75) max_word = 75;
  if (max_word < overhead + 8) max_word = overhead + 8;
  // Input bytes that fit in a word of `chars` characters: 4 base64 characters per 3 bytes.
  const auto bytes_for = [&](std::size_t chars) { return (chars - overhead) / 4 * 3; };
  std::size_t first = max_word;
  if (used + first > 78) first = used + overhead + 8 <= 78 ? 78 - used : overhead + 8;

  std::string out;
  std::size_t i = 0;
  bool first_word = true;
  while (i < text.size() || first_word) {
    const std::size_t limit = bytes_for(first_word ? first : max_word);
    std::size_t end = i;
    while (end < text.size()) {
      const std::size_t n = sequence_length(text, end);
      if (end + n - i > limit) break;
      end += n;
    }
    if (end == i && i < text.size()) end = i + sequence_length(text, i);  // cannot happen with limit >= 6
    if (end < text.size()) {
      // End the word after a space when there is one: decoders that keep the whitespace between
      // encoded-words (against RFC 2047 6.2, as Python's address parser does) then at worst
      // double a space instead of splitting a word.
      const std::size_t space = text.substr(i, end - i).rfind(' ');
      if (space != std::string_view::npos && space > 0) end = i + space + 1;
    }
    if (!first_word) out += "\r\n ";
    out += kWordOpen;
    out += base64_encode(text.substr(i, end - i));
    out += kWordClose;
    i = end;
    first_word = false;
  }
  return out;
}

}  // namespace otklik::mail
