#include "daemon/channels/text_util.hpp"

namespace otklik::channels {

std::size_t utf8_sequence_length(unsigned char c) noexcept {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

std::string chat_safe_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const char32_t cp = decode_utf8(text, pos);
    if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F) continue;
    append_utf8(out, cp);
  }
  return out;
}

char32_t next_code_point(std::string_view text, std::size_t& pos) noexcept {
  const auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t len = utf8_sequence_length(lead);
  if (len == 1 || pos + len > text.size()) {
    ++pos;
    return lead;
  }
  char32_t value = lead & (0x7F >> len);
  for (std::size_t i = 1; i < len; ++i) value = (value << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3F);
  pos += len;
  return value;
}

std::size_t utf16_length(std::string_view text) noexcept {
  std::size_t units = 0;
  for (std::size_t pos = 0; pos < text.size();) units += utf16_units(next_code_point(text, pos));
  return units;
}

std::size_t code_point_length(std::string_view text) noexcept {
  std::size_t n = 0;
  for (std::size_t pos = 0; pos < text.size(); ++n) next_code_point(text, pos);
  return n;
}

std::size_t prefix_within(std::string_view text, std::size_t max_code_points) noexcept {
  std::size_t pos = 0;
  std::size_t count = 0;
  while (pos < text.size() && count < max_code_points) {
    next_code_point(text, pos);
    ++count;
  }
  if (pos >= text.size()) return text.size();
  // Prefer the last space in the final fifth, so that words are not cut in half.
  const std::size_t floor = pos - pos / 5;
  for (std::size_t i = pos; i > floor; --i) {
    if (text[i - 1] == ' ' || text[i - 1] == '\n') return i - 1;
  }
  return pos;
}

std::string_view trim(std::string_view text) noexcept {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto b = text.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  const auto e = text.find_last_not_of(kSpace);
  return text.substr(b, e - b + 1);
}

}  // namespace otklik::channels
