#include "daemon/net/http_exchange.hpp"

#include "daemon/net/http_connection.hpp"
#include "daemon/net/http_proxy_protocol.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace otklik {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t kHeaderLimit = 64 * 1024;

/// The peer went away (as opposed to a deadline, a cancellation or bytes we refuse).
bool connection_lost(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::connection_aborted ||
         ec == asio::error::broken_pipe || ec == asio::error::not_connected ||
         ec == asio::ssl::error::stream_truncated;
}

/// The request as it goes on the wire. Through a forwarding HTTP proxy the target is in absolute
/// form ("http://host:port/path", RFC 9112 §3.2.2) and the proxy's credentials go along.
http::request<http::string_body> build_request(const UrlTarget& target, const WireRequest& request,
                                               const ProxyConfig* forwarding) {
  http::request<http::string_body> req;
  req.version(11);
  const auto verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    req.method_string(request.method);
  } else {
    req.method(verb);
  }
  req.target(forwarding != nullptr ? "http://" + target.host_header + target.target : target.target);
  req.set(http::field::host, target.host_header);
  for (const auto& [name, value] : request.headers) req.set(name, value);
  if (forwarding != nullptr) {
    req.erase(http::field::proxy_authorization);  // only ours goes to the proxy
    if (auto auth = proxy_authorization(*forwarding); !auth.empty()) req.set(http::field::proxy_authorization, auth);
  }
  if (!request.body.empty() || verb == http::verb::post || verb == http::verb::put || verb == http::verb::patch) {
    req.body() = request.body;
    req.prepare_payload();
  }
  return req;
}

template <class Stream>
asio::awaitable<ExchangeOutcome> talk(HttpConnection& connection, Stream& stream, const UrlTarget& target,
                                      const WireRequest& request, const ExchangeLimits& limits) {
  const auto where = target.authority();
  auto& lowest = connection.tcp();
  ExchangeOutcome outcome;

  auto req = build_request(target, request, connection.forwarding());
  lowest.expires_after(limits.write_timeout);
  auto [wec, written] = co_await http::async_write(stream, req, kTuple);
  if (wec) {
    outcome.broken = {true, connection.bytes_waiting(), connection_lost(wec)};
    outcome.response = phase_failure(wec, errc::protocol_error, "write to " + where, limits.write_timeout);
    co_return outcome;
  }

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(limits.max_body);
  const bool head = req.method() == http::verb::head;
  if (head) parser.skip(true);
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
  if (rec) {
    outcome.broken = {false, parser.got_some() || buffer.size() > 0, connection_lost(rec)};
    if (rec == http::error::body_limit) {
      outcome.response =
          Failure(errc::too_large, "body from " + where + " over " + std::to_string(limits.max_body) + " bytes");
    } else {
      outcome.response = phase_failure(rec, errc::protocol_error, "read from " + where, limits.read_timeout);
    }
    co_return outcome;
  }
  lowest.expires_never();

  ResponseFraming framing;
  framing.status = static_cast<int>(parser.get().result_int());
  framing.request_keep_alive = req.keep_alive();
  framing.server_keep_alive = parser.keep_alive();
  framing.body_until_eof = parser.need_eof();
  framing.head = head;
  framing.has_length = parser.content_length().has_value();
  framing.chunked = parser.chunked();
  framing.bytes_after = buffer.size() > 0;
  outcome.reusable = connection_reusable(framing);

  if (const ProxyConfig* proxy = connection.forwarding(); proxy != nullptr && framing.status == 407) {
    // Only a proxy answers 407 (RFC 9110 §15.5.8): ours refused the request.
    outcome.response = proxy_auth_failure(*proxy);
    co_return outcome;
  }

  auto message = parser.release();
  WireResponse response;
  response.status = framing.status;
  for (const auto& field : message) response.headers.emplace_back(field.name_string(), field.value());
  response.body = std::move(message.body());
  outcome.response = std::move(response);
  co_return outcome;
}

}  // namespace

asio::awaitable<ExchangeOutcome> exchange(HttpConnection& connection, const UrlTarget& target,
                                          const WireRequest& request, const ExchangeLimits& limits) {
  if (auto* tls = connection.tls()) co_return co_await talk(connection, *tls, target, request, limits);
  co_return co_await talk(connection, *connection.plain(), target, request, limits);
}

}  // namespace otklik
