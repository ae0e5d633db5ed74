#include "daemon/net/content_decoding.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace otklik {

namespace {

enum class Format { gzip, zlib, raw };

std::string trim_lower(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// True when `data` starts with a zlib header (CMF/FLG check of RFC 1950 §2.2).
bool looks_like_zlib(std::string_view data) {
  if (data.size() < 2) return false;
  const auto cmf = static_cast<unsigned char>(data[0]);
  const auto flg = static_cast<unsigned char>(data[1]);
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
}

Result<std::string> inflate_all(std::string_view in, Format format, std::uint64_t max_out) {
  z_stream zs{};
  const int window = format == Format::gzip ? 16 + MAX_WBITS : format == Format::zlib ? MAX_WBITS : -MAX_WBITS;
  if (inflateInit2(&zs, window) != Z_OK) return Failure(errc::decode_failed, "zlib init failed");
  std::string out;
  std::vector<unsigned char> chunk(64 * 1024);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  for (;;) {
    zs.next_out = chunk.data();
    zs.avail_out = static_cast<uInt>(chunk.size());
    rc = inflate(&zs, Z_NO_FLUSH);
    const auto produced = chunk.size() - zs.avail_out;
    if (out.size() + produced > max_out) {
      inflateEnd(&zs);
      return Failure(errc::too_large, "decoded body over " + std::to_string(max_out) + " bytes");
    }
    out.append(reinterpret_cast<const char*>(chunk.data()), produced);
    if (rc == Z_STREAM_END) {
      // gzip allows several members back to back (RFC 1952 §2.2).
      const bool another_member = format == Format::gzip && zs.avail_in >= 2 &&
                                  zs.next_in[0] == 0x1f && zs.next_in[1] == 0x8b;
      if (!another_member) break;
      inflateReset(&zs);
      continue;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) break;
    if (rc == Z_BUF_ERROR || (zs.avail_in == 0 && zs.avail_out != 0)) {
      rc = Z_BUF_ERROR;  // input ended before the stream did
      break;
    }
  }
  const char* msg = zs.msg;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    return Failure(errc::decode_failed, std::string("corrupt or truncated compressed body") +
                                            (msg ? std::string(": ") + msg : std::string()));
  }
  return out;
}

}  // namespace

Result<std::string> decode_content(std::string_view encoding, std::string body, std::uint64_t max_decoded) {
  if (body.empty()) return body;  // HEAD, 204, 304: nothing to decode
  std::vector<std::string> codings;
  while (!encoding.empty()) {
    const auto comma = encoding.find(',');
    auto coding = trim_lower(encoding.substr(0, comma));
    if (!coding.empty() && coding != "identity") codings.push_back(std::move(coding));
    encoding = comma == std::string_view::npos ? std::string_view{} : encoding.substr(comma + 1);
  }
  for (auto it = codings.rbegin(); it != codings.rend(); ++it) {
    Result<std::string> decoded = Failure(errc::decode_failed);
    if (*it == "gzip" || *it == "x-gzip") {
      decoded = inflate_all(body, Format::gzip, max_decoded);
    } else if (*it == "deflate") {
      decoded = inflate_all(body, looks_like_zlib(body) ? Format::zlib : Format::raw, max_decoded);
    } else {
      return Failure(errc::decode_failed, "unsupported Content-Encoding '" + *it + "'");
    }
    if (!decoded) return decoded;
    body = std::move(*decoded);
  }
  if (body.size() > max_decoded) {
    return Failure(errc::too_large, "decoded body over " + std::to_string(max_decoded) + " bytes");
  }
  return body;
}

}  // namespace otklik
