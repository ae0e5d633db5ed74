#pragma once
/// Random tokens for sessions and CSRF, and the key a session is stored under. The cookie holds
/// the token; the store holds only the hash of it, so that a copy of the database does not hold
/// usable sessions.

#include <string>
#include <string_view>

namespace otklik::web {

/// 32 random bytes (randombytes_buf) as unpadded base64url: 43 characters, cookie- and
/// form-safe. Throws std::runtime_error when libsodium cannot be initialised (start-up failure).
std::string random_token();

/// The key a session is stored under: hex of the BLAKE2b-256 hash (crypto_generichash) of the
/// token, 64 characters.
std::string token_key(std::string_view token);

/// Whether `s` has the shape of a random_token() (43 base64url characters); a cheap check
/// before any lookup.
bool plausible_token(std::string_view s) noexcept;

/// Constant-time equality (sodium_memcmp) for tokens; different lengths are unequal (the length
/// of our tokens is public).
bool tokens_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace otklik::web
