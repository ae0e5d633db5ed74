#pragma once
// Shared by the client tests: a fast config and one-line fetch helpers on a private io_context.

#include "daemon/net/http_client.hpp"

#include "tests/support/catch_result.hpp"
#include "tests/support/http/fake_http_server.hpp"
#include "tests/unit/net/net_test_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <vector>

namespace otklik::test {

using namespace std::chrono_literals;

inline HttpConfig fast_config() {
  HttpConfig config;
  config.connect_timeout = 1s;
  config.tls_timeout = 1s;
  config.write_timeout = 1s;
  config.read_timeout = 1s;
  config.per_host_delay = 0ms;
  config.max_body = 1 << 20;
  config.max_decompressed = 4 << 20;
  return config;
}

/// Performs the requests one after the other with one client.
inline boost::asio::awaitable<std::vector<Result<HttpResponse>>> fetch_all(boost::asio::any_io_executor executor,
                                                                           HttpConfig config,
                                                                           std::vector<HttpRequest> requests) {
  auto client = make_http_client(executor, config, "OtklikTest/1.0");
  std::vector<Result<HttpResponse>> results;
  for (auto& request : requests) results.push_back(co_await client->fetch(std::move(request)));
  co_return results;
}

/// fetch_all() on a private io_context.
inline std::vector<Result<HttpResponse>> fetch_many(HttpConfig config, std::vector<HttpRequest> requests) {
  return run_coroutine([&](boost::asio::any_io_executor ex) { return fetch_all(ex, config, std::move(requests)); });
}

/// One request with a fresh client.
inline Result<HttpResponse> fetch(HttpRequest request, HttpConfig config = fast_config()) {
  return std::move(fetch_many(std::move(config), {std::move(request)}).front());
}

inline Result<HttpResponse> get(const std::string& url, HttpConfig config = fast_config()) {
  HttpRequest request;
  request.url = url;
  return fetch(std::move(request), std::move(config));
}

/// True when `result` is a failure with `code` (the failure is printed if the check fails).
inline bool fails_with(const Result<HttpResponse>& result, errc code) {
  if (result) return false;
  UNSCOPED_INFO("failure: " << result.error().message());
  return result.error().code == make_error_code(code);
}

/// One client on a private io_context that outlives single runs, so that its pool carries
/// connections from one request to the next.
class ClientRig {
 public:
  explicit ClientRig(HttpConfig config = fast_config())
      : client_(make_http_client(ioc_.get_executor(), std::move(config), "OtklikTest/1.0")) {}

  /// Runs `task` until it ends (and with it everything it started).
  template <class T>
  T run(boost::asio::awaitable<T> task) {
    auto future = boost::asio::co_spawn(ioc_, std::move(task), boost::asio::use_future);
    ioc_.restart();
    ioc_.run();
    return future.get();
  }

  Result<HttpResponse> fetch(HttpRequest request) { return run(client_->fetch(std::move(request))); }
  Result<HttpResponse> get(const std::string& url) {
    HttpRequest request;
    request.url = url;
    return fetch(std::move(request));
  }

  HttpClient& client() { return *client_; }
  [[nodiscard]] HttpClientStats stats() const { return client_->stats(); }
  boost::asio::io_context& io() { return ioc_; }

 private:
  boost::asio::io_context ioc_;  // declared first: the client (and its pool) goes before it
  std::unique_ptr<HttpClient> client_;
};

inline HttpConfig tls_config() {
  auto config = fast_config();
  config.ca_file = FakeHttpServer::test_ca_file();
  return config;
}

}  // namespace otklik::test
