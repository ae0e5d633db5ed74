#include "daemon/net/proxy_tunnel.hpp"

#include "daemon/net/http_connection.hpp"
#include "daemon/net/http_proxy_protocol.hpp"
#include "daemon/net/socks5_handshake.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>

#include <charconv>

namespace otklik {

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxReplyHead = 16 * 1024;

/// A failed read or write during the handshake: the proxy closed or reset the connection
/// (proxy_failed), or the deadline passed (timeout).
Failure io_failure(const beast::error_code& ec, const ProxyConfig& proxy, const std::string& what, Duration limit) {
  if (ec == beast::error::timeout || ec == asio::error::operation_aborted) {
    return phase_failure(ec, errc::proxy_failed, what + " through proxy " + proxy.describe(), limit);
  }
  if (ec == asio::error::eof) {
    return Failure(errc::proxy_failed, "proxy " + proxy.describe() + " closed the connection during " + what);
  }
  return Failure(errc::proxy_failed, "proxy " + proxy.describe() + ": " + what + ": " + ec.message());
}

asio::awaitable<Result<void>> http_connect(beast::tcp_stream& stream, const ProxyConfig& proxy, const UrlTarget& target,
                                           Duration timeout) {
  const std::string authority = target.authority();
  const std::string what = "CONNECT " + authority;
  const std::string request = connect_request(proxy, authority);
  auto [wec, written] = co_await asio::async_write(stream, asio::buffer(request), kTuple);
  if (wec) co_return io_failure(wec, proxy, what, timeout);
  std::string head;
  auto [rec, n] = co_await asio::async_read_until(stream, asio::dynamic_buffer(head, kMaxReplyHead), "\r\n\r\n", kTuple);
  if (rec == asio::error::not_found) {
    co_return Failure(errc::proxy_failed, "proxy " + proxy.describe() + " sent a reply head over 16 KiB to " + what);
  }
  if (rec) co_return io_failure(rec, proxy, what, timeout);
  if (auto failure = judge_connect_reply(std::string_view(head).substr(0, n), proxy, authority)) co_return *failure;
  if (head.size() > n) {
    // A 2xx to CONNECT has no body (RFC 9110 §9.3.6); bytes after it cannot be the target's,
    // which waits for our TLS hello.
    co_return Failure(errc::proxy_failed, "proxy " + proxy.describe() + " sent bytes after its reply to " + what);
  }
  co_return Result<void>{};
}

asio::awaitable<Result<void>> socks5_connect(beast::tcp_stream& stream, const ProxyConfig& proxy,
                                             const UrlTarget& target, Duration timeout) {
  std::uint16_t port = 0;
  std::from_chars(target.port.data(), target.port.data() + target.port.size(), port);
  Socks5Handshake handshake(proxy, target.host, port);
  const std::string what = "the SOCKS5 handshake for " + target.authority();
  for (;;) {
    HandshakeStep step = handshake.next();
    switch (step.action) {
      case HandshakeStep::Action::write: {
        auto [ec, written] = co_await asio::async_write(stream, asio::buffer(step.bytes), kTuple);
        if (ec) co_return io_failure(ec, proxy, what, timeout);
        break;
      }
      case HandshakeStep::Action::read: {
        std::string bytes(step.read_size, '\0');
        auto [ec, read] = co_await asio::async_read(stream, asio::buffer(bytes), kTuple);
        if (ec) co_return io_failure(ec, proxy, what, timeout);
        handshake.received(bytes);
        break;
      }
      case HandshakeStep::Action::done:
        co_return Result<void>{};
      case HandshakeStep::Action::failed:
        co_return step.failure.value_or(Failure(errc::proxy_failed, "proxy " + proxy.describe()));
    }
  }
}

}  // namespace

asio::awaitable<Result<void>> open_tunnel(beast::tcp_stream& stream, const ProxyConfig& proxy, const UrlTarget& target,
                                          Duration timeout) {
  stream.expires_after(timeout);
  Result<void> result;
  if (proxy.kind == ProxyConfig::Kind::socks5) {
    result = co_await socks5_connect(stream, proxy, target, timeout);
  } else {
    result = co_await http_connect(stream, proxy, target, timeout);
  }
  stream.expires_never();
  co_return result;
}

}  // namespace otklik
