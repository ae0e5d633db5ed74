#pragma once
/// Name resolution and TCP connect with a deadline, and the address filter applied between the
/// two (address_policy.hpp): the first half of the client's connect step (http_connection.hpp),
/// used for targets and for proxies alike.

#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace otklik {

class HttpConnection;

/// Resolves `host` and connects to `port` on one of its addresses, before `deadline` (`limit` is
/// the duration that deadline stands for, for messages). With `refuse_internal`, the resolved
/// internal addresses are dropped before connecting and the address connected to is checked
/// once more, so the check and the connection use the same addresses (no window for DNS
/// rebinding). Failures: timeout, cancelled, connect_failed ("resolve host: …", "connect to
/// host:port: …"), address_refused ("127.0.0.1 is a loopback address", "intranet.example
/// resolves to 10.0.0.7, a private address").
/// The stream comes as a plain HttpConnection.
boost::asio::awaitable<Result<std::unique_ptr<HttpConnection>>> dial(std::string host, std::string port,
                                                                     std::chrono::steady_clock::time_point deadline,
                                                                     Duration limit, bool refuse_internal);

}  // namespace otklik
