#pragma once
/// The client side of a SOCKS5 CONNECT (RFC 1928), with username/password authentication
/// (RFC 1929) when the proxy has a user, as a sans-I/O state machine: it says what to write and
/// how many bytes to read next, and judges what came back. proxy_tunnel.cpp drives it over a
/// socket; the tests drive it with byte strings.
///
/// The target's name is always sent to the proxy (ATYP 3, "socks5h" behaviour): nothing is
/// resolved locally, so no DNS query leaks past the proxy. IP literals go as ATYP 1 / 4.

#include "daemon/config/proxy_config.hpp"
#include "daemon/core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// What the driver of a handshake does next.
struct HandshakeStep {
  enum class Action {
    write,   ///< send `bytes`, then ask next()
    read,    ///< read exactly `read_size` bytes, pass them to received(), then ask next()
    done,    ///< the tunnel is open: the stream now talks to the target
    failed,  ///< give up with `failure`
  };
  Action action = Action::failed;
  std::string bytes;
  std::size_t read_size = 0;
  std::optional<Failure> failure;
};

class Socks5Handshake {
 public:
  /// A tunnel through `proxy` (its user and password, if any) to `host`:`port`; `host` a name or
  /// an IP literal (IPv6 without brackets).
  Socks5Handshake(const ProxyConfig& proxy, std::string host, std::uint16_t port);

  /// The next step; a write step counts as done once returned.
  HandshakeStep next();
  /// The bytes of the last read step (exactly as many as it asked for).
  void received(std::string_view bytes);

 private:
  enum class State { greet, method, send_auth, auth_reply, send_request, reply_head, reply_rest, done, failed };

  HandshakeStep fail(errc code, std::string detail);
  void set_failure(errc code, std::string detail);
  [[nodiscard]] std::string where() const;

  State state_ = State::greet;
  std::string proxy_name_;  ///< ProxyConfig::describe()
  std::string username_;
  std::string password_;
  std::string host_;
  std::uint16_t port_;
  std::size_t rest_ = 0;    ///< bytes of the reply after its first five
  std::optional<Failure> failure_;
};

/// The meaning of a SOCKS5 reply code (RFC 1928 §6): "connection refused", "host unreachable"…
std::string_view socks5_reply_text(unsigned code) noexcept;

/// Whether a SOCKS5 reply code says the target failed (network or host unreachable, connection
/// refused, TTL expired) rather than the proxy (general failure, not allowed, unsupported).
bool socks5_target_failure(unsigned code) noexcept;

}  // namespace otklik
