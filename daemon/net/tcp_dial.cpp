#include "daemon/net/tcp_dial.hpp"

#include "daemon/net/address_policy.hpp"
#include "daemon/net/http_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <optional>
#include <vector>

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

/// "127.0.0.1 is a loopback address" for a literal, "name resolves to 10.0.0.7, a private
/// address" for a name.
std::string refusal(const std::string& host, const asio::ip::address& address) {
  const auto cls = describe(classify_address(address));
  const std::string text = address.to_string();
  if (text == host) return text + " is " + std::string(cls);
  return host + " resolves to " + text + ", " + std::string(cls);
}

}  // namespace

asio::awaitable<Result<std::unique_ptr<HttpConnection>>> dial(std::string host, std::string port,
                                                              std::chrono::steady_clock::time_point deadline,
                                                              Duration limit, bool refuse_internal) {
  auto executor = co_await asio::this_coro::executor;
  const std::string where = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;

  auto resolve = std::make_shared<PendingResolve>(executor);
  resolve->wake.expires_at(deadline);
  resolve->resolver.async_resolve(host, port, [resolve](beast::error_code ec, tcp::resolver::results_type results) {
    resolve->ec = ec;
    resolve->results = std::move(results);
    resolve->finished = true;
    resolve->wake.cancel();
  });
  if (!resolve->finished) {
    auto [wait_ec] = co_await resolve->wake.async_wait(kTuple);
    if (!resolve->finished && wait_ec == asio::error::operation_aborted) {
      resolve->resolver.cancel();
      co_return Failure(errc::cancelled, "resolve " + host + " cancelled");
    }
  }
  if (!resolve->finished) {
    co_return Failure(errc::timeout, "resolve " + host + " timed out after " + format_duration(limit));
  }
  if (resolve->ec) co_return Failure(errc::connect_failed, "resolve " + host + ": " + resolve->ec.message());

  // The filter: only the addresses that may be reached are tried, in the resolver's order.
  std::vector<tcp::endpoint> endpoints;
  std::optional<asio::ip::address> first_refused;
  for (const auto& entry : resolve->results) {
    const auto endpoint = entry.endpoint();
    if (refuse_internal && internal(classify_address(endpoint.address()))) {
      if (!first_refused) first_refused = endpoint.address();
      continue;
    }
    endpoints.push_back(endpoint);
  }
  if (endpoints.empty()) {
    if (first_refused) co_return Failure(errc::address_refused, refusal(host, *first_refused));
    co_return Failure(errc::connect_failed, "resolve " + host + ": no addresses");
  }

  beast::tcp_stream stream(executor);
  stream.expires_at(deadline);
  auto [ec, endpoint] = co_await stream.async_connect(endpoints, kTuple);
  if (ec) co_return phase_failure(ec, errc::connect_failed, "connect to " + where, limit);
  stream.expires_never();
  // What was connected to is checked again, whatever the list held.
  beast::error_code peer_ec;
  const auto peer = stream.socket().remote_endpoint(peer_ec);
  if (peer_ec) co_return Failure(errc::connect_failed, "connect to " + where + ": " + peer_ec.message());
  if (refuse_internal && internal(classify_address(peer.address()))) {
    co_return Failure(errc::address_refused, refusal(host, peer.address()));
  }
  beast::error_code option_ec;
  stream.socket().set_option(tcp::no_delay(true), option_ec);
  co_return std::make_unique<HttpConnection>(std::move(stream));
}

}  // namespace otklik
