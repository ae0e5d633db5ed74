#pragma once
// A WebServer on 127.0.0.1 driven by one io_context, and raw HTTP clients for it (plain or TLS).

#include "daemon/web/web_server.hpp"

#include "tests/support/catch_result.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace web_test {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

struct Reply {
  int status = 0;
  std::string head;  ///< status line and headers
  std::string body;
  [[nodiscard]] bool has(std::string_view text) const { return head.find(text) != std::string::npos; }
};

inline Reply parse_reply(const std::string& raw) {
  Reply r;
  const auto end = raw.find("\r\n\r\n");
  if (raw.size() < 12 || end == std::string::npos) return r;
  r.status = std::stoi(raw.substr(9, 3));
  r.head = raw.substr(0, end + 2);
  r.body = raw.substr(end + 4);
  return r;
}

/// Writes `request` on any stream and reads until the server closes; every byte read.
template <class Stream>
asio::awaitable<std::string> exchange_on(Stream& stream, std::string request) {
  auto [write_ec, written] = co_await asio::async_write(stream, asio::buffer(request), asio::as_tuple(asio::use_awaitable));
  (void)write_ec;
  (void)written;
  std::string out;
  auto [ec, n] = co_await asio::async_read(stream, asio::dynamic_buffer(out), asio::as_tuple(asio::use_awaitable));
  (void)ec;  // eof, a reset, or a TLS stream truncated: the exchange is over
  (void)n;
  co_return out;
}

inline asio::awaitable<std::string> raw_exchange(unsigned short port, std::string request) {
  tcp::socket socket(co_await asio::this_coro::executor);
  co_await socket.async_connect({asio::ip::address_v4::loopback(), port}, asio::use_awaitable);
  co_return co_await exchange_on(socket, std::move(request));
}

class Harness {
 public:
  explicit Harness(otklik::web::WebServerOptions options = {}, std::shared_ptr<asio::ssl::context> tls = nullptr)
      : server_(io_.get_executor(), options, std::move(tls)) {}
  ~Harness() {
    server_.stop();
    io_.run_for(2s);
  }

  void start() {
    auto bound = server_.listen("127.0.0.1:0");
    REQUIRE(bound);
    port = bound->port();
    asio::co_spawn(io_, server_.run(), [this](std::exception_ptr) { run_done_ = true; });
  }

  /// Runs the event loop until `task` completes (at most 5 s of wall time).
  template <class T>
  T drive(asio::awaitable<T> task) {
    std::optional<T> out;
    std::exception_ptr error;
    asio::co_spawn(io_, std::move(task), [&](std::exception_ptr e, T value) {
      error = e;
      if (!e) out = std::move(value);
    });
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!out && !error && std::chrono::steady_clock::now() < deadline) step(100ms);
    if (error) std::rethrow_exception(error);
    if (!out) throw std::runtime_error("timed out");
    return std::move(*out);
  }

  /// Runs the event loop until `done()` (at most `limit` of wall time); whether it came true.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) step(20ms);
    return done();
  }

  Reply request(std::string raw) { return parse_reply(drive(raw_exchange(port, std::move(raw)))); }
  Reply get(std::string_view path, std::string_view method = "GET") {
    return request(std::string(method) + " " + std::string(path) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  }

  otklik::web::WebServer& server() { return server_; }

  /// Runs one handler; an io_context that ran out of work (the server stopped) is restarted.
  void step(std::chrono::milliseconds limit) {
    if (io_.stopped()) io_.restart();
    io_.run_one_for(limit);
  }
  asio::io_context& io() { return io_; }
  [[nodiscard]] bool run_done() const { return run_done_; }

  unsigned short port = 0;

 private:
  asio::io_context io_;
  otklik::web::WebServer server_;
  bool run_done_ = false;
};

}  // namespace web_test
