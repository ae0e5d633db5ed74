#pragma once
/// Checking an ES256 JSON Web Token the way the App Store Connect API does, for tests: the three
/// base64url parts, the header and payload as JSON, and the signature (64-byte R||S) verified with
/// a P-256 public key through OpenSSL. Independent of the signer under test (sources/app_store_connect).

#include <boost/json.hpp>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace otklik::test {

/// Base64url without padding → bytes; nullopt for a character outside the alphabet or padding.
inline std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-') v = 62;
    else if (c == '_') v = 63;
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (bits >= 6) return std::nullopt;  // a lone character cannot end a valid encoding
  return out;
}

struct JwtCheck {
  bool ok = false;
  std::string why;               ///< what failed, when !ok
  boost::json::object header;
  boost::json::object payload;
};

/// Parses `token` and verifies its ES256 signature with `public_pem` (PEM "PUBLIC KEY").
inline JwtCheck check_es256_jwt(std::string_view token, std::string_view public_pem) {
  JwtCheck out;
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    out.why = "not three dot-separated parts";
    return out;
  }
  const auto header = base64url_decode(token.substr(0, dot1));
  const auto payload = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  const auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!header || !payload || !signature) {
    out.why = "a part is not base64url without padding";
    return out;
  }
  boost::system::error_code ec;
  const auto h = boost::json::parse(*header, ec);
  if (ec || !h.is_object()) {
    out.why = "header is not a JSON object";
    return out;
  }
  const auto p = boost::json::parse(*payload, ec);
  if (ec || !p.is_object()) {
    out.why = "payload is not a JSON object";
    return out;
  }
  out.header = h.as_object();
  out.payload = p.as_object();
  if (signature->size() != 64) {
    out.why = "signature is " + std::to_string(signature->size()) + " bytes, not the 64 of R||S";
    return out;
  }

  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size())),
                                                &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr),
                                                          &EVP_PKEY_free);
  if (!key) {
    ERR_clear_error();
    out.why = "public key unreadable";
    return out;
  }
  // R||S back to the DER SEQUENCE OpenSSL verifies.
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(ECDSA_SIG_new(), &ECDSA_SIG_free);
  const auto* raw = reinterpret_cast<const unsigned char*>(signature->data());
  BIGNUM* r = BN_bin2bn(raw, 32, nullptr);
  BIGNUM* s = BN_bin2bn(raw + 32, 32, nullptr);
  ECDSA_SIG_set0(sig.get(), r, s);
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(sig.get(), &der);
  std::unique_ptr<unsigned char, void (*)(unsigned char*)> der_owner(der, [](unsigned char* d) { OPENSSL_free(d); });
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  const std::string_view signed_part = token.substr(0, dot2);
  const bool verified =
      der_len > 0 && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), der, static_cast<std::size_t>(der_len),
                       reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
  ERR_clear_error();
  if (!verified) {
    out.why = "ES256 signature does not verify with the public key";
    return out;
  }
  out.ok = true;
  return out;
}

/// A fresh P-256 key pair as PEM: {private PKCS#8, public}.
inline std::pair<std::string, std::string> make_p256_pem() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), &EVP_PKEY_free);
  auto pem_of = [&](bool priv) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    if (priv) PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    else PEM_write_bio_PUBKEY(bio.get(), key.get());
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
  };
  return {pem_of(true), pem_of(false)};
}

}  // namespace otklik::test
