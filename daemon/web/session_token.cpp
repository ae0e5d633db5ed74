#include "daemon/web/session_token.hpp"

#include "daemon/web/password_hash.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace otklik::web {

namespace {
constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kTokenChars = 43;  // unpadded base64 of 32 bytes

void require_sodium() {
  if (!sodium_ready()) throw std::runtime_error("libsodium cannot be initialised");
}
}  // namespace

std::string random_token() {
  require_sodium();
  std::array<unsigned char, kTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  constexpr auto variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(kTokenBytes, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.resize(kTokenChars);  // drops the terminating NUL
  sodium_memzero(bytes.data(), bytes.size());
  return out;
}

std::string token_key(std::string_view token) {
  require_sodium();
  std::array<unsigned char, crypto_generichash_BYTES> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  std::string hex(hash.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  hex.pop_back();
  return hex;
}

bool plausible_token(std::string_view s) noexcept {
  if (s.size() != kTokenChars) return false;
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool tokens_equal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  if (!sodium_ready()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace otklik::web
