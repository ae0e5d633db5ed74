// The one redaction of text bound for logs, stored errors and notices: configured secrets and
// anything shaped like a Telegram bot token.
#include "daemon/core/redactor.hpp"

#include <catch2/catch.hpp>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

using namespace otklik;

namespace {
const std::string kToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
}

TEST_CASE("the redactor hides configured secrets and bot-token shapes", "[core][redact]") {
  Redactor r;
  r.set_secrets({"s3cr3t-api-key-value", "https://hooks.slack.com/services/T0/B0/XyZ", "", "abc"});
  struct Case {
    std::string in;
    std::string want;
  };
  const Case cases[] = {
      {"GET /maps?key=s3cr3t-api-key-value failed", "GET /maps?key=*** failed"},
      {"POST https://hooks.slack.com/services/T0/B0/XyZ: 500", "POST ***: 500"},
      // Not configured here, but a bot token by its shape: an error page echoing the request path.
      {"502 Bad Gateway: /bot" + kToken + "/getUpdates", "502 Bad Gateway: /bot123456789:***/getUpdates"},
      {"bot" + kToken, "bot123456789:***"},
      {"the robot12:short is not a token", "the robot12:short is not a token"},
      {"bot:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA (no digits)", "bot:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA (no digits)"},
      {"abc is too short to hide", "abc is too short to hide"},
      {"", ""},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(r(c.in) == c.want);
  }
  // Secrets that change with a reload.
  r.set_secrets({"new-secret-value"});
  CHECK(r("x new-secret-value s3cr3t-api-key-value") == "x *** s3cr3t-api-key-value");
}

TEST_CASE("every log line passes through the redactor", "[core][redact]") {
  auto redactor = std::make_shared<Redactor>();
  redactor->set_secrets({"smtp-password-42"});
  std::ostringstream out;
  auto inner = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  inner->set_pattern("%v");
  spdlog::logger log("test", Redactor::sink(redactor, {inner}));
  log.warn("login with smtp-password-42 refused");
  log.error("getUpdates failed: 502 /bot{}/getUpdates", kToken);
  log.flush();
  const std::string text = out.str();
  CHECK(text.find("smtp-password-42") == std::string::npos);
  CHECK(text.find(kToken) == std::string::npos);
  CHECK(text.find("login with *** refused") != std::string::npos);
  CHECK(text.find("/bot123456789:***/getUpdates") != std::string::npos);
}
