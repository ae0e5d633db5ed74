// The HTTP proxy protocol as pure functions: the CONNECT request, Basic credentials, and the
// judgement of the proxy's reply (the proxy's fault or the target's).
#include "daemon/net/http_proxy_protocol.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace otklik;

namespace {

ProxyConfig http_proxy(std::string user = "", std::string password = "") {
  ProxyConfig proxy;
  proxy.kind = ProxyConfig::Kind::http;
  proxy.host = "proxy.lan";
  proxy.port = 3128;
  proxy.username = std::move(user);
  if (!proxy.username.empty()) proxy.password = Secret("env:PROXY_PASS", std::move(password));
  return proxy;
}

}  // namespace

TEST_CASE("proxy_authorization: Basic with user and password", "[net][proxy]") {
  CHECK(proxy_authorization(http_proxy()).empty());
  CHECK(proxy_authorization(http_proxy("user", "pass")) == "Basic dXNlcjpwYXNz");
  CHECK(proxy_authorization(http_proxy("Aladdin", "open sesame")) == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  CHECK(proxy_authorization(http_proxy("a", "")) == "Basic YTo=");
}

TEST_CASE("connect_request: the target's authority, Host, and credentials when given", "[net][proxy]") {
  CHECK(connect_request(http_proxy(), "reviews.example.org:443") ==
        "CONNECT reviews.example.org:443 HTTP/1.1\r\nHost: reviews.example.org:443\r\n\r\n");
  CHECK(connect_request(http_proxy("user", "pass"), "[2001:db8::1]:443") ==
        "CONNECT [2001:db8::1]:443 HTTP/1.1\r\nHost: [2001:db8::1]:443\r\n"
        "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n\r\n");
}

TEST_CASE("judge_connect_reply: the tunnel, the proxy's refusals and the target's failures", "[net][proxy]") {
  struct Case {
    std::string head;
    ProxyConfig proxy;
    std::optional<errc> code;  ///< nullopt: the tunnel is open
    std::string detail;
  };
  const std::vector<Case> cases{
      {"HTTP/1.1 200 Connection established\r\n\r\n", http_proxy(), std::nullopt, ""},
      {"HTTP/1.0 200 OK\r\nProxy-Agent: x\r\n\r\n", http_proxy(), std::nullopt, ""},
      {"HTTP/1.1 200\r\n\r\n", http_proxy(), std::nullopt, ""},
      {"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", http_proxy(), errc::proxy_failed,
       "proxy http://proxy.lan:3128 requires credentials (407): give a user in proxy and proxy_password"},
      {"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", http_proxy("otklik", "s3cret"), errc::proxy_failed,
       "proxy http://otklik@proxy.lan:3128 refused the credentials (407)"},
      {"HTTP/1.1 403 Forbidden\r\n\r\n", http_proxy(), errc::proxy_failed,
       "proxy http://proxy.lan:3128 refused CONNECT to example.org:443: 403 Forbidden"},
      {"HTTP/1.1 405 Method Not Allowed\r\n\r\n", http_proxy(), errc::proxy_failed,
       "proxy http://proxy.lan:3128 refused CONNECT to example.org:443: 405 Method Not Allowed"},
      {"HTTP/1.1 502 Bad Gateway\r\n\r\n", http_proxy(), errc::connect_failed,
       "connect to example.org:443 through proxy http://proxy.lan:3128: 502 Bad Gateway"},
      {"HTTP/1.1 503 Service Unavailable\r\n\r\n", http_proxy(), errc::connect_failed,
       "connect to example.org:443 through proxy http://proxy.lan:3128: 503 Service Unavailable"},
      {"HTTP/1.0 500 Unable to connect\r\n\r\n", http_proxy(), errc::connect_failed,
       "connect to example.org:443 through proxy http://proxy.lan:3128: 500 Unable to connect"},
      {"HTTP/1.1 504 Gateway Timeout\r\n\r\n", http_proxy(), errc::connect_failed,
       "connect to example.org:443 through proxy http://proxy.lan:3128: 504 Gateway Timeout"},
      {"SSH-2.0-OpenSSH_9.2\r\n\r\n", http_proxy(), errc::proxy_failed,
       "proxy http://proxy.lan:3128 answered CONNECT with something other than HTTP"},
      {"HTTP/1.1 20 OK\r\n\r\n", http_proxy(), errc::proxy_failed,
       "proxy http://proxy.lan:3128 answered CONNECT with something other than HTTP"},
  };
  for (const auto& c : cases) {
    INFO(c.head);
    auto failure = judge_connect_reply(c.head, c.proxy, "example.org:443");
    if (!c.code) {
      CHECK_FALSE(failure);
      continue;
    }
    REQUIRE(failure);
    CHECK(failure->code == make_error_code(*c.code));
    CHECK(failure->detail == c.detail);
    CHECK(failure->detail.find("s3cret") == std::string::npos);
  }
}
