// The real client through in-test proxies on 127.0.0.1 (HTTP CONNECT and forwarding, SOCKS5 with
// and without credentials) to fake sites, plain and TLS: what the proxy is asked, failures of the
// proxy and of the target told apart, deadlines, the pool keyed by proxy, and no password in any
// failure.
#include "tests/support/http/fake_proxy.hpp"
#include "tests/unit/net/client_test_helpers.hpp"

#include <chrono>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPassword = "pr0xy-s3cret";

ProxyConfig proxy_of(const FakeProxy& proxy, const std::string& user = "", const std::string& password = "") {
  auto parsed = parse_proxy_url(proxy.url(user));
  REQUIRE(parsed);
  if (!user.empty()) parsed->password = Secret("env:OTKLIK_PROXY_PASSWORD", password);
  return *parsed;
}

HttpRequest via(const std::string& url, const ProxyConfig& proxy) {
  HttpRequest request;
  request.url = url;
  request.proxy = proxy;
  return request;
}

std::string https_url(const FakeHttpServer& server, const std::string& path) {
  return "https://localhost:" + std::to_string(server.port()) + path;
}

/// A port with nothing listening on 127.0.0.1.
unsigned short closed_port() {
  FakeHttpServer gone([](const FakeRequest&) { return FakeResponse::text(200, ""); });
  return gone.port();
}

void check_no_secret(const Result<HttpResponse>& result) {
  REQUIRE_FALSE(result);
  CHECK(result.error().message().find(kPassword) == std::string::npos);
}

}  // namespace

TEST_CASE("an HTTP proxy forwards http requests in absolute form", "[net][proxy][http_proxy]") {
  FakeHttpServer site([](const FakeRequest& r) { return FakeResponse::text(200, "via proxy " + r.target); });
  FakeProxy proxy(FakeProxy::Kind::http);
  auto result = fetch(via(site.base_url() + "/feed?x=1", proxy_of(proxy)));
  REQUIRE(result);
  CHECK(result->body == "via proxy /feed?x=1");
  auto asked = proxy.requests();
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].kind == "forward");
  CHECK(asked[0].target == site.base_url() + "/feed?x=1");
  CHECK_FALSE(asked[0].credentials_given);
  CHECK(site.requests().at(0).header("Host") == "127.0.0.1:" + std::to_string(site.port()));
}

TEST_CASE("an HTTP proxy tunnels https with CONNECT, TLS is checked against the target", "[net][proxy][http_proxy][tls]") {
  FakeHttpServer site([](const FakeRequest&) { return FakeResponse::text(200, "secure via proxy"); }, true);
  FakeProxy proxy(FakeProxy::Kind::http);
  auto config = tls_config();
  config.proxy = proxy_of(proxy);  // the [http] default
  auto result = get(https_url(site, "/feed"), config);
  REQUIRE(result);
  CHECK(result->body == "secure via proxy");
  auto asked = proxy.requests();
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].kind == "CONNECT");
  CHECK(asked[0].target == "localhost:" + std::to_string(site.port()));

  SECTION("a certificate for another name is refused through the tunnel too") {
    FakeHttpServer other([](const FakeRequest&) { return FakeResponse::text(200, "x"); }, FakeHttpServer::other_tls_cert());
    auto refused = get(https_url(other, "/"), config);
    REQUIRE(fails_with(refused, errc::tls_failed));
    CHECK(refused.error().detail.find("through proxy http://127.0.0.1:" + std::to_string(proxy.port())) !=
          std::string::npos);
    CHECK(refused.error().detail.find("not valid for localhost") != std::string::npos);
  }
}

TEST_CASE("an HTTP proxy with credentials: Basic on CONNECT and on forwarded requests only", "[net][proxy][http_proxy]") {
  FakeHttpServer site([](const FakeRequest&) { return FakeResponse::text(200, "ok"); });
  FakeHttpServer tls_site([](const FakeRequest&) { return FakeResponse::text(200, "ok"); }, true);
  FakeProxy proxy(FakeProxy::Kind::http);
  proxy.require_credentials("otklik", kPassword);
  auto config = tls_config();
  const auto good = proxy_of(proxy, "otklik", kPassword);
  REQUIRE(fetch(via(site.base_url() + "/", good), config));
  REQUIRE(fetch(via(https_url(tls_site, "/"), good), config));
  auto asked = proxy.requests();
  REQUIRE(asked.size() == 2);
  for (const auto& r : asked) {
    CHECK(r.credentials_given);
    CHECK(r.user == "otklik");
    CHECK(r.password == kPassword);
  }
  CHECK_FALSE(site.requests().at(0).header("Proxy-Authorization"));  // never passed on to the site
  CHECK_FALSE(tls_site.requests().at(0).header("Proxy-Authorization"));

  SECTION("wrong credentials: the proxy's failure, without the password") {
    const auto bad = proxy_of(proxy, "otklik", kPassword + std::string("-wrong"));
    for (const auto& url : {site.base_url() + "/", https_url(tls_site, "/")}) {
      INFO(url);
      auto result = fetch(via(url, bad), config);
      REQUIRE(fails_with(result, errc::proxy_failed));
      CHECK(result.error().detail ==
            "proxy http://otklik@127.0.0.1:" + std::to_string(proxy.port()) + " refused the credentials (407)");
      check_no_secret(result);
    }
  }
  SECTION("no credentials: the proxy asks for them") {
    auto result = fetch(via(https_url(tls_site, "/"), proxy_of(proxy)), config);
    REQUIRE(fails_with(result, errc::proxy_failed));
    CHECK(result.error().detail.find("requires credentials (407)") != std::string::npos);
  }
}

TEST_CASE("a SOCKS5 proxy carries http and https, the target by name", "[net][proxy][socks5]") {
  FakeHttpServer site([](const FakeRequest&) { return FakeResponse::text(200, "plain via socks"); });
  FakeHttpServer tls_site([](const FakeRequest&) { return FakeResponse::text(200, "secure via socks"); }, true);
  FakeProxy proxy(FakeProxy::Kind::socks5);
  auto config = tls_config();
  config.proxy = proxy_of(proxy);
  auto plain = get(site.base_url() + "/a", config);
  REQUIRE(plain);
  CHECK(plain->body == "plain via socks");
  auto secure = get(https_url(tls_site, "/b"), config);
  REQUIRE(secure);
  CHECK(secure->body == "secure via socks");
  auto asked = proxy.requests();
  REQUIRE(asked.size() == 2);
  CHECK(asked[0].target == "127.0.0.1:" + std::to_string(site.port()));
  CHECK(asked[0].socks_address_type == "ipv4");
  CHECK(asked[1].target == "localhost:" + std::to_string(tls_site.port()));
  CHECK(asked[1].socks_address_type == "name");  // resolved by the proxy, not here
  CHECK(asked[1].methods == std::vector<std::string>{"none"});
}

TEST_CASE("a SOCKS5 proxy with username and password", "[net][proxy][socks5]") {
  FakeHttpServer site([](const FakeRequest&) { return FakeResponse::text(200, "ok"); });
  FakeProxy proxy(FakeProxy::Kind::socks5);
  proxy.require_credentials("otklik", kPassword);
  auto result = fetch(via(site.base_url() + "/", proxy_of(proxy, "otklik", kPassword)));
  REQUIRE(result);
  auto asked = proxy.requests();
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].methods == std::vector<std::string>{"none", "user/password"});
  CHECK(asked[0].user == "otklik");
  CHECK(asked[0].password == kPassword);

  SECTION("wrong password") {
    auto refused = fetch(via(site.base_url() + "/", proxy_of(proxy, "otklik", "nope-" + std::string(kPassword))));
    REQUIRE(fails_with(refused, errc::proxy_failed));
    CHECK(refused.error().detail ==
          "proxy socks5://otklik@127.0.0.1:" + std::to_string(proxy.port()) + " refused the credentials");
    check_no_secret(refused);
  }
  SECTION("no credentials") {
    auto refused = fetch(via(site.base_url() + "/", proxy_of(proxy)));
    REQUIRE(fails_with(refused, errc::proxy_failed));
    CHECK(refused.error().detail.find("requires credentials") != std::string::npos);
  }
}

TEST_CASE("a proxy that is down or refuses is the proxy's failure", "[net][proxy]") {
  FakeHttpServer site([](const FakeRequest&) { return FakeResponse::text(200, "ok"); }, true);
  const auto port = std::to_string(closed_port());
  for (const std::string scheme : {"http", "socks5"}) {
    INFO(scheme);
    auto down = parse_proxy_url(scheme + "://127.0.0.1:" + port);
    REQUIRE(down);
    auto result = fetch(via(https_url(site, "/"), *down), tls_config());
    REQUIRE(fails_with(result, errc::proxy_failed));
    CHECK(result.error().detail.starts_with("proxy " + scheme + "://127.0.0.1:" + port + ": connect to 127.0.0.1:" + port));
  }
  CHECK(site.connections_accepted() == 0);

  SECTION("an HTTP proxy that refuses CONNECT") {
    FakeProxy proxy(FakeProxy::Kind::http);
    proxy.refuse_with("403 Forbidden");
    auto result = fetch(via(https_url(site, "/"), proxy_of(proxy)), tls_config());
    REQUIRE(fails_with(result, errc::proxy_failed));
    CHECK(result.error().detail == "proxy http://127.0.0.1:" + std::to_string(proxy.port()) + " refused CONNECT to localhost:" +
                                       std::to_string(site.port()) + ": 403 Forbidden");
  }
  SECTION("a SOCKS5 proxy whose rules forbid the target") {
    FakeProxy proxy(FakeProxy::Kind::socks5);
    proxy.refuse_with("", 0x02);
    auto result = fetch(via(https_url(site, "/"), proxy_of(proxy)), tls_config());
    REQUIRE(fails_with(result, errc::proxy_failed));
    CHECK(result.error().detail.find("connection not allowed by ruleset") != std::string::npos);
  }
}

TEST_CASE("a target that is down behind a working proxy is the target's failure", "[net][proxy]") {
  const auto port = std::to_string(closed_port());
  SECTION("SOCKS5") {
    FakeProxy proxy(FakeProxy::Kind::socks5);
    auto result = fetch(via("http://127.0.0.1:" + port + "/", proxy_of(proxy)));
    REQUIRE(fails_with(result, errc::connect_failed));
    CHECK(result.error().detail == "connect to 127.0.0.1:" + port + " through proxy socks5://127.0.0.1:" +
                                       std::to_string(proxy.port()) + ": connection refused (SOCKS5 reply 5)");
  }
  SECTION("HTTP CONNECT") {
    FakeProxy proxy(FakeProxy::Kind::http);
    auto result = fetch(via("https://localhost:" + port + "/", proxy_of(proxy)), tls_config());
    REQUIRE(fails_with(result, errc::connect_failed));
    CHECK(result.error().detail == "connect to localhost:" + port + " through proxy http://127.0.0.1:" +
                                       std::to_string(proxy.port()) + ": 502 Bad Gateway");
  }
  SECTION("HTTP forwarding: the proxy's own 502 comes back as a response") {
    FakeProxy proxy(FakeProxy::Kind::http);
    auto result = fetch(via("http://127.0.0.1:" + port + "/", proxy_of(proxy)));
    REQUIRE(result);
    CHECK(result->status == 502);
  }
}

TEST_CASE("a proxy that never answers is cut off by the connect deadline", "[net][proxy]") {
  FakeHttpServer site([](const FakeRequest&) { return FakeResponse::text(200, "ok"); }, true);
  auto config = tls_config();
  config.connect_timeout = 300ms;
  for (auto kind : {FakeProxy::Kind::http, FakeProxy::Kind::socks5}) {
    FakeProxy proxy(kind);
    proxy.stall();
    const auto start = std::chrono::steady_clock::now();
    auto result = fetch(via(https_url(site, "/"), proxy_of(proxy)), config);
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(fails_with(result, errc::timeout));
    CHECK(result.error().detail.find("through proxy " + proxy.url()) != std::string::npos);
    CHECK(result.error().detail.find("timed out after 300ms") != std::string::npos);
    CHECK(took < 3s);
  }
}

TEST_CASE("the keep-alive pool keys connections by proxy", "[net][proxy][keepalive]") {
  FakeHttpServer site([](const FakeRequest&) { return FakeResponse::text(200, "ok"); }, true);
  FakeProxy proxy(FakeProxy::Kind::socks5);
  ClientRig rig(tls_config());
  const auto socks = proxy_of(proxy);
  REQUIRE(rig.fetch(via(https_url(site, "/1"), socks)));
  REQUIRE(rig.fetch(via(https_url(site, "/2"), socks)));  // the tunnel is reused
  CHECK(proxy.connections_accepted() == 1);
  CHECK(site.connections_accepted() == 1);
  REQUIRE(rig.fetch(via(https_url(site, "/3"), ProxyConfig{})));  // "none": direct, its own connection
  CHECK(proxy.connections_accepted() == 1);
  CHECK(site.connections_accepted() == 2);
  CHECK(rig.stats().requests_reused == 1);
}

TEST_CASE("through a proxy, a link to an internal literal address is refused without asking the proxy",
          "[net][proxy][address_policy]") {
  FakeProxy proxy(FakeProxy::Kind::socks5);
  HttpRequest request = via("http://10.255.255.1/admin", proxy_of(proxy));
  request.configured_url = "https://reviews.example.org/";
  auto result = fetch(request);
  REQUIRE(fails_with(result, errc::address_refused));
  CHECK(result.error().detail == "link to http://10.255.255.1/admin refused: 10.255.255.1 is a private address");
  CHECK(proxy.connections_accepted() == 0);
}
