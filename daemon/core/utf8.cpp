#include "daemon/core/utf8.hpp"

namespace otklik {

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) append_utf8(out, decode_utf8(s, i));  // valid text round-trips
  return out;
}

}  // namespace otklik
