#include "daemon/store/packed_text.hpp"

#include <zlib.h>

#include <cstdint>

namespace otklik::store {

namespace {
constexpr std::uint32_t kMaxText = 64u << 20;  // far above any mention's text or detail
}  // namespace

std::string pack(std::string_view text) {
  if (text.empty()) return {};
  uLongf size = compressBound(static_cast<uLong>(text.size()));
  std::string out(4 + size, '\0');
  const auto n = static_cast<std::uint32_t>(text.size());
  for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  if (compress2(reinterpret_cast<Bytef*>(out.data() + 4), &size, reinterpret_cast<const Bytef*>(text.data()),
                static_cast<uLong>(text.size()), 6) != Z_OK) {
    return {};  // cannot happen with compressBound; the caller stores the plain text then
  }
  out.resize(4 + size);
  return out;
}

Result<std::string> unpack(std::string_view packed) {
  if (packed.empty()) return std::string();
  if (packed.size() < 5) return Failure(errc::store_failed, "packed text: too short");
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i)
    n |= static_cast<std::uint32_t>(static_cast<unsigned char>(packed[static_cast<std::size_t>(i)])) << (8 * i);
  if (n == 0 || n > kMaxText) return Failure(errc::store_failed, "packed text: bad length");
  std::string out(n, '\0');
  uLongf size = n;
  if (uncompress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(packed.data() + 4),
                 static_cast<uLong>(packed.size() - 4)) != Z_OK ||
      size != n) {
    return Failure(errc::store_failed, "packed text: does not inflate");
  }
  return out;
}

void bind_packed(sqlite::Statement& st, int index, std::string_view text, std::size_t min_size) {
  if (text.size() > min_size) {
    const std::string packed = pack(text);
    if (!packed.empty() && packed.size() * 5 <= text.size() * 4) {
      st.bind_blob(index, packed);
      return;
    }
  }
  st.bind(index, text);
}

Result<std::string> read_text(const sqlite::Statement& st, int column) {
  if (st.is_blob(column)) return unpack(st.bytes(column));
  return st.text(column);
}

}  // namespace otklik::store
