#pragma once
/// An in-process HTTP/1.1 (optionally HTTPS) server on 127.0.0.1 for tests. It runs on its own
/// thread and io_context, so the code under test cannot tell it from a remote server. Handlers
/// return responses; knobs inject the failures of real life (slow bodies, resets, raw bytes).

#include "daemon/net/http_types.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace otklik::test {

struct FakeRequest {
  std::string method;
  std::string target;   ///< path and query, e.g. "/bot123:ABC/sendMessage?x=1"
  std::string path;     ///< target without the query
  Headers headers;
  std::string body;           ///< empty when seen by a hang_up_after_headers() predicate
  std::size_t connection = 0;     ///< which connection it came on: 1 for the first accepted, …
  std::size_t on_connection = 0;  ///< its place on that connection: 1 for the first request, …
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

struct FakeResponse {
  int status = 200;
  /// 11 or 10. An HTTP/1.0 response closes the connection unless its headers say
  /// "Connection: keep-alive".
  int version = 11;
  Headers headers;              ///< Content-Length is added when absent (no body goes out for HEAD)
  std::string body;
  std::chrono::milliseconds delay{0};       ///< wait before sending anything
  /// Send the body in `chunk_size` pieces with this gap (slow body). With a
  /// "Transfer-Encoding: chunked" header each piece goes out as one HTTP chunk; otherwise the
  /// pieces are raw bytes of a Content-Length body.
  std::chrono::milliseconds chunk_delay{0};
  std::size_t chunk_size = 1024;
  bool close_without_response = false;      ///< read the request, then close the connection
  /// Send these bytes verbatim instead of a formatted response (in pieces when chunk_delay is
  /// set), then close the connection.
  std::optional<std::string> raw;

  static FakeResponse text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static FakeResponse json(int status, std::string body);
};

/// The certificate (chain) and key the server presents over TLS, as PEM files.
struct FakeTlsCert {
  std::string cert_file;
  std::string key_file;
};

class FakeHttpServer {
 public:
  /// Called on the server's thread, one request at a time per connection. An exception becomes
  /// a 500 response with body "handler threw: <what()>" (don't assert inside handlers: record
  /// and check after the call).
  using Handler = std::function<FakeResponse(const FakeRequest&)>;

  /// Starts listening on 127.0.0.1 on a free port. With `tls`, serves HTTPS with the test
  /// certificate for "localhost" and 127.0.0.1 (signed by test_ca_file()).
  explicit FakeHttpServer(Handler handler, bool tls = false);
  /// Serves HTTPS with the given certificate, e.g. other_tls_cert() for hostname-mismatch tests.
  FakeHttpServer(Handler handler, FakeTlsCert cert);
  ~FakeHttpServer();  ///< stops and joins; open connections are dropped
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  [[nodiscard]] unsigned short port() const;
  /// "http://127.0.0.1:PORT" or "https://localhost:PORT".
  [[nodiscard]] std::string base_url() const;
  /// Replaces the handler (thread-safe).
  void set_handler(Handler handler);
  /// Copies of the requests received so far, in order (thread-safe).
  [[nodiscard]] std::vector<FakeRequest> requests() const;
  [[nodiscard]] std::size_t request_count() const;
  /// Connections accepted so far, and those still open on the server's side (thread-safe).
  [[nodiscard]] std::size_t connections_accepted() const;
  [[nodiscard]] std::size_t connections_open() const;
  /// Keep-alive timeout of the server: a connection with no new request this long after its last
  /// response is closed. Zero (the default) keeps connections open until the client closes them.
  void close_idle_after(std::chrono::milliseconds idle);
  /// Reads the head of each request and, when `when(request)` is true, resets the connection
  /// without reading the body or answering (a server going away mid-request). The request is
  /// recorded with an empty body. Null: never.
  void hang_up_after_headers(std::function<bool(const FakeRequest&)> when);

  /// PEM file of the CA that signed the test server certificate (tests/fixtures/tls/ca.pem).
  static std::string test_ca_file();
  /// The default TLS identity: tests/fixtures/tls/server.pem, for "localhost" and 127.0.0.1.
  static FakeTlsCert server_tls_cert();
  /// A certificate signed by the test CA for "other.invalid" only (tests/fixtures/tls/other.pem).
  static FakeTlsCert other_tls_cert();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace otklik::test
