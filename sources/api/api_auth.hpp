#pragma once
/// How calls to an API are authorised. A static key in a header is StaticHeadersAuth; flows that
/// fetch or sign a short-lived token (OAuth2 refresh tokens, JWTs) implement ApiAuth next to their
/// site's client and cache the token until it expires.

#include "daemon/core/error.hpp"
#include "sources/api/api_call.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace otklik {

class ApiAuth {
 public:
  virtual ~ApiAuth() = default;
  /// The headers that authorise one call, fetching or signing a token first when none is cached
  /// or it is about to expire. A refused token request is errc::unauthorized with the reason the
  /// token endpoint gave; a network failure is returned as it is.
  virtual boost::asio::awaitable<Result<Headers>> headers(ApiContext& ctx) = 0;
  /// The API answered 401 to the last credentials: forget a cached token. True when a new one may
  /// be obtained (the call is then made once more); false for a fixed key.
  virtual bool refresh() { return false; }
  /// Every string that must never reach a log, a metric or a chat: keys, client secrets, refresh
  /// and access tokens (the current ones included).
  [[nodiscard]] virtual std::vector<std::string> secrets() const = 0;
};

/// A fixed key sent in headers ("Authorization: KEY", "Client-Id" + "Api-Key", "Api-Key").
class StaticHeadersAuth final : public ApiAuth {
 public:
  /// `secret_values`: which of the header values are secrets (all of them when empty).
  explicit StaticHeadersAuth(Headers headers, std::vector<std::string> secret_values = {});
  boost::asio::awaitable<Result<Headers>> headers(ApiContext& ctx) override;
  [[nodiscard]] std::vector<std::string> secrets() const override { return secrets_; }

 private:
  Headers headers_;
  std::vector<std::string> secrets_;
};

}  // namespace otklik
