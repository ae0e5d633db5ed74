#include "daemon/core/mention.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace otklik {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md.data(), &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("EVP_Digest(sha256) failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xF]);
  }
  return out;
}

std::string scored_text(const Mention& m) {
  if (m.title.empty()) return m.text;
  if (m.text.empty()) return m.title;
  return m.title + "\n" + m.text;
}

std::string content_hash_id(const Mention& m) {
  std::string key;
  key.reserve(m.url.size() + m.author.size() + m.title.size() + m.text.size() + 4);
  // A unit separator between fields so that ("ab","c") and ("a","bc") differ.
  for (const std::string* part : {&m.url, &m.author, &m.title, &m.text}) {
    key += *part;
    key.push_back('\x1f');
  }
  return "h:" + sha256_hex(key).substr(0, 32);
}

}  // namespace otklik
