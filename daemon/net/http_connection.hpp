#pragma once
/// An open connection to one origin and the one step that opens it (resolve, address filter, TCP
/// connect, proxy, TLS). Internal to daemon/net: the client opens connections here, talks over
/// them in http_exchange and parks idle ones in its IdlePool.

#include "daemon/config/proxy_config.hpp"
#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"
#include "daemon/net/url_target.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace otklik {

/// A connected plain TCP stream, or a TLS stream whose handshake verified the peer for the
/// origin's host. Destroying it closes the socket (without a TLS close_notify: nobody waits for
/// one from an idle client).
class HttpConnection {
 public:
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  explicit HttpConnection(boost::beast::tcp_stream stream) : stream_(std::move(stream)) {}
  ~HttpConnection() { close(); }
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  /// Wraps the TCP stream in TLS (before the handshake); returns the TLS stream.
  TlsStream& wrap_tls(boost::asio::ssl::context& context);

  /// The TLS stream, or null for plain HTTP.
  [[nodiscard]] TlsStream* tls() noexcept { return std::get_if<TlsStream>(&stream_); }
  /// The plain stream, or null for TLS.
  [[nodiscard]] boost::beast::tcp_stream* plain() noexcept { return std::get_if<boost::beast::tcp_stream>(&stream_); }
  /// The TCP layer (deadlines, the socket).
  [[nodiscard]] boost::beast::tcp_stream& tcp() noexcept;

  /// The check before reuse, without blocking (a peek at the socket): true while the peer has
  /// neither closed nor reset the connection nor sent anything unasked. Bytes arriving on an
  /// idle connection (a late body, a TLS alert before a close) make the framing unknown, so they
  /// count as "not reusable" too.
  [[nodiscard]] bool idle_and_open();
  /// True when bytes from the peer are waiting to be read (a peek, without blocking).
  [[nodiscard]] bool bytes_waiting();

  /// Shuts the socket down and closes it; idempotent.
  void close() noexcept;

  /// Marks a plain connection to an HTTP proxy that forwards http requests: they go out with
  /// absolute-form targets and the proxy's Proxy-Authorization (http_exchange.cpp).
  void forward_through(ProxyConfig proxy) { forwarding_ = std::move(proxy); }
  /// The HTTP proxy this connection forwards requests through, or null (direct, or a tunnel).
  [[nodiscard]] const ProxyConfig* forwarding() const noexcept { return forwarding_ ? &*forwarding_ : nullptr; }

 private:
  std::variant<boost::beast::tcp_stream, TlsStream> stream_;
  std::optional<ProxyConfig> forwarding_;
};

/// A failed phase as a Failure: "<phase> timed out after 10s" (timeout), "<phase> cancelled"
/// (cancelled), else "<phase>: <reason>" with `otherwise`.
Failure phase_failure(const boost::system::error_code& ec, errc otherwise, const std::string& phase, Duration limit);

/// How open_connection() connects.
struct ConnectOptions {
  Duration connect_timeout{};    ///< resolve + TCP connect; with a proxy: to the proxy, and again its tunnel
  Duration tls_timeout{};        ///< the TLS handshake with the target
  boost::asio::ssl::context* tls = nullptr;  ///< for https; must outlive the connection
  /// May connect to internal addresses (address_policy.hpp); false: they are refused.
  bool allow_internal = false;
  ProxyConfig proxy;             ///< kind none: direct
};

/// The connect step of the client, in one place.
/// - Direct: resolves `target.host`, drops internal addresses unless `allow_internal`
///   (tcp_dial.hpp), and connects over TCP within `connect_timeout`.
/// - Through a proxy: refuses an internal IP literal or `localhost` target unless
///   `allow_internal` (the proxy resolves names: nothing else can be checked here), resolves and
///   connects to the proxy (a configured proxy may be on any address) within `connect_timeout`;
///   then for https or SOCKS5 asks it for a tunnel within `connect_timeout` again
///   (proxy_tunnel.hpp), while plain http through an HTTP proxy is forwarded (forward_through()).
/// - For https then wraps the stream in TLS from `tls`, sends SNI (names only) and handshakes
///   within `tls_timeout`, verifying the chain and the name (or IP) of the target, never the proxy.
/// Failures: timeout, cancelled, connect_failed ("resolve host", "connect to host:port"),
/// address_refused ("127.0.0.1 is a loopback address"), proxy_failed ("proxy
/// http://proxy:3128: connect to proxy:3128: Connection refused"), tls_failed ("TLS handshake
/// with host:port (why)").
boost::asio::awaitable<Result<std::unique_ptr<HttpConnection>>> open_connection(UrlTarget target,
                                                                                ConnectOptions options);

}  // namespace otklik
