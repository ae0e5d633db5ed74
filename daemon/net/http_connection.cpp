#include "daemon/net/http_connection.hpp"

#include "daemon/net/http_client.hpp"

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

/// A name resolution that the caller can stop waiting for: getaddrinfo cannot be interrupted,
/// so on the deadline the caller leaves and the late result is dropped with this state.
struct PendingResolve {
  explicit PendingResolve(const asio::any_io_executor& ex) : resolver(ex), wake(ex) {}
  tcp::resolver resolver;
  asio::steady_timer wake;
  bool finished = false;
  beast::error_code ec;
  tcp::resolver::results_type results;
};

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

asio::awaitable<Result<std::unique_ptr<HttpConnection>>> open_connection(UrlTarget target, Duration connect_timeout,
                                                                         Duration tls_timeout,
                                                                         asio::ssl::context* tls) {
  auto executor = co_await asio::this_coro::executor;
  const auto where = target.authority();
  const auto deadline = std::chrono::steady_clock::now() + connect_timeout;
  // An HTTP CONNECT or SOCKS proxy goes here: resolve and connect to the proxy instead, then
  // ask it for `target` before the TLS step below.

  auto resolve = std::make_shared<PendingResolve>(executor);
  resolve->wake.expires_at(deadline);
  resolve->resolver.async_resolve(target.host, target.port,
                                  [resolve](beast::error_code ec, tcp::resolver::results_type results) {
                                    resolve->ec = ec;
                                    resolve->results = std::move(results);
                                    resolve->finished = true;
                                    resolve->wake.cancel();
                                  });
  if (!resolve->finished) {
    auto [wait_ec] = co_await resolve->wake.async_wait(kTuple);
    if (!resolve->finished && wait_ec == asio::error::operation_aborted) {
      resolve->resolver.cancel();
      co_return Failure(errc::cancelled, "resolve " + target.host + " cancelled");
    }
  }
  if (!resolve->finished) {
    co_return Failure(errc::timeout, "resolve " + target.host + " timed out after " + format_duration(connect_timeout));
  }
  if (resolve->ec) co_return Failure(errc::connect_failed, "resolve " + target.host + ": " + resolve->ec.message());
  // The address filter goes here: drop resolved addresses that must not be reached (private,
  // loopback, link-local) before connecting, and fail with the host's name when none is left.

  beast::tcp_stream tcp_stream(executor);
  tcp_stream.expires_at(deadline);
  auto [cec, endpoint] = co_await tcp_stream.async_connect(resolve->results, kTuple);
  if (cec) co_return phase_failure(cec, errc::connect_failed, "connect to " + where, connect_timeout);
  tcp_stream.expires_never();
  beast::error_code option_ec;
  tcp_stream.socket().set_option(tcp::no_delay(true), option_ec);
  auto connection = std::make_unique<HttpConnection>(std::move(tcp_stream));
  if (!target.tls) co_return connection;

  if (tls == nullptr) co_return Failure(errc::tls_failed, "no TLS context for " + where);
  auto& stream = connection->wrap_tls(*tls);
  if (!target.ip_literal && !SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str())) {
    co_return Failure(errc::tls_failed, "cannot set SNI for " + where);
  }
  // Chain verification by OpenSSL, then the name (or IP) check; remember why it failed.
  auto why = std::make_shared<std::string>();
  stream.set_verify_mode(asio::ssl::verify_peer);
  stream.set_verify_callback(peer_verifier(target.host, why));
  connection->tcp().expires_after(tls_timeout);
  auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, kTuple);
  if (hec) {
    auto failure = phase_failure(hec, errc::tls_failed, "TLS handshake with " + where, tls_timeout);
    if (!why->empty()) failure.detail += " (" + *why + ")";
    co_return failure;
  }
  connection->tcp().expires_never();
  co_return connection;
}

}  // namespace otklik
