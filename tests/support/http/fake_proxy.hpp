#pragma once
/// An in-process proxy on 127.0.0.1 for tests: HTTP (CONNECT tunnels and plain forwarding of
/// absolute-form requests) or SOCKS5 (RFC 1928, optionally with RFC 1929 username/password). It
/// runs on its own thread and io_context, records what it was asked, and relays bytes to the
/// target, so the client under test sees a real proxy. Knobs make it refuse, stall or answer
/// with a chosen error.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace otklik::test {

/// One request the proxy received.
struct ProxyRequest {
  std::string kind;          ///< "CONNECT", "forward" (HTTP proxy) or "socks5"
  std::string target;        ///< CONNECT/SOCKS5: "host:port" as asked; forward: the absolute URL
  std::string socks_address_type;  ///< SOCKS5: "name", "ipv4" or "ipv6"
  std::string user;          ///< the credentials it was given (Proxy-Authorization decoded, or RFC 1929)
  std::string password;
  bool credentials_given = false;
  std::vector<std::string> methods;  ///< SOCKS5: the authentication methods offered ("none", "user/password")
};

class FakeProxy {
 public:
  enum class Kind { http, socks5 };

  /// Starts listening on 127.0.0.1 on a free port.
  explicit FakeProxy(Kind kind);
  ~FakeProxy();  ///< stops and joins
  FakeProxy(const FakeProxy&) = delete;
  FakeProxy& operator=(const FakeProxy&) = delete;

  [[nodiscard]] unsigned short port() const;
  /// "http://127.0.0.1:PORT" or "socks5://127.0.0.1:PORT" (with "user@" when given).
  [[nodiscard]] std::string url(const std::string& user = "") const;

  /// Only these credentials are accepted (HTTP: 407 otherwise; SOCKS5: user/password method
  /// required, status 1 for wrong ones).
  void require_credentials(std::string user, std::string password);
  /// HTTP: answer every CONNECT with this status line instead ("403 Forbidden"); SOCKS5: with
  /// this reply code.
  void refuse_with(std::string http_status_line, unsigned char socks_reply = 0x02);
  /// Accept connections and read, but never answer.
  void stall();

  /// What it was asked so far (thread-safe).
  [[nodiscard]] std::vector<ProxyRequest> requests() const;
  [[nodiscard]] std::size_t connections_accepted() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace otklik::test
