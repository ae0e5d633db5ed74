// No secret reaches the log, whatever a remote answer echoes: a proxy's error page for the Bot
// API's getUpdates that repeats the request path (with the bot token in it).
#include "harness.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

TEST_CASE("a bot token echoed by an error page never reaches the log", "[integration][secrets]") {
  const std::string token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
  FakeSite api;  // stands for the Bot API behind a proxy that answers 502 with the path it could not reach
  api.put_response("/bot" + token + "/getUpdates",
                   FakeResponse::text(502, "<html><body>502 Bad Gateway: upstream for /bot" + token +
                                               "/getUpdates is down</body></html>",
                                      "text/html"));
  FakeSite site;
  serve_feed(site, {});
  DaemonHarness h;
  h.write_config(fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"

[http]
per_host_delay = "0s"

[lifecycle]
telegram_poll_timeout = "1s"

[[source]]
name = "reviews"
type = "rss"
url = "{}"
interval = "1s"

[[channel]]
name = "support"
type = "telegram"
token = "{}"
chat_id = "-100200300"
api_url = "{}"
actions = true

[[route]]
channel = "support"
)",
                             site.url("/feed.rss"), token, api.url("")));
  h.start();
  REQUIRE(wait_until([&] { return api.hits("/bot" + token + "/getUpdates") >= 1; }, 15s));
  REQUIRE(wait_until([&] { return h.log().find("getUpdates") != std::string::npos; }, 10s));
  h.stop();
  const std::string log = h.log();
  INFO(log);
  CHECK(log.find(token) == std::string::npos);
  CHECK(log.find("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw") == std::string::npos);
  CHECK(log.find("getUpdates failed") != std::string::npos);
  CHECK(log.find("/bot***/getUpdates") != std::string::npos);  // the echoed path, with the token hidden
}
