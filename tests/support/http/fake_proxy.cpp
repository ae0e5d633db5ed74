#include "tests/support/http/fake_proxy.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <mutex>
#include <thread>

namespace otklik::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string base64_decode(std::string_view in) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const auto at = kAlphabet.find(c);
    if (at == std::string_view::npos) break;  // '=' or anything else ends it
    acc = (acc << 6) | static_cast<std::uint32_t>(at);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// "host:port" or "[v6]:port" → host (without brackets) and port.
std::pair<std::string, std::string> split_authority(std::string_view authority) {
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return {};
    const auto port = close + 1 < authority.size() && authority[close + 1] == ':' ? authority.substr(close + 2) : "";
    return {std::string(authority.substr(1, close - 1)), std::string(port)};
  }
  const auto colon = authority.rfind(':');
  if (colon == std::string_view::npos) return {std::string(authority), "80"};
  return {std::string(authority.substr(0, colon)), std::string(authority.substr(colon + 1))};
}

asio::awaitable<std::optional<std::string>> read_exact(tcp::socket& socket, std::size_t n) {
  std::string bytes(n, '\0');
  auto [ec, got] = co_await asio::async_read(socket, asio::buffer(bytes), kTuple);
  if (ec) co_return std::nullopt;
  co_return bytes;
}

asio::awaitable<bool> write_all(tcp::socket& socket, std::string bytes) {
  auto [ec, n] = co_await asio::async_write(socket, asio::buffer(bytes), kTuple);
  co_return !ec;
}

/// An HTTP answer without a body that closes the connection.
asio::awaitable<void> answer_http(tcp::socket& socket, std::string status) {
  std::string reply = "HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n";
  if (status.starts_with("407")) reply += "Proxy-Authenticate: Basic realm=\"test\"\r\n";
  reply += "\r\n";
  co_await write_all(socket, std::move(reply));
}

/// The text of a SOCKS5 address given as 4 or 16 raw bytes.
std::string address_text(const std::string& raw) {
  if (raw.size() == 4) {
    asio::ip::address_v4::bytes_type bytes{};
    for (std::size_t i = 0; i < 4; ++i) bytes[i] = static_cast<unsigned char>(raw[i]);
    return asio::ip::address_v4(bytes).to_string();
  }
  asio::ip::address_v6::bytes_type bytes{};
  for (std::size_t i = 0; i < 16 && i < raw.size(); ++i) bytes[i] = static_cast<unsigned char>(raw[i]);
  return asio::ip::address_v6(bytes).to_string();
}

/// Two bytes (a coroutine must not build them from an initializer list: GCC 12 rejects that).
std::string two_bytes(unsigned a, unsigned b) { return std::string{static_cast<char>(a), static_cast<char>(b)}; }

std::string socks_reply(unsigned char code) { return std::string{char(5), static_cast<char>(code), 0, 1, 0, 0, 0, 0, 0, 0}; }

}  // namespace

struct FakeProxy::Impl {
  Kind kind;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  unsigned short port = 0;
  std::thread thread;

  mutable std::mutex mutex;
  std::vector<ProxyRequest> requests;
  std::size_t accepted = 0;
  std::optional<std::pair<std::string, std::string>> credentials;
  std::string refuse_status;
  unsigned char socks_refusal = 0;
  bool stalled = false;

  void record(ProxyRequest r) {
    std::lock_guard lock(mutex);
    requests.push_back(std::move(r));
  }
  struct Settings {
    std::optional<std::pair<std::string, std::string>> credentials;
    std::string refuse_status;
    unsigned char socks_refusal = 0;
    bool stalled = false;
  };
  Settings settings() const {
    std::lock_guard lock(mutex);
    return {credentials, refuse_status, socks_refusal, stalled};
  }

  static asio::awaitable<void> wait_forever() {
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::hours(1));
    co_await timer.async_wait(kTuple);
  }

  static asio::awaitable<bool> connect_to(tcp::socket& upstream, std::string host, std::string port) {
    tcp::resolver resolver(co_await asio::this_coro::executor);
    auto [rec, results] = co_await resolver.async_resolve(host, port, kTuple);
    if (rec) co_return false;
    auto [cec, endpoint] = co_await asio::async_connect(upstream, results, kTuple);
    co_return !cec;
  }

  /// Copies bytes from `from` to `to` until either side ends; then ends the other direction.
  static asio::awaitable<void> pump(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
    std::array<char, 16384> buffer{};
    for (;;) {
      auto [rec, n] = co_await from->async_read_some(asio::buffer(buffer), kTuple);
      if (rec) break;
      auto [wec, written] = co_await asio::async_write(*to, asio::buffer(buffer.data(), n), kTuple);
      if (wec) break;
    }
    boost::system::error_code ignored;
    to->shutdown(tcp::socket::shutdown_send, ignored);
  }

  static asio::awaitable<void> relay(std::shared_ptr<tcp::socket> client, std::shared_ptr<tcp::socket> upstream,
                                     std::string first_bytes) {
    if (!first_bytes.empty()) {
      auto [ec, n] = co_await asio::async_write(*upstream, asio::buffer(first_bytes), kTuple);
      if (ec) co_return;
    }
    asio::co_spawn(co_await asio::this_coro::executor, pump(upstream, client), asio::detached);
    co_await pump(client, upstream);
  }

  asio::awaitable<void> serve_http(std::shared_ptr<tcp::socket> client) {
    std::string data;
    auto [ec, n] = co_await asio::async_read_until(*client, asio::dynamic_buffer(data, 65536), "\r\n\r\n", kTuple);
    if (ec) co_return;
    const std::string head = data.substr(0, n);
    std::string rest = data.substr(n);
    const auto settings = this->settings();

    ProxyRequest request;
    const auto line_end = head.find("\r\n");
    const std::string line = head.substr(0, line_end);
    const auto sp1 = line.find(' ');
    const auto sp2 = line.find(' ', sp1 + 1);
    const std::string method = line.substr(0, sp1);
    request.kind = method == "CONNECT" ? "CONNECT" : "forward";
    request.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string forwarded_headers;
    for (std::size_t at = line_end + 2; at < head.size();) {
      const auto end = head.find("\r\n", at);
      if (end == at || end == std::string::npos) break;
      const std::string header = head.substr(at, end - at);
      at = end + 2;
      const auto colon = header.find(':');
      const std::string name = lower(header.substr(0, colon));
      std::string value = header.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      if (name == "proxy-authorization") {
        if (value.starts_with("Basic ")) {
          const std::string decoded = base64_decode(value.substr(6));
          const auto split = decoded.find(':');
          request.user = decoded.substr(0, split);
          request.password = split == std::string::npos ? "" : decoded.substr(split + 1);
          request.credentials_given = true;
        }
        continue;
      }
      if (name == "connection" || name == "proxy-connection") continue;
      forwarded_headers += header + "\r\n";
    }
    record(request);
    if (settings.stalled) {
      co_await wait_forever();
      co_return;
    }
    if (settings.credentials &&
        (!request.credentials_given || request.user != settings.credentials->first ||
         request.password != settings.credentials->second)) {
      co_await answer_http(*client, "407 Proxy Authentication Required");
      co_return;
    }
    auto upstream = std::make_shared<tcp::socket>(co_await asio::this_coro::executor);
    if (request.kind == "CONNECT") {
      if (!settings.refuse_status.empty()) {
        co_await answer_http(*client, settings.refuse_status);
        co_return;
      }
      auto [host, port] = split_authority(request.target);
      if (!co_await connect_to(*upstream, host, port)) {
        co_await answer_http(*client, "502 Bad Gateway");
        co_return;
      }
      const std::string ok = "HTTP/1.1 200 Connection established\r\n\r\n";
      auto [wec, written] = co_await asio::async_write(*client, asio::buffer(ok), kTuple);
      if (wec) co_return;
      co_await relay(client, upstream, std::move(rest));
      co_return;
    }
    // Plain forwarding: "GET http://host:port/path HTTP/1.1" goes on as "GET /path HTTP/1.1",
    // one request per connection.
    if (!request.target.starts_with("http://")) {
      co_await answer_http(*client, "400 Bad Request");
      co_return;
    }
    const std::string after_scheme = request.target.substr(7);
    const auto slash = after_scheme.find('/');
    const std::string authority = after_scheme.substr(0, slash);
    const std::string path = slash == std::string::npos ? "/" : after_scheme.substr(slash);
    auto [host, port] = split_authority(authority);
    if (!co_await connect_to(*upstream, host, port)) {
      co_await answer_http(*client, "502 Bad Gateway");
      co_return;
    }
    std::string rewritten = method + " " + path + " HTTP/1.1\r\n" + forwarded_headers + "Connection: close\r\n\r\n" + rest;
    co_await relay(client, upstream, std::move(rewritten));
  }

  asio::awaitable<void> serve_socks5(std::shared_ptr<tcp::socket> client) {
    const auto settings = this->settings();
    ProxyRequest request;
    request.kind = "socks5";
    auto greeting = co_await read_exact(*client, 2);
    if (!greeting || (*greeting)[0] != 5) co_return;
    auto methods = co_await read_exact(*client, static_cast<unsigned char>((*greeting)[1]));
    if (!methods) co_return;
    bool offers_none = false, offers_password = false;
    for (char m : *methods) {
      if (m == 0) {
        offers_none = true;
        request.methods.push_back("none");
      } else if (m == 2) {
        offers_password = true;
        request.methods.push_back("user/password");
      }
    }
    if (settings.stalled) {
      record(request);
      co_await wait_forever();
      co_return;
    }
    unsigned char method = 0xff;
    if (settings.credentials && offers_password) method = 2;
    if (!settings.credentials && offers_none) method = 0;
    if (!co_await write_all(*client, two_bytes(5, method)) || method == 0xff) {
      record(request);
      co_return;
    }
    if (method == 2) {
      auto head = co_await read_exact(*client, 2);
      if (!head) co_return;
      auto user = co_await read_exact(*client, static_cast<unsigned char>((*head)[1]));
      auto plen = co_await read_exact(*client, 1);
      if (!user || !plen) co_return;
      auto password = co_await read_exact(*client, static_cast<unsigned char>((*plen)[0]));
      if (!password) co_return;
      request.user = *user;
      request.password = *password;
      request.credentials_given = true;
      const bool ok = *user == settings.credentials->first && *password == settings.credentials->second;
      if (!co_await write_all(*client, two_bytes(1, ok ? 0 : 1)) || !ok) {
        record(request);
        co_return;
      }
    }
    auto req = co_await read_exact(*client, 4);
    if (!req) co_return;
    std::string host;
    switch ((*req)[3]) {
      case 1: {
        auto a = co_await read_exact(*client, 4);
        if (!a) co_return;
        host = address_text(*a);
        request.socks_address_type = "ipv4";
        break;
      }
      case 3: {
        auto len = co_await read_exact(*client, 1);
        if (!len) co_return;
        auto name = co_await read_exact(*client, static_cast<unsigned char>((*len)[0]));
        if (!name) co_return;
        host = *name;
        request.socks_address_type = "name";
        break;
      }
      case 4: {
        auto a = co_await read_exact(*client, 16);
        if (!a) co_return;
        host = address_text(*a);
        request.socks_address_type = "ipv6";
        break;
      }
      default: co_return;
    }
    auto port_bytes = co_await read_exact(*client, 2);
    if (!port_bytes) co_return;
    const unsigned port = (static_cast<unsigned char>((*port_bytes)[0]) << 8) | static_cast<unsigned char>((*port_bytes)[1]);
    request.target = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
    record(request);
    if (settings.socks_refusal != 0) {
      co_await write_all(*client, socks_reply(settings.socks_refusal));
      co_return;
    }
    auto upstream = std::make_shared<tcp::socket>(co_await asio::this_coro::executor);
    if (!co_await connect_to(*upstream, host, std::to_string(port))) {
      co_await write_all(*client, socks_reply(5));  // connection refused
      co_return;
    }
    if (!co_await write_all(*client, socks_reply(0))) co_return;
    co_await relay(client, upstream, {});
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(kTuple);
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        continue;
      }
      {
        std::lock_guard lock(mutex);
        ++accepted;
      }
      auto client = std::make_shared<tcp::socket>(std::move(socket));
      if (kind == Kind::http) {
        asio::co_spawn(ioc, serve_http(client), asio::detached);
      } else {
        asio::co_spawn(ioc, serve_socks5(client), asio::detached);
      }
    }
  }
};

FakeProxy::FakeProxy(Kind kind) : impl_(std::make_unique<Impl>()) {
  impl_->kind = kind;
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->ioc, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([impl = impl_.get()] { impl->ioc.run(); });
}

FakeProxy::~FakeProxy() {
  impl_->ioc.stop();
  impl_->thread.join();
}

unsigned short FakeProxy::port() const { return impl_->port; }

std::string FakeProxy::url(const std::string& user) const {
  return std::string(impl_->kind == Kind::http ? "http://" : "socks5://") + (user.empty() ? "" : user + "@") +
         "127.0.0.1:" + std::to_string(impl_->port);
}

void FakeProxy::require_credentials(std::string user, std::string password) {
  std::lock_guard lock(impl_->mutex);
  impl_->credentials = std::make_pair(std::move(user), std::move(password));
}

void FakeProxy::refuse_with(std::string http_status_line, unsigned char socks_reply) {
  std::lock_guard lock(impl_->mutex);
  impl_->refuse_status = std::move(http_status_line);
  impl_->socks_refusal = socks_reply;
}

void FakeProxy::stall() {
  std::lock_guard lock(impl_->mutex);
  impl_->stalled = true;
}

std::vector<ProxyRequest> FakeProxy::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

std::size_t FakeProxy::connections_accepted() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->accepted;
}

}  // namespace otklik::test
