#pragma once
/// The reverse proxies whose user header ([web] proxy_user_header) is believed: IP addresses and
/// CIDR blocks from [web] trusted_proxies, IPv4 and IPv6. An IPv4-mapped IPv6 address
/// (::ffff:10.0.0.1, what a dual-stack socket reports) matches as the IPv4 address it holds.

#include "daemon/core/error.hpp"

#include <boost/asio/ip/address.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace otklik::web {

/// One address or block: "10.0.0.1" (= /32), "10.0.0.0/8", "::1", "fd00::/8".
struct AddressBlock {
  boost::asio::ip::address network;  ///< with the host bits cleared
  int prefix = 0;                    ///< 0..32 for IPv4, 0..128 for IPv6

  [[nodiscard]] bool contains(const boost::asio::ip::address& address) const noexcept;
  friend bool operator==(const AddressBlock&, const AddressBlock&) = default;
};

/// Parses one entry. Host bits set below the prefix ("10.0.0.1/8") are an error: such an entry
/// is most likely a typo, and trusting a wider block than meant is the risk.
Result<AddressBlock> parse_address_block(std::string_view text);

class TrustedProxies {
 public:
  TrustedProxies() = default;
  explicit TrustedProxies(std::vector<AddressBlock> blocks) : blocks_(std::move(blocks)) {}

  /// Parses every entry; fails with errc::invalid_input naming each bad entry and why.
  static Result<TrustedProxies> parse(const std::vector<std::string>& entries);

  /// Whether `peer` is in one of the blocks.
  [[nodiscard]] bool trusts(const boost::asio::ip::address& peer) const noexcept;
  [[nodiscard]] bool empty() const noexcept { return blocks_.empty(); }
  [[nodiscard]] const std::vector<AddressBlock>& blocks() const noexcept { return blocks_; }

 private:
  std::vector<AddressBlock> blocks_;
};

/// `address` with an IPv4-mapped IPv6 address turned into its IPv4 address.
boost::asio::ip::address unmapped(const boost::asio::ip::address& address) noexcept;

}  // namespace otklik::web
