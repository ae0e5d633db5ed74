#include "tests/support/http/fake_http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <exception>
#include <mutex>
#include <thread>

namespace otklik::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint64_t kMaxRequestBody = 64ull << 20;
constexpr std::chrono::seconds kTlsTimeout{5};

void log_exception(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "fake_http_server: %s\n", ex.what());
  } catch (...) {
    std::fprintf(stderr, "fake_http_server: unknown exception\n");
  }
}

bool contains_token(std::optional<std::string_view> value, std::string_view token) {
  if (!value) return false;
  std::string lower(*value);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find(token) != std::string::npos;
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  if (d <= std::chrono::milliseconds::zero()) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(kTuple);
}

/// The bytes of a response, split into what goes out at once and the paced pieces.
struct Wire {
  std::string head;                 ///< status line + headers (empty for raw)
  std::vector<std::string> pieces;  ///< body (or raw) pieces, each sent after chunk_delay
  bool close_after = false;
};

Wire format_response(const FakeResponse& r, bool request_keep_alive, bool head) {
  Wire wire;
  const bool paced = r.chunk_delay > std::chrono::milliseconds::zero();
  const std::size_t piece = std::max<std::size_t>(1, r.chunk_size);
  if (r.raw) {
    wire.close_after = true;
    if (!paced) {
      wire.pieces.push_back(*r.raw);
    } else {
      for (std::size_t i = 0; i < r.raw->size(); i += piece) wire.pieces.push_back(r.raw->substr(i, piece));
    }
    return wire;
  }
  const bool chunked = contains_token(find_header(r.headers, "Transfer-Encoding"), "chunked");
  const auto connection = find_header(r.headers, "Connection");
  wire.close_after = !request_keep_alive || contains_token(connection, "close") ||
                     (r.version == 10 && !contains_token(connection, "keep-alive"));

  auto reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(r.status)));
  wire.head = std::string(r.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ") + std::to_string(r.status) + " " +
              std::string(reason) + "\r\n";
  for (const auto& [name, value] : r.headers) wire.head += name + ": " + value + "\r\n";
  if (!chunked && !find_header(r.headers, "Content-Length")) {
    wire.head += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  }
  if (!request_keep_alive && !find_header(r.headers, "Connection")) wire.head += "Connection: close\r\n";
  wire.head += "\r\n";

  if (head) {
    // A HEAD response has no body, whatever its headers say.
  } else if (chunked) {
    for (std::size_t i = 0; i < r.body.size(); i += piece) {
      auto part = r.body.substr(i, piece);
      char size[32];
      std::snprintf(size, sizeof size, "%zx\r\n", part.size());
      wire.pieces.push_back(size + part + "\r\n");
    }
    wire.pieces.push_back("0\r\n\r\n");
    if (!paced) {  // one write for the whole chunked body
      std::string all;
      for (auto& p : wire.pieces) all += p;
      wire.pieces = {std::move(all)};
    }
  } else if (!paced) {
    wire.head += r.body;
  } else {
    for (std::size_t i = 0; i < r.body.size(); i += piece) wire.pieces.push_back(r.body.substr(i, piece));
  }
  return wire;
}

}  // namespace

FakeResponse FakeResponse::text(int status, std::string body, std::string content_type) {
  FakeResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

FakeResponse FakeResponse::json(int status, std::string body) {
  return text(status, std::move(body), "application/json");
}

namespace {

/// What the sessions share with the server object.
struct ServerState {
  std::unique_ptr<asio::io_context> ioc = std::make_unique<asio::io_context>();
  std::optional<asio::ssl::context> tls;
  unsigned short port = 0;
  mutable std::mutex mutex;
  FakeHttpServer::Handler handler;
  std::vector<FakeRequest> requests;
  std::size_t accepted = 0;
  std::size_t open = 0;
  std::chrono::milliseconds idle_close{0};
  std::function<bool(const FakeRequest&)> hang_up;
  std::thread thread;

  std::chrono::milliseconds idle_limit() const {
    std::lock_guard lock(mutex);
    return idle_close;
  }

  bool hang_up_on(const FakeRequest& request) {
    std::function<bool(const FakeRequest&)> when;
    {
      std::lock_guard lock(mutex);
      when = hang_up;
    }
    if (!when || !when(request)) return false;
    std::lock_guard lock(mutex);
    requests.push_back(request);
    return true;
  }

  FakeResponse handle(const FakeRequest& request) {
    FakeHttpServer::Handler h;
    {
      std::lock_guard lock(mutex);
      requests.push_back(request);
      h = handler;
    }
    try {
      if (!h) return FakeResponse::text(500, "no handler");
      return h(request);
    } catch (const std::exception& e) {
      return FakeResponse::text(500, std::string("handler threw: ") + e.what());
    } catch (...) {  // e.g. a failed test assertion inside the handler
      return FakeResponse::text(500, "handler threw");
    }
  }
};

template <class Stream>
asio::awaitable<bool> send(Stream& stream, const FakeResponse& response, const Wire& wire) {
  if (!wire.head.empty()) {
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(wire.head), kTuple);
    if (ec) co_return false;
  }
  for (const auto& piece : wire.pieces) {
    co_await sleep_for(response.chunk_delay);
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(piece), kTuple);
    if (ec) co_return false;
  }
  co_return true;
}

/// Counts a connection as open for its session's lifetime.
struct OpenConnection {
  explicit OpenConnection(ServerState* impl) : impl_(impl) {
    std::lock_guard lock(impl_->mutex);
    ++impl_->open;
  }
  ~OpenConnection() {
    std::lock_guard lock(impl_->mutex);
    --impl_->open;
  }
  OpenConnection(const OpenConnection&) = delete;
  OpenConnection& operator=(const OpenConnection&) = delete;
  ServerState* impl_;
};

/// Reads requests and answers them until the peer closes, the response says close, the
/// connection stays idle past the server's limit, or stop.
template <class Stream>
asio::awaitable<void> serve_requests(ServerState* impl, Stream& stream, std::size_t connection) {
  beast::flat_buffer buffer;
  auto& lowest = beast::get_lowest_layer(stream);
  for (std::size_t index = 1;; ++index) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxRequestBody);
    const auto idle = impl->idle_limit();
    if (index > 1 && idle > std::chrono::milliseconds::zero()) lowest.expires_after(idle);
    auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, kTuple);
    lowest.expires_never();
    if (hec) co_return;
    FakeRequest request;
    {
      const auto& msg = parser.get();
      request.method = std::string(msg.method_string());
      request.target = std::string(msg.target());
      request.path = request.target.substr(0, request.target.find('?'));
      for (const auto& field : msg) request.headers.emplace_back(field.name_string(), field.value());
      request.connection = connection;
      request.on_connection = index;
    }
    if (impl->hang_up_on(request)) {
      beast::error_code ignored;
      lowest.socket().set_option(asio::socket_base::linger(true, 0), ignored);
      lowest.socket().close(ignored);
      co_return;
    }
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, kTuple);
    if (ec) co_return;
    const auto& msg = parser.get();
    request.body = msg.body();
    const bool keep_alive = msg.keep_alive();

    FakeResponse response = impl->handle(request);
    co_await sleep_for(response.delay);
    if (response.close_without_response) co_return;
    Wire wire = format_response(response, keep_alive, msg.method() == http::verb::head);
    if (!co_await send(stream, response, wire) || wire.close_after) co_return;
  }
}

asio::awaitable<void> serve_plain(ServerState* impl, tcp::socket socket, std::size_t connection) {
  OpenConnection counted(impl);
  beast::tcp_stream stream(std::move(socket));
  co_await serve_requests(impl, stream, connection);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.socket().close(ignored);
}

asio::awaitable<void> serve_tls(ServerState* impl, tcp::socket socket, std::size_t connection) {
  OpenConnection counted(impl);
  beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *impl->tls);
  beast::get_lowest_layer(stream).expires_after(kTlsTimeout);
  auto [hs] = co_await stream.async_handshake(asio::ssl::stream_base::server, kTuple);
  if (hs) co_return;  // e.g. the client rejected our certificate
  beast::get_lowest_layer(stream).expires_never();
  co_await serve_requests(impl, stream, connection);
  if (!beast::get_lowest_layer(stream).socket().is_open()) co_return;  // hung up or timed out
  beast::get_lowest_layer(stream).expires_after(kTlsTimeout);
  co_await stream.async_shutdown(kTuple);
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().close(ignored);
}

asio::awaitable<void> accept_loop(ServerState* impl, tcp::acceptor acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      continue;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto executor = acceptor.get_executor();
    std::size_t number = 0;
    {
      std::lock_guard lock(impl->mutex);
      number = ++impl->accepted;
    }
    if (impl->tls) {
      asio::co_spawn(executor, serve_tls(impl, std::move(socket), number), log_exception);
    } else {
      asio::co_spawn(executor, serve_plain(impl, std::move(socket), number), log_exception);
    }
  }
}

std::string fixture(const char* name) { return std::string(OTKLIK_FIXTURES_DIR) + "/tls/" + name; }

}  // namespace

struct FakeHttpServer::Impl : ServerState {};

FakeHttpServer::FakeHttpServer(Handler handler, bool tls)
    : FakeHttpServer(std::move(handler), tls ? server_tls_cert() : FakeTlsCert{}) {}

FakeHttpServer::FakeHttpServer(Handler handler, FakeTlsCert cert) : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  if (!cert.cert_file.empty()) {
    impl_->tls.emplace(asio::ssl::context::tls_server);
    impl_->tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                            asio::ssl::context::no_sslv3);
    impl_->tls->use_certificate_chain_file(cert.cert_file);
    impl_->tls->use_private_key_file(cert.key_file, asio::ssl::context::pem);
  }
  tcp::acceptor acceptor(*impl_->ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  impl_->port = acceptor.local_endpoint().port();
  asio::co_spawn(*impl_->ioc, accept_loop(impl_.get(), std::move(acceptor)), log_exception);
  impl_->thread = std::thread([ioc = impl_->ioc.get()] { ioc->run(); });
}

FakeHttpServer::~FakeHttpServer() {
  impl_->ioc->stop();
  impl_->thread.join();
  // Destroying the io_context destroys the suspended sessions (and their sockets) while the
  // rest of Impl is still alive.
  impl_->ioc.reset();
}

unsigned short FakeHttpServer::port() const { return impl_->port; }

std::string FakeHttpServer::base_url() const {
  return (impl_->tls ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(impl_->port);
}

void FakeHttpServer::set_handler(Handler handler) {
  std::lock_guard lock(impl_->mutex);
  impl_->handler = std::move(handler);
}

std::vector<FakeRequest> FakeHttpServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

std::size_t FakeHttpServer::request_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests.size();
}

std::size_t FakeHttpServer::connections_accepted() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->accepted;
}

std::size_t FakeHttpServer::connections_open() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->open;
}

void FakeHttpServer::close_idle_after(std::chrono::milliseconds idle) {
  std::lock_guard lock(impl_->mutex);
  impl_->idle_close = idle;
}

void FakeHttpServer::hang_up_after_headers(std::function<bool(const FakeRequest&)> when) {
  std::lock_guard lock(impl_->mutex);
  impl_->hang_up = std::move(when);
}

std::string FakeHttpServer::test_ca_file() { return fixture("ca.pem"); }

FakeTlsCert FakeHttpServer::server_tls_cert() { return {fixture("server.pem"), fixture("server.key")}; }

FakeTlsCert FakeHttpServer::other_tls_cert() { return {fixture("other.pem"), fixture("other.key")}; }

}  // namespace otklik::test
