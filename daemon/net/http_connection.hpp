#pragma once
/// An open connection to one origin and the one step that opens it (resolve, TCP connect, TLS).
/// Internal to daemon/net: the client opens connections here, talks over them in http_exchange
/// and parks idle ones in its IdlePool.

#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"
#include "daemon/net/url_target.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <memory>
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

 private:
  std::variant<boost::beast::tcp_stream, TlsStream> stream_;
};

/// A failed phase as a Failure: "<phase> timed out after 10s" (timeout), "<phase> cancelled"
/// (cancelled), else "<phase>: <reason>" with `otherwise`.
Failure phase_failure(const boost::system::error_code& ec, errc otherwise, const std::string& phase, Duration limit);

/// The connect step of the client, in one place: resolves `target.host` and connects over TCP
/// within `connect_timeout`; for https then wraps the stream in TLS from `tls`, sends SNI (names
/// only) and handshakes within `tls_timeout`, verifying the chain and the host name (or IP).
/// Failures: timeout, cancelled, connect_failed ("resolve host", "connect to host:port"),
/// tls_failed ("TLS handshake with host:port (why)"). `tls` must outlive the connection.
boost::asio::awaitable<Result<std::unique_ptr<HttpConnection>>> open_connection(
    UrlTarget target, Duration connect_timeout, Duration tls_timeout, boost::asio::ssl::context* tls);

}  // namespace otklik
