#include "daemon/core/utf8.hpp"

#include <cstdint>

namespace otklik {

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) append_utf8(out, decode_utf8(s, i));  // valid text round-trips
  return out;
}

bool valid_utf8(std::string_view s) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const auto block = [](std::uint64_t x) -> std::size_t {
    if ((x & kHighs) == 0) return 8;
    const std::uint64_t lead = two_byte_leads8(x);
    if (lead == UINT64_MAX) return 0;
    // C0 and C1 lead only overlong forms: each lead needs a bit of 0x1E (adding 0x7F to those
    // bits reaches the high bit exactly when one is set; no carry leaves a byte).
    if ((((x & (0x1E * kOnes)) + 0x7F * kOnes) & lead) != lead) return 0;
    return whole_pairs8(lead);
  };
  std::size_t i = 0;
  while (true) {
    i = pass_blocks8(s, i, block);
    if (i >= s.size()) return true;
    const std::size_t start = i;
    if (decode_utf8(s, i) == kReplacementChar && i - start == 1) return false;
  }
}

}  // namespace otklik
