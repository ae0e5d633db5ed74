// The address filter as pure functions: every internal range, IPv4 and IPv6, the IPv6 forms that
// carry an IPv4 address, and which configured hosts may reach internal addresses.
#include "daemon/net/address_policy.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace otklik;

namespace {

AddressClass classify(const std::string& text) { return classify_address(boost::asio::ip::make_address(text)); }

}  // namespace

TEST_CASE("classify_address: IPv4 ranges", "[net][address_policy]") {
  struct Case {
    const char* address;
    AddressClass expected;
  };
  const std::vector<Case> cases{
      {"0.0.0.0", AddressClass::unspecified},
      {"0.1.2.3", AddressClass::unspecified},
      {"10.0.0.1", AddressClass::private_use},
      {"10.255.255.1", AddressClass::private_use},
      {"100.63.255.255", AddressClass::global},
      {"100.64.0.1", AddressClass::shared},
      {"100.127.255.254", AddressClass::shared},
      {"100.128.0.0", AddressClass::global},
      {"127.0.0.1", AddressClass::loopback},
      {"127.255.255.254", AddressClass::loopback},
      {"169.254.169.254", AddressClass::link_local},  // cloud metadata
      {"169.253.255.255", AddressClass::global},
      {"172.15.255.255", AddressClass::global},
      {"172.16.0.1", AddressClass::private_use},
      {"172.31.255.255", AddressClass::private_use},
      {"172.32.0.0", AddressClass::global},
      {"192.0.0.170", AddressClass::reserved},
      {"192.168.1.1", AddressClass::private_use},
      {"192.169.0.1", AddressClass::global},
      {"198.18.0.1", AddressClass::reserved},
      {"198.19.255.255", AddressClass::reserved},
      {"224.0.0.1", AddressClass::multicast},
      {"239.255.255.250", AddressClass::multicast},
      {"240.0.0.1", AddressClass::reserved},
      {"255.255.255.255", AddressClass::reserved},
      {"8.8.8.8", AddressClass::global},
      {"1.1.1.1", AddressClass::global},
      {"93.184.216.34", AddressClass::global},
      // Documentation ranges are fine (RFC 5737).
      {"192.0.2.10", AddressClass::global},
      {"198.51.100.7", AddressClass::global},
      {"203.0.113.200", AddressClass::global},
  };
  for (const auto& c : cases) {
    INFO(c.address);
    CHECK(classify(c.address) == c.expected);
    CHECK(internal(classify(c.address)) == (c.expected != AddressClass::global));
  }
}

TEST_CASE("classify_address: IPv6 ranges and the forms that carry IPv4", "[net][address_policy]") {
  struct Case {
    const char* address;
    AddressClass expected;
  };
  const std::vector<Case> cases{
      {"::", AddressClass::unspecified},
      {"::1", AddressClass::loopback},
      {"fc00::1", AddressClass::unique_local},
      {"fd12:3456:789a::1", AddressClass::unique_local},
      {"fe80::1", AddressClass::link_local},
      {"febf:ffff::1", AddressClass::link_local},
      {"fec0::1", AddressClass::site_local},
      {"ff02::1", AddressClass::multicast},
      {"ff05::1:3", AddressClass::multicast},
      {"100::1", AddressClass::reserved},
      {"2a00:1450:4001:80b::200e", AddressClass::global},
      {"2001:db8::1", AddressClass::global},  // documentation (RFC 3849)
      // v4-mapped
      {"::ffff:127.0.0.1", AddressClass::loopback},
      {"::ffff:10.1.2.3", AddressClass::private_use},
      {"::ffff:169.254.169.254", AddressClass::link_local},
      {"::ffff:100.64.0.1", AddressClass::shared},
      {"::ffff:0.0.0.0", AddressClass::unspecified},
      {"::ffff:8.8.8.8", AddressClass::global},
      // v4-compatible (deprecated)
      {"::127.0.0.1", AddressClass::loopback},
      {"::192.168.0.1", AddressClass::private_use},
      {"::8.8.4.4", AddressClass::global},
      // v4-translated (SIIT)
      {"::ffff:0:127.0.0.1", AddressClass::loopback},
      {"::ffff:0:8.8.8.8", AddressClass::global},
      // NAT64 well-known prefix, and the local-use one
      {"64:ff9b::7f00:1", AddressClass::loopback},
      {"64:ff9b::a9fe:a9fe", AddressClass::link_local},
      {"64:ff9b::808:808", AddressClass::global},
      {"64:ff9b:1::1", AddressClass::private_use},
      // 6to4
      {"2002:7f00:1::1", AddressClass::loopback},
      {"2002:c0a8:101::1", AddressClass::private_use},
      {"2002:808:808::1", AddressClass::global},
      // Teredo: the client's address is the last 32 bits inverted (~127.0.0.1 = 80ff:fffe)
      {"2001:0:4136:e378:8000:63bf:80ff:fffe", AddressClass::loopback},
      {"2001:0:4136:e378:8000:63bf:f7f7:f7f7", AddressClass::global},  // ~8.8.8.8
  };
  for (const auto& c : cases) {
    INFO(c.address);
    CHECK(classify(c.address) == c.expected);
  }
}

TEST_CASE("describe names each class for messages", "[net][address_policy]") {
  CHECK(describe(AddressClass::loopback) == "a loopback address");
  CHECK(describe(AddressClass::private_use) == "a private address");
  CHECK(describe(AddressClass::link_local) == "a link-local address");
  CHECK(describe(AddressClass::shared) == "a carrier-grade NAT address");
  CHECK(describe(AddressClass::unique_local) == "a unique-local address");
}

TEST_CASE("configured hosts that may reach internal addresses", "[net][address_policy]") {
  const std::vector<std::string> allow{"intranet.example", "10.9.9.9", "fd00::5"};
  struct Case {
    const char* host;
    bool expected;
  };
  const std::vector<Case> cases{
      {"127.0.0.1", true},       // a literal internal address names itself
      {"10.1.2.3", true},
      {"::1", true},
      {"fe80::1", true},
      {"localhost", true},
      {"api.localhost", true},
      {"intranet.example", true},  // listed
      {"8.8.8.8", false},
      {"example.org", false},
      {"intranet.example.org", false},
      {"localhost.example.org", false},
  };
  for (const auto& c : cases) {
    INFO(c.host);
    CHECK(configured_host_may_be_internal(c.host, allow) == c.expected);
  }
  CHECK(internal_host_allowed("http://127.0.0.1:8080/feed", {}) == std::optional<std::string>("127.0.0.1"));
  CHECK(internal_host_allowed("https://Intranet.Example/hook", allow) == std::optional<std::string>("intranet.example"));
  CHECK(internal_host_allowed("http://[::1]:9/x", {}) == std::optional<std::string>("::1"));
  CHECK_FALSE(internal_host_allowed("https://reviews.example.org/", allow));
  CHECK_FALSE(internal_host_allowed("not a url", allow));
}

TEST_CASE("literal_refusal judges a target without resolving it", "[net][address_policy]") {
  CHECK(literal_refusal("127.0.0.1") == std::optional<std::string>("127.0.0.1 is a loopback address"));
  CHECK(literal_refusal("10.255.255.1") == std::optional<std::string>("10.255.255.1 is a private address"));
  CHECK(literal_refusal("169.254.169.254") == std::optional<std::string>("169.254.169.254 is a link-local address"));
  CHECK(literal_refusal("::ffff:127.0.0.1") == std::optional<std::string>("::ffff:127.0.0.1 is a loopback address"));
  CHECK(literal_refusal("localhost") == std::optional<std::string>("localhost is a loopback name"));
  CHECK_FALSE(literal_refusal("example.org"));
  CHECK_FALSE(literal_refusal("93.184.216.34"));
}
