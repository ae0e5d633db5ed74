// The address filter in the real client against fake servers on 127.0.0.1: configured loopback
// URLs work, redirects and page links to another internal host are refused before any byte is
// sent, and a pooled connection is never a way around the rule.
#include "daemon/net/http_connection.hpp"

#include "tests/unit/net/client_test_helpers.hpp"

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

FakeResponse redirect_to(std::string location) {
  FakeResponse response;
  response.status = 302;
  response.headers = {{"Location", std::move(location)}};
  return response;
}

std::string port_of(const FakeHttpServer& server) { return std::to_string(server.port()); }

}  // namespace

TEST_CASE("a redirect to another internal host is refused with the URL and the address", "[net][address_policy][redirect]") {
  FakeHttpServer inner([](const FakeRequest&) { return FakeResponse::text(200, "internal secrets"); });
  SECTION("from 127.0.0.1 to localhost") {
    FakeHttpServer site([&](const FakeRequest&) { return redirect_to("http://localhost:" + port_of(inner) + "/x"); });
    auto result = get(site.base_url() + "/feed");
    REQUIRE(fails_with(result, errc::address_refused));
    const std::string& detail = result.error().detail;
    CHECK(detail.starts_with("redirect to http://localhost:" + port_of(inner) + "/x refused: localhost resolves to "));
    CHECK(detail.ends_with(", a loopback address"));
    CHECK(site.request_count() == 1);
    CHECK(inner.request_count() == 0);
    CHECK(inner.connections_accepted() == 0);
  }
  SECTION("from localhost to 127.0.0.1") {
    FakeHttpServer site([&](const FakeRequest&) { return redirect_to("http://127.0.0.1:" + port_of(inner) + "/x"); });
    auto result = get("http://localhost:" + port_of(site) + "/feed");
    REQUIRE(fails_with(result, errc::address_refused));
    CHECK(result.error().detail ==
          "redirect to http://127.0.0.1:" + port_of(inner) + "/x refused: 127.0.0.1 is a loopback address");
    CHECK(result.error().message() == "address refused: " + result.error().detail);
    CHECK_FALSE(result.error().transient());
    CHECK(inner.connections_accepted() == 0);
  }
}

TEST_CASE("a redirect that stays on the configured internal host is followed", "[net][address_policy][redirect]") {
  FakeHttpServer other([](const FakeRequest&) { return FakeResponse::text(200, "same host, other port"); });
  FakeHttpServer site([&](const FakeRequest&) { return redirect_to("http://127.0.0.1:" + port_of(other) + "/y"); });
  auto result = get(site.base_url() + "/feed");
  REQUIRE(result);
  CHECK(result->body == "same host, other port");
  CHECK(result->redirects == 1);
}

TEST_CASE("a link read from a public site's page may not reach an internal address", "[net][address_policy]") {
  FakeHttpServer inner([](const FakeRequest&) { return FakeResponse::text(200, "internal"); });
  HttpRequest request;
  request.url = inner.base_url() + "/next?page=2";
  request.configured_url = "https://reviews.example.org/feed";
  auto result = fetch(request);
  REQUIRE(fails_with(result, errc::address_refused));
  CHECK(result.error().detail == "link to " + inner.base_url() + "/next?page=2 refused: 127.0.0.1 is a loopback address");
  CHECK(inner.connections_accepted() == 0);

  SECTION("but one on the configured internal host may") {
    request.configured_url = inner.base_url() + "/feed";
    auto allowed = fetch(request);
    REQUIRE(allowed);
    CHECK(allowed->body == "internal");
  }
}

TEST_CASE("a pooled connection to an internal host is not reused by a request that may not reach it",
          "[net][address_policy][keepalive]") {
  FakeHttpServer inner([](const FakeRequest&) { return FakeResponse::text(200, "internal"); });
  ClientRig rig;
  REQUIRE(rig.get(inner.base_url() + "/a"));  // configured: allowed, and its connection is pooled
  REQUIRE(rig.stats().idle == 1);
  HttpRequest link;
  link.url = inner.base_url() + "/b";
  link.configured_url = "https://reviews.example.org/";
  auto refused = rig.fetch(link);
  CHECK(fails_with(refused, errc::address_refused));
  CHECK(inner.request_count() == 1);
  CHECK(inner.connections_accepted() == 1);
  // The allowed request still reuses it.
  REQUIRE(rig.get(inner.base_url() + "/c"));
  CHECK(inner.connections_accepted() == 1);
  CHECK(rig.stats().requests_reused == 1);
}

TEST_CASE("the connect step drops internal addresses of a name and says which", "[net][address_policy]") {
  FakeHttpServer inner([](const FakeRequest&) { return FakeResponse::text(200, "internal"); });
  auto target = parse_http_url("http://localhost:" + port_of(inner) + "/");
  REQUIRE(target);
  ConnectOptions options;  // named: see http_client.cpp on braced coroutine arguments
  options.connect_timeout = 1s;
  options.tls_timeout = 1s;
  options.allow_internal = false;
  auto refused = run_coroutine([&](boost::asio::any_io_executor) { return open_connection(*target, options); });
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == make_error_code(errc::address_refused));
  CHECK(refused.error().detail.starts_with("localhost resolves to "));
  CHECK(inner.connections_accepted() == 0);

  options.allow_internal = true;
  auto allowed = run_coroutine([&](boost::asio::any_io_executor) { return open_connection(*target, options); });
  CHECK(allowed.has_value());
}

TEST_CASE("the address refused has its own failure text and is not retried as transient", "[net][address_policy]") {
  Failure failure(errc::address_refused, "x");
  CHECK(failure.code.message() == "address refused");
  CHECK_FALSE(failure.transient());
  CHECK(Failure(errc::proxy_failed).transient());
}
