#include "sources/app_store_connect/asc_jwt.hpp"

#include <boost/json.hpp>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <cstring>

namespace otklik {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct SigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

constexpr std::size_t kCoordinate = 32;  // P-256: R and S are 32 bytes each

/// A one-line PEM from an environment variable ("-----BEGIN…-----\nMIGT…\n-----END…") with its
/// line breaks written as the two characters '\' 'n'.
std::string unescape_pem(std::string_view pem) {
  std::string out(pem);
  if (out.find('\n') != std::string::npos || out.find("\\n") == std::string::npos) return out;
  std::string fixed;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\\' && i + 1 < out.size() && out[i + 1] == 'n') {
      fixed += '\n';
      ++i;
    } else {
      fixed += out[i];
    }
  }
  return fixed;
}

/// Never asks for a passphrase (OpenSSL's default would read the terminal): an encrypted key fails.
int no_passphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) { return -1; }

/// The key in `pem`, or what is wrong with it (never quoting it).
std::pair<PkeyPtr, std::string> read_key(std::string_view raw) {
  const std::string pem = unescape_pem(raw);
  if (pem.find("-----BEGIN") == std::string::npos) {
    const bool path_like = raw.size() < 300 && (raw.ends_with(".p8") || raw.find('/') != std::string_view::npos);
    return {nullptr, path_like ? "is not a PEM key; to read the key from a file write \"file:PATH\" "
                                 "(file:AuthKey_KEYID.p8)"
                               : "is not a PEM key (no \"-----BEGIN PRIVATE KEY-----\" line); give the .p8 file "
                                 "as downloaded from App Store Connect"};
  }
  if (pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string::npos)
    return {nullptr, "is an encrypted private key; Apple's .p8 file is not encrypted, give it as downloaded"};
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return {nullptr, "could not be read (out of memory)"};
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  ERR_clear_error();
  if (!key)
    return {nullptr, "is not a readable PEM private key (the .p8 file from App Store Connect holds "
                     "\"-----BEGIN PRIVATE KEY-----\")"};
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC)
    return {nullptr, std::string("is a ") + (EVP_PKEY_get0_type_name(key.get()) ? EVP_PKEY_get0_type_name(key.get()) : "non-EC") +
                         " key, not the P-256 EC key App Store Connect issues (ES256)"};
  std::array<char, 64> group{};
  std::size_t group_len = 0;
  if (EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(), &group_len) != 1) {
    ERR_clear_error();
    return {nullptr, "is an EC key on an unnamed curve, not P-256 (ES256)"};
  }
  const std::string_view curve(group.data(), group_len);
  if (curve != "prime256v1" && curve != "P-256" && curve != "secp256r1")
    return {nullptr, "is an EC key on the curve " + std::string(curve) + ", not P-256 (ES256 needs prime256v1)"};
  return {std::move(key), std::string()};
}

std::string json_text(const boost::json::object& o) { return boost::json::serialize(o); }

std::int64_t unix_seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string check_asc_private_key(std::string_view pem) { return read_key(pem).second; }

struct AscSigningKey::Impl {
  PkeyPtr key;
};

AscSigningKey::AscSigningKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AscSigningKey::~AscSigningKey() = default;

Result<std::shared_ptr<const AscSigningKey>> AscSigningKey::load(std::string_view pem) {
  auto [key, why] = read_key(pem);
  if (!key) return Failure(errc::invalid_input, "the App Store Connect private key " + why);
  auto impl = std::make_unique<Impl>();
  impl->key = std::move(key);
  return std::shared_ptr<const AscSigningKey>(new AscSigningKey(std::move(impl)));
}

Result<std::string> AscSigningKey::sign(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  std::size_t der_len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, impl_->key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &der_len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    ERR_clear_error();
    return Failure(errc::invalid_input, "ES256 signing failed to start");
  }
  std::string der(der_len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &der_len,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    ERR_clear_error();
    return Failure(errc::invalid_input, "ES256 signing failed");
  }
  // OpenSSL writes the DER SEQUENCE {r, s}; JWS wants the two integers as fixed 32-byte halves.
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<ECDSA_SIG, SigFree> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
  if (!sig) {
    ERR_clear_error();
    return Failure(errc::invalid_input, "ES256 signature not in DER form");
  }
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(2 * kCoordinate, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, kCoordinate) != static_cast<int>(kCoordinate) ||
      BN_bn2binpad(s, out + kCoordinate, kCoordinate) != static_cast<int>(kCoordinate)) {
    ERR_clear_error();
    return Failure(errc::invalid_input, "ES256 signature out of range");
  }
  return raw;
}

std::string base64url(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                   static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 2]));
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned n = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    if (rest == 2) out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

Result<std::string> make_asc_jwt(const AscSigningKey& key, std::string_view key_id, std::string_view issuer_id,
                                 std::int64_t issued_at, std::chrono::seconds lifetime) {
  if (lifetime > kAscMaxTokenLifetime) lifetime = kAscMaxTokenLifetime;
  const boost::json::object header{{"alg", "ES256"}, {"kid", key_id}, {"typ", "JWT"}};
  const boost::json::object payload{{"iss", issuer_id},
                                    {"iat", issued_at},
                                    {"exp", issued_at + lifetime.count()},
                                    {"aud", kAscAudience}};
  std::string signing_input = base64url(json_text(header)) + "." + base64url(json_text(payload));
  auto signature = key.sign(signing_input);
  if (!signature) return signature.error();
  return signing_input + "." + base64url(*signature);
}

AscJwtAuth::AscJwtAuth(std::string key_id, std::string issuer_id, std::string private_key_pem,
                       std::chrono::seconds lifetime)
    : key_id_(std::move(key_id)),
      issuer_id_(std::move(issuer_id)),
      pem_(std::move(private_key_pem)),
      lifetime_(std::min(lifetime, kAscMaxTokenLifetime)) {
  // The key's base64 lines are secrets too: a log line could quote one without the rest.
  const std::string pem = unescape_pem(pem_);
  std::size_t start = 0;
  while (start < pem.size()) {
    std::size_t end = pem.find('\n', start);
    if (end == std::string::npos) end = pem.size();
    std::string line = pem.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.size() >= 16 && !line.starts_with("-----")) key_lines_.push_back(std::move(line));
    start = end + 1;
  }
  if (auto loaded = AscSigningKey::load(pem_)) key_ = *loaded;
}

Result<std::string> AscJwtAuth::token_at(TimePoint now) {
  std::lock_guard lock(mutex_);
  // Renewed a minute before it expires, so that a token never runs out during a call.
  if (!token_.empty() && now + std::chrono::minutes(1) < expires_ && now >= expires_ - lifetime_) return token_;
  if (!key_) {
    auto loaded = AscSigningKey::load(pem_);
    if (!loaded) return loaded.error();
    key_ = *loaded;
  }
  const std::int64_t iat = unix_seconds(now);
  auto token = make_asc_jwt(*key_, key_id_, issuer_id_, iat, lifetime_);
  if (!token) return token.error();
  token_ = *token;
  expires_ = TimePoint(std::chrono::seconds(iat)) + lifetime_;
  return token_;
}

boost::asio::awaitable<Result<Headers>> AscJwtAuth::headers(ApiContext& ctx) {
  auto token = token_at(ctx.now);
  if (!token) co_return token.error();
  co_return Headers{{"Authorization", "Bearer " + *token}};
}

bool AscJwtAuth::refresh() {
  std::lock_guard lock(mutex_);
  token_.clear();
  expires_ = {};
  return true;
}

std::vector<std::string> AscJwtAuth::secrets() const {
  std::vector<std::string> out;
  out.push_back(pem_);
  out.insert(out.end(), key_lines_.begin(), key_lines_.end());
  std::lock_guard lock(mutex_);
  if (!token_.empty()) {
    out.push_back(token_);
    // The signature alone is what makes a token usable; hide it even when quoted apart.
    if (const auto dot = token_.rfind('.'); dot != std::string::npos) out.push_back(token_.substr(dot + 1));
  }
  return out;
}

std::pair<std::string, TimePoint> AscJwtAuth::current() const {
  std::lock_guard lock(mutex_);
  return {token_, expires_};
}

}  // namespace otklik
