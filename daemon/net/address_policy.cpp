#include "daemon/net/address_policy.hpp"

#include "daemon/net/url_target.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace otklik {

namespace asio = boost::asio;

namespace {

/// An IPv4 range: address and prefix length, as a 32-bit number.
struct Range4 {
  std::uint32_t base;
  int bits;
  AddressClass cls;
};

constexpr std::uint32_t ip4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

// The first match wins; what matches none is global (documentation ranges included).
constexpr std::array<Range4, 12> kRanges4{{
    {ip4(0, 0, 0, 0), 8, AddressClass::unspecified},       // "this network" (RFC 1122)
    {ip4(10, 0, 0, 0), 8, AddressClass::private_use},      // RFC 1918
    {ip4(100, 64, 0, 0), 10, AddressClass::shared},        // CGNAT (RFC 6598)
    {ip4(127, 0, 0, 0), 8, AddressClass::loopback},
    {ip4(169, 254, 0, 0), 16, AddressClass::link_local},   // cloud metadata lives here
    {ip4(172, 16, 0, 0), 12, AddressClass::private_use},
    {ip4(192, 0, 0, 0), 24, AddressClass::reserved},       // IETF protocol assignments
    {ip4(192, 168, 0, 0), 16, AddressClass::private_use},
    {ip4(198, 18, 0, 0), 15, AddressClass::reserved},      // benchmarking (RFC 2544)
    {ip4(224, 0, 0, 0), 4, AddressClass::multicast},
    {ip4(255, 255, 255, 255), 32, AddressClass::reserved}, // limited broadcast
    {ip4(240, 0, 0, 0), 4, AddressClass::reserved},        // future use
}};

AddressClass classify_v4(std::uint32_t a) noexcept {
  for (const auto& r : kRanges4) {
    const std::uint32_t mask = r.bits == 0 ? 0 : ~std::uint32_t{0} << (32 - r.bits);
    if ((a & mask) == r.base) return r.cls;
  }
  return AddressClass::global;
}

std::uint32_t v4_at(const asio::ip::address_v6::bytes_type& b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) | b[at + 3];
}

bool zero(const asio::ip::address_v6::bytes_type& b, std::size_t from, std::size_t to) {
  return std::all_of(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(to),
                     [](unsigned char c) { return c == 0; });
}

AddressClass classify_v6(const asio::ip::address_v6& address) noexcept {
  const auto b = address.to_bytes();
  if (zero(b, 0, 16)) return AddressClass::unspecified;
  if (zero(b, 0, 15) && b[15] == 1) return AddressClass::loopback;
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated).
  if (zero(b, 0, 10) && ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0))) return classify_v4(v4_at(b, 12));
  // ::ffff:0:a.b.c.d (SIIT "IPv4-translated", RFC 2765).
  if (zero(b, 0, 8) && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0) return classify_v4(v4_at(b, 12));
  // 64:ff9b::/96, the well-known NAT64 prefix (RFC 6052): the v4 address in the last 32 bits.
  if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && zero(b, 4, 12)) return classify_v4(v4_at(b, 12));
  // 64:ff9b:1::/48, local-use NAT64 (RFC 8215): translated into the local network.
  if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0 && b[5] == 1) return AddressClass::private_use;
  // 100::/64, discard-only (RFC 6666).
  if (b[0] == 0x01 && b[1] == 0 && zero(b, 2, 8)) return AddressClass::reserved;
  // 2002::/16, 6to4: the v4 address in bits 16–47.
  if (b[0] == 0x20 && b[1] == 0x02) return classify_v4(v4_at(b, 2));
  // 2001::/32, Teredo: the client's v4 address, inverted, in the last 32 bits.
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) return classify_v4(~v4_at(b, 12));
  if ((b[0] & 0xfe) == 0xfc) return AddressClass::unique_local;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressClass::link_local;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return AddressClass::site_local;
  if (b[0] == 0xff) return AddressClass::multicast;
  return AddressClass::global;
}

}  // namespace

AddressClass classify_address(const asio::ip::address& address) noexcept {
  if (address.is_v4()) return classify_v4(address.to_v4().to_uint());
  return classify_v6(address.to_v6());
}

std::string_view describe(AddressClass c) noexcept {
  switch (c) {
    case AddressClass::global: return "a public address";
    case AddressClass::unspecified: return "an unspecified address";
    case AddressClass::loopback: return "a loopback address";
    case AddressClass::private_use: return "a private address";
    case AddressClass::shared: return "a carrier-grade NAT address";
    case AddressClass::link_local: return "a link-local address";
    case AddressClass::unique_local: return "a unique-local address";
    case AddressClass::site_local: return "a site-local address";
    case AddressClass::multicast: return "a multicast address";
    case AddressClass::reserved: return "a reserved address";
  }
  return "an internal address";
}

namespace {

bool localhost_name(std::string_view host) {
  return host == "localhost" || host.ends_with(".localhost") || host == "localhost." || host.ends_with(".localhost.");
}

std::optional<asio::ip::address> ip_literal(std::string_view host) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(std::string(host), ec);
  if (ec) return std::nullopt;
  return address;
}

}  // namespace

bool configured_host_may_be_internal(std::string_view host, const std::vector<std::string>& allow_private) {
  if (localhost_name(host)) return true;
  if (auto address = ip_literal(host); address && internal(classify_address(*address))) return true;
  return std::find(allow_private.begin(), allow_private.end(), host) != allow_private.end();
}

std::optional<std::string> internal_host_allowed(std::string_view configured_url,
                                                 const std::vector<std::string>& allow_private) {
  auto target = parse_http_url(configured_url);
  if (!target || !configured_host_may_be_internal(target->host, allow_private)) return std::nullopt;
  return target->host;
}

std::optional<std::string> literal_refusal(std::string_view host) {
  if (localhost_name(host)) return std::string(host) + " is a loopback name";
  auto address = ip_literal(host);
  if (!address) return std::nullopt;
  const auto cls = classify_address(*address);
  if (!internal(cls)) return std::nullopt;
  return std::string(host) + " is " + std::string(describe(cls));
}

}  // namespace otklik
