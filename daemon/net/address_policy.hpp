#pragma once
/// The address filter of the HTTP client (a guard against server-side request forgery): which IP
/// addresses a request may connect to. Pure functions, tested with tables of addresses.
///
/// The rule: loopback, private (RFC 1918), shared (CGNAT), link-local (cloud metadata at
/// 169.254.169.254), unspecified, multicast, reserved, and the IPv6 unique-local, link-local and
/// site-local ranges are internal. A request may connect to an internal address only when the
/// URL it came from is in the config and names that host itself — a literal internal address,
/// `localhost`, or a host listed in `[http] allow_private` — and it stays on that host; a
/// redirect (or a link read from a page) to another host is checked like any other, so a public
/// site can never lead the daemon to 127.0.0.1 or 10.0.0.0/8. Documentation ranges (192.0.2.0/24,
/// 2001:db8::/32 …) count as public.

#include <boost/asio/ip/address.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

enum class AddressClass {
  global,        ///< anything else: reachable on the internet
  unspecified,   ///< 0.0.0.0/8, ::
  loopback,      ///< 127.0.0.0/8, ::1
  private_use,   ///< 10/8, 172.16/12, 192.168/16 (RFC 1918), 64:ff9b:1::/48 (local-use NAT64)
  shared,        ///< 100.64.0.0/10 (carrier-grade NAT, RFC 6598)
  link_local,    ///< 169.254/16 (cloud metadata), fe80::/10
  unique_local,  ///< fc00::/7
  site_local,    ///< fec0::/10 (deprecated, still routed inside some networks)
  multicast,     ///< 224/4, ff00::/8
  reserved,      ///< 192.0.0.0/24, 198.18.0.0/15, 240/4 and broadcast, 100::/64
};

/// The class of `address`. IPv6 forms that embed an IPv4 address (v4-mapped ::ffff:a.b.c.d,
/// v4-compatible ::a.b.c.d, v4-translated ::ffff:0:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16,
/// Teredo 2001::/32's client) take the class of the IPv4 address they carry.
AddressClass classify_address(const boost::asio::ip::address& address) noexcept;

/// "a loopback address", "a private address"…: the end of "127.0.0.1 is a loopback address".
std::string_view describe(AddressClass c) noexcept;

/// True for every class but `global`.
[[nodiscard]] inline bool internal(AddressClass c) noexcept { return c != AddressClass::global; }

/// Whether a URL from the config with this host may reach an internal address: the host is an
/// internal IP literal, `localhost` (or a name under `.localhost`), or listed in `allow_private`
/// (lower case, IPv6 without brackets). `host` as in UrlTarget::host.
bool configured_host_may_be_internal(std::string_view host, const std::vector<std::string>& allow_private);

/// The host whose internal addresses a request may reach, for a request to `url` that comes from
/// the configured URL `configured_url` (the same when `url` itself is from the config): that
/// URL's host when configured_host_may_be_internal(), else none. Unparsable URLs give none.
std::optional<std::string> internal_host_allowed(std::string_view configured_url,
                                                 const std::vector<std::string>& allow_private);

/// Why a connection to `host` must not be made when no internal address is allowed for it,
/// without resolving it: an internal IP literal ("127.0.0.1 is a loopback address") or a
/// `localhost` name ("localhost is a loopback name"). nullopt otherwise. Used where the target's
/// name is resolved elsewhere (by a proxy).
std::optional<std::string> literal_refusal(std::string_view host);

}  // namespace otklik
