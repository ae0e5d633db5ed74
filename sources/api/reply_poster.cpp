#include "sources/api/reply_poster.hpp"

namespace otklik {

std::size_t reply_length(std::string_view text) noexcept {
  std::size_t n = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string reply_text_problem(std::string_view text, const ReplyLimits& limits, std::string_view site) {
  const std::size_t n = reply_length(text);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return "the answer is empty";
  if (n < limits.min_chars)
    return std::to_string(n) + " characters: " + std::string(site) + " takes at least " +
           std::to_string(limits.min_chars);
  if (limits.max_chars != 0 && n > limits.max_chars)
    return std::to_string(n) + " characters: " + std::string(site) + " takes at most " +
           std::to_string(limits.max_chars);
  return {};
}

}  // namespace otklik
