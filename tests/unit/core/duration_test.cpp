#include "daemon/core/duration.hpp"

#include <catch2/catch.hpp>

using namespace otklik;
using namespace std::chrono_literals;

TEST_CASE("durations parse as written in the config", "[config][duration]") {
  struct Case {
    const char* text;
    std::optional<Duration> want;
  };
  const Case cases[] = {
      {"90s", Duration(90s)},       {"5m", Duration(5min)},   {"1h", Duration(1h)},
      {"1h30m", Duration(90min)},   {"250ms", Duration(250)}, {"2d", Duration(48h)},
      {"1w", Duration(168h)},       {"0s", Duration(0)},      {"", std::nullopt},
      {"10", std::nullopt},         {"s", std::nullopt},      {"-5s", std::nullopt},
      {"5 m", std::nullopt},        {"30m1h", std::nullopt},  {"1h1h", std::nullopt},
      {"5x", std::nullopt},         {"99999999999999999999s", std::nullopt},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(parse_duration(c.text) == c.want);
  }
}

TEST_CASE("durations format the way they parse", "[config][duration]") {
  CHECK(format_duration(90s) == "1m30s");
  CHECK(format_duration(0s) == "0s");
  CHECK(format_duration(Duration(1500)) == "1s500ms");
  CHECK(format_duration(48h) == "2d");
  for (Duration d : {Duration(1), Duration(61'000), Duration(3'600'000 * 50 + 7)})
    CHECK(parse_duration(format_duration(d)) == d);
}

TEST_CASE("sizes parse with binary and decimal units", "[config][size]") {
  CHECK(parse_size("1024") == 1024u);
  CHECK(parse_size("8MiB") == (8u << 20));
  CHECK(parse_size("512KiB") == (512u << 10));
  CHECK(parse_size("2MB") == 2'000'000u);
  CHECK(parse_size("1GiB") == (1ull << 30));
  CHECK_FALSE(parse_size("MiB"));
  CHECK_FALSE(parse_size("5 MiB"));
  CHECK_FALSE(parse_size("5TiB"));
  CHECK_FALSE(parse_size("-1"));
}
