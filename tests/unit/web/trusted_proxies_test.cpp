// Trusted reverse proxies: addresses and CIDR blocks, IPv4, IPv6 and IPv4-mapped peers.

#include "daemon/web/trusted_proxies.hpp"

#include "tests/support/catch_result.hpp"

#include <catch2/catch.hpp>

using namespace otklik;
using namespace otklik::web;
namespace ip = boost::asio::ip;

TEST_CASE("address blocks parse", "[web][proxies]") {
  struct Case {
    std::string_view text;
    std::string_view network;  ///< "" = an error
    int prefix;
  };
  const Case cases[] = {
      {"10.0.0.1", "10.0.0.1", 32},
      {"10.0.0.0/8", "10.0.0.0", 8},
      {"0.0.0.0/0", "0.0.0.0", 0},
      {"192.168.1.128/25", "192.168.1.128", 25},
      {"::1", "::1", 128},
      {"fd00::/8", "fd00::", 8},
      {"2001:db8::/32", "2001:db8::", 32},
      {"::ffff:10.0.0.1", "10.0.0.1", 32},
      {"::ffff:10.0.0.0/104", "10.0.0.0", 8},
      {"10.0.0.1/8", "", 0},        // host bits set
      {"10.0.0.0/33", "", 0},
      {"10.0.0.0/-1", "", 0},
      {"10.0.0.0/", "", 0},
      {"10.0.0.0/8x", "", 0},
      {"fd00::/129", "", 0},
      {"::ffff:10.0.0.0/8", "", 0},  // a mapped block counts from bit 96
      {"proxy.local", "", 0},
      {"10.0.0", "", 0},
      {"", "", 0},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto b = parse_address_block(c.text);
    if (c.network.empty()) {
      REQUIRE_FALSE(b);
      CHECK(b.error().detail.find("'" + std::string(c.text) + "'") != std::string::npos);
      continue;
    }
    REQUIRE(b);
    CHECK(b->network == ip::make_address(std::string(c.network)));
    CHECK(b->prefix == c.prefix);
  }
}

TEST_CASE("peers match their blocks", "[web][proxies]") {
  auto proxies = TrustedProxies::parse({"10.0.0.0/8", "192.168.1.5", "fd00::/8", "::1"});
  REQUIRE(proxies);
  struct Case {
    std::string_view peer;
    bool trusted;
  };
  const Case cases[] = {
      {"10.1.2.3", true},           {"10.255.255.255", true},     {"11.0.0.1", false},
      {"192.168.1.5", true},        {"192.168.1.6", false},       {"::ffff:10.1.2.3", true},
      {"::ffff:192.168.1.5", true}, {"::ffff:11.0.0.1", false},   {"fd12:3456::1", true},
      {"fe80::1", false},           {"::1", true},                {"127.0.0.1", false},
      {"::a00:1", false},  // IPv4-compatible, not mapped: an IPv6 address
  };
  for (const auto& c : cases) {
    INFO(c.peer);
    CHECK(proxies->trusts(ip::make_address(std::string(c.peer))) == c.trusted);
  }
  CHECK(TrustedProxies{}.empty());
  CHECK_FALSE(TrustedProxies{}.trusts(ip::make_address("10.0.0.1")));
}

TEST_CASE("a bad trusted_proxies list names every bad entry", "[web][proxies]") {
  auto proxies = TrustedProxies::parse({"10.0.0.0/8", "proxy.local", "10.0.0.1/8", "::1"});
  REQUIRE_FALSE(proxies);
  CHECK(proxies.error().code == make_error_code(errc::invalid_input));
  const auto& d = proxies.error().detail;
  CHECK(d.starts_with("trusted_proxies: "));
  CHECK(d.find("'proxy.local': not an IP address") != std::string::npos);
  CHECK(d.find("'10.0.0.1/8': address bits set past the prefix length") != std::string::npos);
  CHECK(d.find("10.0.0.0/8'") == std::string::npos);
}
