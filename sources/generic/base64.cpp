#include "sources/generic/base64.hpp"

#include <cstdint>

namespace otklik {
namespace {

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t bits = 0;
  int held = 0;       // sextets gathered for the current quantum
  bool ended = false;  // padding seen: only padding and whitespace may follow
  for (const char c : text) {
    if (is_space(c)) continue;
    if (c == '=') {
      ended = true;
      continue;
    }
    const int v = sextet(c);
    if (v < 0 || ended) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    if (++held == 4) {
      out.push_back(static_cast<char>((bits >> 16) & 0xFF));
      out.push_back(static_cast<char>((bits >> 8) & 0xFF));
      out.push_back(static_cast<char>(bits & 0xFF));
      bits = 0;
      held = 0;
    }
  }
  if (held == 1) return std::nullopt;  // six bits cannot end a byte
  if (held == 2) out.push_back(static_cast<char>((bits >> 4) & 0xFF));
  if (held == 3) {
    out.push_back(static_cast<char>((bits >> 10) & 0xFF));
    out.push_back(static_cast<char>((bits >> 2) & 0xFF));
  }
  return out;
}

}  // namespace otklik
