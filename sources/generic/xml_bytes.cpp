#include "sources/generic/xml_bytes.hpp"

#include "daemon/core/utf8.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <memory>

namespace otklik {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_utf8_name(std::string_view charset) {
  const std::string n = lower(charset);
  return n == "utf-8" || n == "utf8";
}

std::size_t line_at(std::string_view body, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(body.begin(), body.begin() + std::min(offset, body.size()), '\n'));
}

/// What a decoding pass found: the repaired text and the counts the "misencoded" rule needs.
struct Decoded {
  RepairedBytes repaired;
  std::size_t valid_non_ascii = 0;
  std::size_t first_offset = 0;
};

Decoded decode_utf8_text(std::string_view body) {
  Decoded d;
  if (body.starts_with(kUtf8Bom)) body.remove_prefix(kUtf8Bom.size());
  std::string& out = d.repaired.utf8;
  out.reserve(body.size() + 16);
  std::size_t i = 0;
  while (i < body.size()) {
    const std::size_t start = i;
    const char32_t cp = decode_utf8(body, i);
    if (cp == kReplacementChar && i - start == 1) {
      if (d.repaired.replaced++ == 0) d.first_offset = start;
      out += kReplacement;
      continue;
    }
    if (cp >= 0x80) ++d.valid_non_ascii;
    out.append(body.substr(start, i - start));
  }
  return d;
}

struct IconvCloser {
  void operator()(void* cd) const noexcept { iconv_close(static_cast<iconv_t>(cd)); }
};

/// `body` from `charset` to UTF-8 through iconv; nullopt when iconv does not know the charset.
std::optional<Decoded> decode_with_iconv(std::string_view body, std::string_view charset) {
  const std::string from(charset);
  iconv_t raw = iconv_open("UTF-8", from.c_str());
  if (raw == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  const std::unique_ptr<void, IconvCloser> cd(raw);
  Decoded d;
  std::string& out = d.repaired.utf8;
  out.reserve(body.size() * 2);
  char* in = const_cast<char*>(body.data());  // iconv's signature; the input is never written
  std::size_t in_left = body.size();
  char buffer[4096];
  while (in_left > 0) {
    char* o = buffer;
    std::size_t o_left = sizeof buffer;
    const std::size_t r = iconv(raw, &in, &in_left, &o, &o_left);
    out.append(buffer, static_cast<std::size_t>(o - buffer));
    if (r != static_cast<std::size_t>(-1) || errno == E2BIG) continue;
    // EILSEQ (not a sequence of this charset) or EINVAL (cut at the end): one byte is replaced
    // and decoding goes on after it from a clean shift state.
    if (d.repaired.replaced++ == 0) d.first_offset = static_cast<std::size_t>(in - body.data());
    out += kReplacement;
    ++in;
    --in_left;
    iconv(raw, nullptr, nullptr, nullptr, nullptr);
  }
  char* o = buffer;
  std::size_t o_left = sizeof buffer;
  iconv(raw, nullptr, nullptr, &o, &o_left);
  out.append(buffer, static_cast<std::size_t>(o - buffer));
  if (out.starts_with(kUtf8Bom)) out.erase(0, kUtf8Bom.size());
  std::size_t non_ascii = 0;
  for (const char c : out)
    if ((static_cast<unsigned char>(c) & 0xC0) == 0xC0) ++non_ascii;  // a lead byte: one character
  d.valid_non_ascii = non_ascii - d.repaired.replaced;
  return d;
}

}  // namespace

std::string declared_xml_encoding(std::string_view body) {
  if (body.starts_with(kUtf8Bom)) body.remove_prefix(kUtf8Bom.size());
  if (!body.starts_with("<?xml")) return {};
  const auto end = body.find("?>");
  if (end == std::string_view::npos) return {};
  std::string_view decl = body.substr(0, end);
  const auto at = decl.find("encoding");
  if (at == std::string_view::npos) return {};
  decl.remove_prefix(at + 8);
  while (!decl.empty() && (decl.front() == ' ' || decl.front() == '\t' || decl.front() == '\r' ||
                           decl.front() == '\n' || decl.front() == '='))
    decl.remove_prefix(1);
  if (decl.empty() || (decl.front() != '"' && decl.front() != '\'')) return {};
  const char quote = decl.front();
  decl.remove_prefix(1);
  const auto close = decl.find(quote);
  if (close == std::string_view::npos) return {};
  return std::string(decl.substr(0, close));
}

std::optional<RepairedBytes> repair_bytes(std::string_view body, std::string_view charset) {
  std::optional<Decoded> decoded;
  const bool utf8 = charset.empty() || is_utf8_name(charset);
  // Nearly every feed is valid UTF-8: checked without making the repaired copy it would not need.
  if (utf8 && valid_utf8(body)) return std::nullopt;
  if (utf8) decoded = decode_utf8_text(body);
  else decoded = decode_with_iconv(body, charset);
  if (!decoded || decoded->repaired.replaced == 0) return std::nullopt;
  const std::size_t bad = decoded->repaired.replaced;
  if (bad >= kMisencodedMin && bad > decoded->valid_non_ascii && bad * 20 > body.size()) return std::nullopt;
  decoded->repaired.first_line = line_at(body, decoded->first_offset);
  return std::move(decoded->repaired);
}

}  // namespace otklik
