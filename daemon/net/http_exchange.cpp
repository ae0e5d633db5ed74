#include "daemon/net/http_exchange.hpp"

#include "daemon/net/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <memory>

namespace otklik {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t kHeaderLimit = 64 * 1024;

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

Failure phase_failure(const beast::error_code& ec, errc otherwise, const std::string& phase, Duration limit) {
  if (ec == beast::error::timeout) {
    return Failure(errc::timeout, phase + " timed out after " + format_duration(limit));
  }
  if (ec == asio::error::operation_aborted) return Failure(errc::cancelled, phase + " cancelled");
  return Failure(otherwise, phase + ": " + ec.message());
}

template <class Stream>
asio::awaitable<Result<WireResponse>> talk(Stream& stream, const UrlTarget& target, const WireRequest& request,
                                          const ExchangeLimits& limits) {
  const auto where = target.authority();
  auto& lowest = beast::get_lowest_layer(stream);

  http::request<http::string_body> req;
  req.version(11);
  const auto verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    req.method_string(request.method);
  } else {
    req.method(verb);
  }
  req.target(target.target);
  req.set(http::field::host, target.host_header);
  for (const auto& [name, value] : request.headers) req.set(name, value);
  if (!request.body.empty() || verb == http::verb::post || verb == http::verb::put || verb == http::verb::patch) {
    req.body() = request.body;
    req.prepare_payload();
  }

  lowest.expires_after(limits.write_timeout);
  auto [wec, written] = co_await http::async_write(stream, req, kTuple);
  if (wec) co_return phase_failure(wec, errc::protocol_error, "write to " + where, limits.write_timeout);

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(limits.max_body);
  if (verb == http::verb::head) parser.skip(true);
  lowest.expires_after(limits.read_timeout);
  auto [rec, read] = co_await http::async_read(stream, buffer, parser, kTuple);
  if (rec == asio::ssl::error::stream_truncated && parser.is_header_done() && !parser.is_done() &&
      parser.need_eof()) {
    // A body delimited by the end of the connection, closed without a TLS close_notify, as
    // many servers do: take what arrived.
    beast::error_code eof_ec;
    parser.put_eof(eof_ec);
    rec = eof_ec;
  }
  if (rec == http::error::body_limit) {
    co_return Failure(errc::too_large, "body from " + where + " over " + std::to_string(limits.max_body) + " bytes");
  }
  if (rec) co_return phase_failure(rec, errc::protocol_error, "read from " + where, limits.read_timeout);
  lowest.expires_never();

  auto message = parser.release();
  WireResponse response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) response.headers.emplace_back(field.name_string(), field.value());
  response.body = std::move(message.body());
  co_return response;
}

}  // namespace

asio::awaitable<Result<WireResponse>> exchange(UrlTarget target, WireRequest request, ExchangeLimits limits,
                                              asio::ssl::context* tls) {
  auto executor = co_await asio::this_coro::executor;
  const auto where = target.authority();
  const auto deadline = std::chrono::steady_clock::now() + limits.connect_timeout;

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
    co_return Failure(errc::timeout, "resolve " + target.host + " timed out after " +
                                         format_duration(limits.connect_timeout));
  }
  if (resolve->ec) co_return Failure(errc::connect_failed, "resolve " + target.host + ": " + resolve->ec.message());

  beast::tcp_stream tcp_stream(executor);
  tcp_stream.expires_at(deadline);
  auto [cec, endpoint] = co_await tcp_stream.async_connect(resolve->results, kTuple);
  if (cec) co_return phase_failure(cec, errc::connect_failed, "connect to " + where, limits.connect_timeout);
  beast::error_code option_ec;
  tcp_stream.socket().set_option(tcp::no_delay(true), option_ec);

  if (!target.tls) {
    auto result = co_await talk(tcp_stream, target, request, limits);
    beast::error_code ignored;
    tcp_stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp_stream.socket().close(ignored);
    co_return result;
  }

  if (tls == nullptr) co_return Failure(errc::tls_failed, "no TLS context for " + where);
  beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp_stream), *tls);
  if (!target.ip_literal && !SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str())) {
    co_return Failure(errc::tls_failed, "cannot set SNI for " + where);
  }
  // Chain verification by OpenSSL, then the name (or IP) check; remember why it failed.
  auto why = std::make_shared<std::string>();
  stream.set_verify_mode(asio::ssl::verify_peer);
  stream.set_verify_callback(peer_verifier(target.host, why));
  beast::get_lowest_layer(stream).expires_after(limits.tls_timeout);
  auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, kTuple);
  if (hec) {
    auto failure = phase_failure(hec, errc::tls_failed, "TLS handshake with " + where, limits.tls_timeout);
    if (!why->empty()) failure.detail += " (" + *why + ")";
    co_return failure;
  }
  auto result = co_await talk(stream, target, request, limits);
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(stream).socket().close(ignored);
  co_return result;
}

}  // namespace otklik
