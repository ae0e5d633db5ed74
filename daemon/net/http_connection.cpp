#include "daemon/net/http_connection.hpp"

#include "daemon/net/address_policy.hpp"
#include "daemon/net/http_client.hpp"
#include "daemon/net/proxy_tunnel.hpp"
#include "daemon/net/tcp_dial.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>

#include <cerrno>
#include <sys/socket.h>

namespace otklik {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

/// What a non-blocking peek sees on a socket.
enum class Peek { nothing, bytes, closed };

Peek peek(tcp::socket& socket) {
  if (!socket.is_open()) return Peek::closed;
  char byte = 0;
  const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) return Peek::bytes;
  if (n == 0) return Peek::closed;
  return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Peek::nothing : Peek::closed;
}

}  // namespace

Failure phase_failure(const boost::system::error_code& ec, errc otherwise, const std::string& phase, Duration limit) {
  if (ec == beast::error::timeout) {
    return Failure(errc::timeout, phase + " timed out after " + format_duration(limit));
  }
  if (ec == asio::error::operation_aborted) return Failure(errc::cancelled, phase + " cancelled");
  return Failure(otherwise, phase + ": " + ec.message());
}

HttpConnection::TlsStream& HttpConnection::wrap_tls(asio::ssl::context& context) {
  if (auto* stream = tls()) return *stream;
  beast::tcp_stream plain = std::move(std::get<beast::tcp_stream>(stream_));
  return stream_.emplace<TlsStream>(std::move(plain), context);
}

beast::tcp_stream& HttpConnection::tcp() noexcept {
  if (auto* stream = tls()) return beast::get_lowest_layer(*stream);
  return std::get<beast::tcp_stream>(stream_);
}

bool HttpConnection::idle_and_open() {
  if (auto* stream = tls(); stream != nullptr && SSL_pending(stream->native_handle()) > 0) return false;
  return peek(tcp().socket()) == Peek::nothing;
}

bool HttpConnection::bytes_waiting() {
  if (auto* stream = tls(); stream != nullptr && SSL_pending(stream->native_handle()) > 0) return true;
  return peek(tcp().socket()) == Peek::bytes;
}

void HttpConnection::close() noexcept {
  auto& socket = tcp().socket();
  if (!socket.is_open()) return;
  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

namespace {

/// A TCP stream to the proxy with a tunnel to `target` (or ready to forward): any failure of the
/// proxy's own connection is the proxy's (proxy_failed), named with it.
asio::awaitable<Result<std::unique_ptr<HttpConnection>>> connect_through_proxy(const UrlTarget& target,
                                                                               const ConnectOptions& options) {
  const ProxyConfig& proxy = options.proxy;
  if (!options.allow_internal) {
    if (auto why = literal_refusal(target.host)) co_return Failure(errc::address_refused, *why);
  }
  const auto deadline = std::chrono::steady_clock::now() + options.connect_timeout;
  auto opened = co_await dial(proxy.host, std::to_string(proxy.port), deadline, options.connect_timeout,
                              /*refuse_internal=*/false);
  if (!opened) {
    Failure failure = opened.error();
    if (failure.code != make_error_code(errc::cancelled)) {
      failure = Failure(errc::proxy_failed, "proxy " + proxy.describe() + ": " + failure.detail);
    }
    co_return failure;
  }
  std::unique_ptr<HttpConnection> connection = std::move(*opened);
  if (target.tls || proxy.kind == ProxyConfig::Kind::socks5) {
    auto tunnel = co_await open_tunnel(connection->tcp(), proxy, target, options.connect_timeout);
    if (!tunnel) co_return tunnel.error();
  } else {
    connection->forward_through(proxy);
  }
  co_return connection;
}

}  // namespace

asio::awaitable<Result<std::unique_ptr<HttpConnection>>> open_connection(UrlTarget target, ConnectOptions options) {
  const auto where = target.authority();
  std::unique_ptr<HttpConnection> connection;
  if (options.proxy.enabled()) {
    auto opened = co_await connect_through_proxy(target, options);
    if (!opened) co_return opened.error();
    connection = std::move(*opened);
  } else {
    const auto deadline = std::chrono::steady_clock::now() + options.connect_timeout;
    auto opened = co_await dial(target.host, target.port, deadline, options.connect_timeout, !options.allow_internal);
    if (!opened) co_return opened.error();
    connection = std::move(*opened);
  }
  if (!target.tls) co_return connection;

  auto* tls = options.tls;
  if (tls == nullptr) co_return Failure(errc::tls_failed, "no TLS context for " + where);
  const std::string peer = options.proxy.enabled() ? where + " through proxy " + options.proxy.describe() : where;
  auto& stream = connection->wrap_tls(*tls);
  if (!target.ip_literal && !SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str())) {
    co_return Failure(errc::tls_failed, "cannot set SNI for " + where);
  }
  // Chain verification by OpenSSL, then the name (or IP) check; remember why it failed.
  auto why = std::make_shared<std::string>();
  stream.set_verify_mode(asio::ssl::verify_peer);
  stream.set_verify_callback(peer_verifier(target.host, why));
  connection->tcp().expires_after(options.tls_timeout);
  auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, kTuple);
  if (hec) {
    auto failure = phase_failure(hec, errc::tls_failed, "TLS handshake with " + peer, options.tls_timeout);
    if (!why->empty()) failure.detail += " (" + *why + ")";
    co_return failure;
  }
  connection->tcp().expires_never();
  co_return connection;
}

}  // namespace otklik
