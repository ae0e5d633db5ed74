#include "daemon/web/trusted_proxies.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace otklik::web {

namespace ip = boost::asio::ip;

namespace {

/// The address's bytes (4 or 16) with every bit past `prefix` cleared.
template <std::size_t N>
std::array<unsigned char, N> masked(std::array<unsigned char, N> bytes, int prefix) {
  for (std::size_t i = 0; i < N; ++i) {
    const int keep = std::clamp(prefix - static_cast<int>(i * 8), 0, 8);
    bytes[i] &= static_cast<unsigned char>(keep == 0 ? 0 : (0xFF << (8 - keep)) & 0xFF);
  }
  return bytes;
}

}  // namespace

ip::address unmapped(const ip::address& address) noexcept {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

bool AddressBlock::contains(const ip::address& address) const noexcept {
  const ip::address a = unmapped(address);
  if (a.is_v4() != network.is_v4()) return false;
  if (a.is_v4()) return masked(a.to_v4().to_bytes(), prefix) == network.to_v4().to_bytes();
  return masked(a.to_v6().to_bytes(), prefix) == network.to_v6().to_bytes();
}

Result<AddressBlock> parse_address_block(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return Failure(errc::invalid_input, "'" + std::string(text) + "': " + std::string(why));
  };
  const auto slash = text.find('/');
  boost::system::error_code ec;
  ip::address address = ip::make_address(std::string(text.substr(0, slash)), ec);
  if (ec) return bad("not an IP address");
  // A v4-mapped entry ("::ffff:10.0.0.0/104") is kept as IPv4, its prefix counted in IPv4 bits.
  const bool mapped = address.is_v6() && address.to_v6().is_v4_mapped();
  address = unmapped(address);
  const int max_prefix = address.is_v4() && !mapped ? 32 : 128;
  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    const auto [end, pec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (p.empty() || pec != std::errc{} || end != p.data() + p.size() || prefix < 0 || prefix > max_prefix) {
      return bad("prefix length must be 0.." + std::to_string(max_prefix));
    }
  }
  if (mapped) {
    if (prefix < 96) return bad("an IPv4-mapped block needs a prefix of at least 96");
    prefix -= 96;
  }
  AddressBlock block{address, prefix};
  const bool host_bits = address.is_v4() ? masked(address.to_v4().to_bytes(), prefix) != address.to_v4().to_bytes()
                                         : masked(address.to_v6().to_bytes(), prefix) != address.to_v6().to_bytes();
  if (host_bits) return bad("address bits set past the prefix length");
  return block;
}

Result<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& entries) {
  std::vector<AddressBlock> blocks;
  std::string problems;
  for (const auto& entry : entries) {
    auto block = parse_address_block(entry);
    if (block) {
      blocks.push_back(*block);
      continue;
    }
    if (!problems.empty()) problems += "; ";
    problems += block.error().detail;
  }
  if (!problems.empty()) return Failure(errc::invalid_input, "trusted_proxies: " + problems);
  return TrustedProxies(std::move(blocks));
}

bool TrustedProxies::trusts(const ip::address& peer) const noexcept {
  for (const auto& b : blocks_) {
    if (b.contains(peer)) return true;
  }
  return false;
}

}  // namespace otklik::web
