#include "daemon/net/http_client.hpp"

#include "tests/support/catch_result.hpp"

using namespace otklik;
using namespace std::chrono_literals;

namespace {
// Sun, 06 Nov 1994 08:49:37 GMT (the RFC 9110 example date).
const TimePoint kExampleDate = TimePoint{std::chrono::seconds(784111777)};
}  // namespace

TEST_CASE("parse_retry_after reads delta-seconds and HTTP-dates", "[net][retry_after]") {
  struct Case {
    std::string_view value;
    TimePoint now;
    std::optional<std::chrono::seconds> expected;
  };
  const Case cases[] = {
      {"120", kExampleDate, 120s},
      {"0", kExampleDate, 0s},
      {"  7 ", kExampleDate, 7s},
      {"99999999999999999999999", kExampleDate, std::chrono::seconds(2147483647)},  // clamped, not rejected
      {"Sun, 06 Nov 1994 08:49:37 GMT", kExampleDate - 60s, 60s},                  // IMF-fixdate
      {"Sun, 06 Nov 1994 08:49:37 GMT", kExampleDate, 0s},
      {"Sun, 06 Nov 1994 08:49:37 GMT", kExampleDate + 3600s, 0s},                 // in the past: now
      {"Sun, 06 Nov 1994 08:49:37 GMT", kExampleDate - 1500ms, 2s},                // rounded up
      {"Sunday, 06-Nov-94 08:49:37 GMT", kExampleDate - 30s, 30s},                 // RFC 850
      {"Sun Nov  6 08:49:37 1994", kExampleDate - 5s, 5s},                         // asctime
      {"Wed, 01 Jan 2025 00:00:00 GMT", TimePoint{std::chrono::seconds(1735689600 - 86400)}, 86400s},
      {"", kExampleDate, std::nullopt},
      {"-5", kExampleDate, std::nullopt},
      {"12s", kExampleDate, std::nullopt},
      {"1.5", kExampleDate, std::nullopt},
      {"soon", kExampleDate, std::nullopt},
      {"Sun, 06 Nov 1994 08:49:37 UTC", kExampleDate, std::nullopt},
      {"Sun, 31 Feb 1994 08:49:37 GMT", kExampleDate, std::nullopt},
      {"Sun, 06 Foo 1994 08:49:37 GMT", kExampleDate, std::nullopt},
      {"Sun, 06 Nov 1994 25:49:37 GMT", kExampleDate, std::nullopt},
      {"Sun, 06 Nov 1994 08:49:37 GMT trailing", kExampleDate, std::nullopt},
  };
  for (const auto& c : cases) {
    INFO("value '" << c.value << "'");
    CHECK(parse_retry_after(c.value, c.now) == c.expected);
  }
}

TEST_CASE("status_failure classifies statuses", "[net][status]") {
  struct Case {
    int status;
    std::optional<std::string> retry_after;
    std::optional<errc> code;
    std::optional<std::chrono::seconds> retry;
  };
  const Case cases[] = {
      {200, std::nullopt, std::nullopt, std::nullopt},
      {204, std::nullopt, std::nullopt, std::nullopt},
      {304, std::nullopt, std::nullopt, std::nullopt},
      {301, std::nullopt, errc::http_status, std::nullopt},
      {404, std::nullopt, errc::http_status, std::nullopt},
      {500, std::nullopt, errc::http_status, std::nullopt},
      {503, std::nullopt, errc::http_status, std::nullopt},
      {503, "30", errc::rate_limited, 30s},
      {429, std::nullopt, errc::rate_limited, std::nullopt},
      {429, "15", errc::rate_limited, 15s},
      {429, "garbage", errc::rate_limited, std::nullopt},
      {500, "10", errc::http_status, 10s},  // hint kept, code unchanged
  };
  for (const auto& c : cases) {
    INFO("status " << c.status);
    HttpResponse response;
    response.status = c.status;
    response.final_url = "https://example.org/feed";
    if (c.retry_after) response.headers.emplace_back("retry-after", *c.retry_after);
    auto failure = status_failure(response, kExampleDate);
    REQUIRE(failure.has_value() == c.code.has_value());
    if (!failure) continue;
    CHECK(failure->code == make_error_code(*c.code));
    CHECK(failure->http_status == c.status);
    CHECK(failure->retry_after == c.retry);
    CHECK(failure->detail == "HTTP " + std::to_string(c.status) + " from https://example.org/feed");
  }
}

TEST_CASE("status_failure marks 5xx and 429 transient, 4xx permanent", "[net][status]") {
  HttpResponse response;
  response.status = 502;
  CHECK(status_failure(response, kExampleDate)->transient());
  response.status = 429;
  CHECK(status_failure(response, kExampleDate)->transient());
  response.status = 410;
  CHECK_FALSE(status_failure(response, kExampleDate)->transient());
}
