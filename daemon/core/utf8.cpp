#include "daemon/core/utf8.hpp"

namespace otklik {

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) append_utf8(out, decode_utf8(s, i));  // valid text round-trips
  return out;
}

bool valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (true) {
    i = pass_blocks8(s, i, valid_pairs8);
    if (i >= s.size()) return true;
    const std::size_t start = i;
    if (decode_utf8(s, i) == kReplacementChar && i - start == 1) return false;
  }
}

}  // namespace otklik
