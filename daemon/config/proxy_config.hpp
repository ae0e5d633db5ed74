#pragma once
/// A proxy for outgoing HTTP(S) requests: `[http] proxy` (the default), `[[source]] proxy` and
/// `[[channel]] proxy`. A plain struct without TOML, so that HttpRequest can carry one.

#include "daemon/core/error.hpp"
#include "daemon/core/secret.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace otklik {

struct ProxyConfig {
  enum class Kind {
    none,    ///< connect directly
    http,    ///< HTTP proxy: CONNECT for https targets, absolute-form forwarding for http
    socks5,  ///< SOCKS5 (RFC 1928); the target's name is always resolved by the proxy
  };
  Kind kind = Kind::none;
  std::string host;      ///< name or IP literal (IPv6 without brackets), lower case
  std::uint16_t port = 0;
  std::string username;  ///< "" = no credentials
  Secret password;       ///< with `username`: `proxy_password`, an env:/file: reference

  [[nodiscard]] bool enabled() const noexcept { return kind != Kind::none; }
  /// "socks5://user@proxy.example:1080" or "http://[::1]:3128": scheme, user and address, never
  /// the password. For log lines, failure details and the connection pool's key.
  [[nodiscard]] std::string describe() const;
};

/// Parses a `proxy` value: "none", or "http://[user@]host:port", "socks5://[user@]host:port",
/// "socks5h://…" (the same as socks5: names are always resolved by the proxy). A password in the
/// URL, a path, query or fragment, a missing port or another scheme are refused (invalid_input);
/// the message never repeats the URL's user information.
Result<ProxyConfig> parse_proxy_url(std::string_view text);

}  // namespace otklik
