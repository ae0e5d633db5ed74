// Through the daemon: a source polled through a SOCKS5 proxy with credentials and a channel
// through the [http] default HTTP proxy deliver an alert; a source whose site redirects to
// another internal host fails its polls with its own metric reason and log line.

#include "harness.hpp"
#include "tests/support/chat/fake_chat.hpp"
#include "tests/support/http/fake_proxy.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cstdlib>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kProxyPassword = "s0cks-pa55-for-test";

const std::string kNegative = "Terrible service, the manager was rude and I waited an hour in the queue. Never again.";

}  // namespace

TEST_CASE("a source behind a SOCKS5 proxy and a channel behind an HTTP proxy deliver alerts",
          "[integration][proxy]") {
  FakeSite site;
  FakeTelegram tg;
  FakeProxy socks(FakeProxy::Kind::socks5);
  socks.require_credentials("otklik", kProxyPassword);
  FakeProxy http_proxy(FakeProxy::Kind::http);
  ::setenv("OTKLIK_TEST_SOCKS_PASSWORD", kProxyPassword, 1);
  serve_feed(site, {{"a", "Review", kNegative, std::chrono::system_clock::now() - 1min}});

  DaemonHarness h;
  h.write_config(fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"
locale = "en"

[http]
per_host_delay = "0s"
read_timeout = "5s"
proxy = "{}"

[[source]]
name = "reviews"
type = "rss"
url = "{}"
interval = "1s"
proxy = "{}"
proxy_password = "env:OTKLIK_TEST_SOCKS_PASSWORD"

[[channel]]
name = "support"
type = "telegram"
token = "{}"
chat_id = "-100200300"
api_url = "{}"
actions = false

[[route]]
channel = "support"
)",
                             http_proxy.url(), site.url("/feed.rss"), socks.url("otklik"), tg.token(), tg.api_url()));
  h.start();
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 15s));
  CHECK(tg.messages().at(0).visible_text.find("waited an hour in the queue") != std::string::npos);

  const auto polled = socks.requests();
  REQUIRE_FALSE(polled.empty());
  CHECK(polled[0].target == "127.0.0.1:" + site.url("").substr(site.url("").rfind(':') + 1));
  CHECK(polled[0].user == "otklik");
  CHECK(polled[0].password == kProxyPassword);
  const auto sent = http_proxy.requests();
  REQUIRE_FALSE(sent.empty());
  CHECK(sent[0].kind == "forward");
  CHECK(sent[0].target.starts_with(tg.api_url() + "/bot"));
  CHECK(h.stop() == 0);
  CHECK(h.log().find(kProxyPassword) == std::string::npos);
  ::unsetenv("OTKLIK_TEST_SOCKS_PASSWORD");
}

TEST_CASE("a redirect to another internal host is a poll failure with its own reason", "[integration][address_policy]") {
  FakeSite inner;
  serve_feed(inner, {{"x", "Internal", "internal data", std::chrono::system_clock::now() - 1min}});
  FakeSite site;
  FakeResponse redirect;
  redirect.status = 302;
  const std::string target = "http://localhost:" + inner.url("").substr(inner.url("").rfind(':') + 1) + "/feed.rss";
  redirect.headers = {{"Location", target}};
  site.put_response("/feed.rss", redirect);
  FakeTelegram tg;

  DaemonHarness h;
  h.write_config(fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"

[http]
per_host_delay = "0s"

[[source]]
name = "hostile"
type = "rss"
url = "{}"
interval = "1s"

[[channel]]
name = "support"
type = "telegram"
token = "{}"
chat_id = "42"
api_url = "{}"
actions = false

[[route]]
channel = "support"
)",
                             site.url("/feed.rss"), tg.token(), tg.api_url()));
  h.start();
  REQUIRE(wait_until([&] { return site.hits("/feed.rss") >= 2; }, 15s));
  REQUIRE(wait_until([&] { return h.log().find("source hostile: poll failed") != std::string::npos; }, 5s));
  CHECK(inner.hits("/feed.rss") == 0);
  const std::string log = h.log();
  INFO(log);
  CHECK(log.find("source hostile: poll failed: address refused: redirect to " + target + " refused: localhost resolves to ") !=
        std::string::npos);
  auto [status, metrics] = h.health_get("/metrics");
  REQUIRE(status == 200);
  CHECK(metrics.find(R"(otklik_source_poll_failures_total{source="hostile",reason="address_refused"})") != std::string::npos);
  CHECK(tg.messages().empty());
  CHECK(h.stop() == 0);
}
