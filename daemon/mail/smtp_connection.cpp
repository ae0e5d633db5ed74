#include "daemon/mail/smtp_connection.hpp"

#include "daemon/net/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>

namespace otklik::mail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

/// A name resolution the caller can stop waiting for: getaddrinfo cannot be interrupted, so on
/// the deadline the caller leaves and the late result lands here.
struct PendingResolve {
  explicit PendingResolve(const asio::any_io_executor& ex) : resolver(ex), wake(ex) {}
  tcp::resolver resolver;
  asio::steady_timer wake;
  bool finished = false;
  boost::system::error_code ec;
  tcp::resolver::results_type results;
};

}  // namespace

struct SmtpConnection::Impl {
  Impl(asio::any_io_executor ex, Duration t, std::string w)
      : executor(std::move(ex)), timeout(t), where(std::move(w)), plain(std::make_unique<beast::tcp_stream>(executor)) {}

  asio::any_io_executor executor;
  Duration timeout;
  std::string where;
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  std::string buffer;
  bool broken = false;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  Failure io_failure(const boost::system::error_code& ec, errc otherwise, const std::string& phase) {
    broken = true;
    if (ec == beast::error::timeout) return Failure(errc::timeout, phase + " " + where + " timed out after " + format_duration(timeout));
    if (ec == asio::error::operation_aborted) return Failure(errc::cancelled, phase + " " + where + " cancelled");
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
      return Failure(errc::protocol_error, phase + " " + where + ": the server closed the connection");
    }
    return Failure(otherwise, phase + " " + where + ": " + ec.message());
  }
};

SmtpConnection::SmtpConnection(asio::any_io_executor executor, Duration timeout, std::string where)
    : impl_(std::make_unique<Impl>(std::move(executor), timeout, std::move(where))) {}

SmtpConnection::~SmtpConnection() { close(); }

asio::awaitable<Result<void>> SmtpConnection::connect(std::string host, std::string port) {
  Impl& s = *impl_;
  const auto deadline = std::chrono::steady_clock::now() + s.timeout;
  auto resolve = std::make_shared<PendingResolve>(s.executor);
  resolve->wake.expires_at(deadline);
  resolve->resolver.async_resolve(host, port, [resolve](boost::system::error_code ec, tcp::resolver::results_type r) {
    resolve->ec = ec;
    resolve->results = std::move(r);
    resolve->finished = true;
    resolve->wake.cancel();
  });
  if (!resolve->finished) {
    auto [wait_ec] = co_await resolve->wake.async_wait(kTuple);
    if (!resolve->finished && wait_ec == asio::error::operation_aborted) {
      resolve->resolver.cancel();
      s.broken = true;
      co_return Failure(errc::cancelled, "resolve " + host + " cancelled");
    }
  }
  if (!resolve->finished) {
    s.broken = true;
    co_return Failure(errc::timeout, "resolve " + host + " timed out after " + format_duration(s.timeout));
  }
  if (resolve->ec) {
    s.broken = true;
    co_return Failure(errc::connect_failed, "resolve " + host + ": " + resolve->ec.message());
  }
  s.plain->expires_at(deadline);
  auto [ec, endpoint] = co_await s.plain->async_connect(resolve->results, kTuple);
  if (ec) co_return s.io_failure(ec, errc::connect_failed, "connect to");
  boost::system::error_code ignored;
  s.plain->socket().set_option(tcp::no_delay(true), ignored);
  co_return Result<void>{};
}

asio::awaitable<Result<void>> SmtpConnection::start_tls(asio::ssl::context& context, std::string server_name,
                                                        bool verify) {
  Impl& s = *impl_;
  if (s.tls || !s.plain) co_return Failure(errc::protocol_error, "TLS started twice with " + s.where);
  s.tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(*s.plain), context);
  s.plain.reset();
  boost::system::error_code address_ec;
  asio::ip::make_address(server_name, address_ec);
  const bool ip_literal = !address_ec;
  if (!ip_literal && !SSL_set_tlsext_host_name(s.tls->native_handle(), server_name.c_str())) {
    s.broken = true;
    co_return Failure(errc::tls_failed, "cannot set SNI for " + s.where);
  }
  auto why = std::make_shared<std::string>();
  if (verify) {
    s.tls->set_verify_mode(asio::ssl::verify_peer);
    s.tls->set_verify_callback(peer_verifier(server_name, why));
  } else {
    s.tls->set_verify_mode(asio::ssl::verify_none);
  }
  s.lowest().expires_after(s.timeout);
  auto [ec] = co_await s.tls->async_handshake(asio::ssl::stream_base::client, kTuple);
  if (ec) {
    auto failure = s.io_failure(ec, errc::tls_failed, "TLS handshake with");
    if (failure.code == errc::protocol_error) failure = Failure(errc::tls_failed, failure.detail);
    if (!why->empty()) failure.detail += " (" + *why + ")";
    co_return failure;
  }
  co_return Result<void>{};
}

asio::awaitable<Result<SmtpReply>> SmtpConnection::read_reply(std::string what) {
  Impl& s = *impl_;
  if (s.broken) co_return Failure(errc::protocol_error, "connection to " + s.where + " already failed");
  std::array<char, 4096> chunk{};
  for (;;) {
    std::size_t consumed = 0;
    auto parsed = parse_smtp_reply(s.buffer, consumed);
    if (!parsed) {
      s.broken = true;
      auto failure = parsed.error();
      failure.detail += " (" + what + ", " + s.where + ")";
      co_return failure;
    }
    if (*parsed) {
      s.buffer.erase(0, consumed);
      co_return std::move(**parsed);
    }
    s.lowest().expires_after(s.timeout);
    boost::system::error_code ec;
    std::size_t n = 0;
    if (s.tls) {
      std::tie(ec, n) = co_await s.tls->async_read_some(asio::buffer(chunk), kTuple);
    } else {
      std::tie(ec, n) = co_await s.plain->async_read_some(asio::buffer(chunk), kTuple);
    }
    if (ec) co_return s.io_failure(ec, errc::protocol_error, "reading " + what + " from");
    s.buffer.append(chunk.data(), n);
  }
}

asio::awaitable<Result<void>> SmtpConnection::write(std::string data, std::string what) {
  Impl& s = *impl_;
  if (s.broken) co_return Failure(errc::protocol_error, "connection to " + s.where + " already failed");
  s.lowest().expires_after(s.timeout);
  boost::system::error_code ec;
  if (s.tls) {
    std::tie(ec, std::ignore) = co_await asio::async_write(*s.tls, asio::buffer(data), kTuple);
  } else {
    std::tie(ec, std::ignore) = co_await asio::async_write(*s.plain, asio::buffer(data), kTuple);
  }
  if (ec) co_return s.io_failure(ec, errc::protocol_error, "sending " + what + " to");
  co_return Result<void>{};
}

asio::awaitable<Result<SmtpReply>> SmtpConnection::command(std::string line, std::string shown) {
  auto written = co_await write(line + "\r\n", shown);
  if (!written) co_return written.error();
  co_return co_await read_reply("reply to " + shown);
}

bool SmtpConnection::tls_active() const noexcept { return impl_->tls != nullptr; }
bool SmtpConnection::has_unread_bytes() const noexcept { return !impl_->buffer.empty(); }
bool SmtpConnection::usable() const noexcept { return !impl_->broken; }

std::string SmtpConnection::local_address_literal() const {
  boost::system::error_code ec;
  const auto endpoint = impl_->lowest().socket().local_endpoint(ec);
  if (ec) return {};
  const auto address = endpoint.address();
  return address.is_v6() ? "[IPv6:" + address.to_string() + "]" : "[" + address.to_string() + "]";
}

void SmtpConnection::close() noexcept {
  if (!impl_) return;
  boost::system::error_code ignored;
  auto& socket = impl_->lowest().socket();
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

}  // namespace otklik::mail
