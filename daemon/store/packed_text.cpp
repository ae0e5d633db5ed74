#include "daemon/store/packed_text.hpp"

#include <zlib.h>

#include <cstdint>

namespace otklik::store {

namespace {
constexpr std::uint32_t kMaxText = 64u << 20;  // far above any mention's text or detail
}  // namespace

std::string pack(std::string_view text) {
  if (text.empty()) return {};
  const auto n = static_cast<std::uint32_t>(text.size());
  // A window no larger than the text and a small hash table: mention texts are a few KiB, and
  // zlib's default state (~270 KiB, its hash heads cleared on every init) costs more than
  // compressing them. The stream stays zlib's format: unpack()'s uncompress() reads any window.
  int window = 9;
  while (window < 15 && (std::size_t{1} << window) < text.size()) ++window;
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, window, 5, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  const uLong bound = deflateBound(&z, static_cast<uLong>(text.size()));
  std::string out(4 + bound, '\0');
  for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data() + 4);
  z.avail_out = static_cast<uInt>(bound);
  const int rc = deflate(&z, Z_FINISH);
  const uLong written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return {};  // cannot happen with deflateBound; the caller stores the plain text then
  out.resize(4 + written);
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

std::string pack_if_worth(std::string_view text, std::size_t min_size) {
  if (text.size() <= min_size) return {};
  std::string packed = pack(text);
  if (packed.empty() || packed.size() * 5 > text.size() * 4) return {};
  return packed;
}

void bind_packed(sqlite::Statement& st, int index, std::string_view text, std::size_t min_size) {
  const std::string packed = pack_if_worth(text, min_size);
  bind_prepacked(st, index, text, packed);
}

void bind_prepacked(sqlite::Statement& st, int index, std::string_view text, std::string_view packed) {
  if (!packed.empty()) st.bind_blob(index, packed);
  else st.bind(index, text);
}

Result<std::string> read_text(const sqlite::Statement& st, int column) {
  if (st.is_blob(column)) return unpack(st.bytes(column));
  return st.text(column);
}

std::string to_marked(std::string_view text, std::size_t min_size) {
  return to_marked_prepacked(text, pack_if_worth(text, min_size));
}

std::string to_marked_prepacked(std::string_view text, std::string_view packed) {
  if (text.empty()) return {};
  if (!packed.empty()) {
    std::string out;
    out.reserve(packed.size() + 1);
    out += kPackedMarker;
    out += packed;
    return out;
  }
  std::string out;
  out.reserve(text.size() + 1);
  out += kPlainMarker;
  out += text;
  return out;
}

Result<std::string> from_marked(std::string_view bytes) {
  if (bytes.empty()) return std::string();
  if (bytes.front() == kPlainMarker) return std::string(bytes.substr(1));
  if (bytes.front() == kPackedMarker) return unpack(bytes.substr(1));
  return Failure(errc::store_failed, "stored text: unknown marker byte");
}

}  // namespace otklik::store
