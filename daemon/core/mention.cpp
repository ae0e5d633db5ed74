#include "daemon/core/mention.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace otklik {

namespace {

std::string to_hex(const unsigned char* md, unsigned int len) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xF]);
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) { return sha256_hex(std::initializer_list<std::string_view>{bytes}); }

std::string sha256_hex(std::initializer_list<std::string_view> parts) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  struct Ctx {
    EVP_MD_CTX* p = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(p); }
  } ctx;
  bool ok = ctx.p != nullptr && EVP_DigestInit_ex(ctx.p, EVP_sha256(), nullptr) == 1;
  for (const std::string_view part : parts) ok = ok && EVP_DigestUpdate(ctx.p, part.data(), part.size()) == 1;
  if (!ok || EVP_DigestFinal_ex(ctx.p, md.data(), &len) != 1) throw std::runtime_error("SHA-256 failed");
  return to_hex(md.data(), len);
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
