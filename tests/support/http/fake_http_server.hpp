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
  std::string body;
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

struct FakeResponse {
  int status = 200;
  Headers headers;              ///< Content-Length is added when absent
  std::string body;
  std::chrono::milliseconds delay{0};       ///< wait before sending anything
  std::chrono::milliseconds chunk_delay{0}; ///< send the body in `chunk_size` pieces with this gap (slow body)
  std::size_t chunk_size = 1024;
  bool close_without_response = false;      ///< read the request, then close the connection
  std::optional<std::string> raw;           ///< send these bytes verbatim instead of a formatted response

  static FakeResponse text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static FakeResponse json(int status, std::string body);
};

class FakeHttpServer {
 public:
  using Handler = std::function<FakeResponse(const FakeRequest&)>;

  /// Starts listening on 127.0.0.1 on a free port. With `tls`, serves HTTPS with the test
  /// certificate for "localhost" and 127.0.0.1 (signed by test_ca_file()).
  explicit FakeHttpServer(Handler handler, bool tls = false);
  ~FakeHttpServer();  ///< stops and joins
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

  /// PEM file of the CA that signed the test server certificate (tests/fixtures/tls/ca.pem).
  static std::string test_ca_file();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace otklik::test
