#pragma once
/// App Store Connect API authorisation: a JSON Web Token signed ES256 with the team's API key (the
/// AuthKey_KEYID.p8 file, a PEM PKCS#8 P-256 private key), as "Generating Tokens for API Requests"
/// describes it:
///   header  {"alg":"ES256","kid":KEY_ID,"typ":"JWT"}
///   payload {"iss":ISSUER_ID,"iat":NOW,"exp":NOW+1200,"aud":"appstoreconnect-v1"}
///   signature: ECDSA P-256 over SHA-256 of "header.payload", as the 64-byte R||S (RFC 7518 3.4),
///   each part base64url without padding.
/// Apple refuses tokens that live longer than 20 minutes; AscJwtAuth signs one, keeps it and signs
/// the next a minute before it expires (or at once after a 401).

#include "sources/api/api_auth.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace otklik {

/// The audience Apple expects in every token.
inline constexpr std::string_view kAscAudience = "appstoreconnect-v1";
/// The longest token lifetime Apple accepts.
inline constexpr std::chrono::seconds kAscMaxTokenLifetime{20 * 60};

/// "" when `pem` holds a P-256 EC private key (PEM, PKCS#8 "PRIVATE KEY" as Apple's .p8 files, or
/// SEC1 "EC PRIVATE KEY"); otherwise what is wrong with it, in words that never quote the key.
std::string check_asc_private_key(std::string_view pem);

/// The key as the signer uses it: a PEM read once. Literal "\n" pairs in a one-line value (a PEM
/// pasted into an environment variable) are taken as line breaks.
class AscSigningKey {
 public:
  /// errc::invalid_input with check_asc_private_key()'s words when the PEM is not a P-256 key.
  static Result<std::shared_ptr<const AscSigningKey>> load(std::string_view pem);
  ~AscSigningKey();
  AscSigningKey(const AscSigningKey&) = delete;
  AscSigningKey& operator=(const AscSigningKey&) = delete;

  /// The raw 64-byte R||S ES256 signature of `data`.
  [[nodiscard]] Result<std::string> sign(std::string_view data) const;

 private:
  struct Impl;
  explicit AscSigningKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Base64url (RFC 4648 section 5) without padding.
std::string base64url(std::string_view bytes);

/// A signed token for `key_id` and `issuer_id`, issued at `issued_at` (unix seconds) and valid for
/// `lifetime` (at most kAscMaxTokenLifetime).
Result<std::string> make_asc_jwt(const AscSigningKey& key, std::string_view key_id, std::string_view issuer_id,
                                 std::int64_t issued_at, std::chrono::seconds lifetime = kAscMaxTokenLifetime);

/// ApiAuth for the App Store Connect API: "Authorization: Bearer <JWT>", the token cached until a
/// minute before it expires.
class AscJwtAuth final : public ApiAuth {
 public:
  /// `private_key_pem` must have passed check_asc_private_key() (the config did that); a key that
  /// does not load fails each call with errc::invalid_input.
  AscJwtAuth(std::string key_id, std::string issuer_id, std::string private_key_pem,
             std::chrono::seconds lifetime = kAscMaxTokenLifetime);

  boost::asio::awaitable<Result<Headers>> headers(ApiContext& ctx) override;
  /// Forgets the token: the next call signs a new one.
  bool refresh() override;
  [[nodiscard]] std::vector<std::string> secrets() const override;

  /// The token in use and when it expires (tests, diagnostics); "" before the first call.
  [[nodiscard]] std::pair<std::string, TimePoint> current() const;

 private:
  Result<std::string> token_at(TimePoint now);

  std::string key_id_;
  std::string issuer_id_;
  std::string pem_;
  std::vector<std::string> key_lines_;  ///< the PEM's base64 lines, also kept from logs
  std::chrono::seconds lifetime_;
  std::shared_ptr<const AscSigningKey> key_;
  mutable std::mutex mutex_;
  std::string token_;
  TimePoint expires_{};
};

}  // namespace otklik
