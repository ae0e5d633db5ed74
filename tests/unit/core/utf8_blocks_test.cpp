// two_byte_leads8 and pass_blocks8 (utf8.hpp): the block test that copies runs of text at once.
#include "daemon/core/utf8.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

using otklik::pass_blocks8;
using otklik::two_byte_leads8;
using otklik::whole_pairs8;

namespace {

std::uint64_t block(std::string_view eight) {
  REQUIRE(eight.size() == 8);
  std::uint64_t x;
  std::memcpy(&x, eight.data(), 8);
  return x;
}

}  // namespace

TEST_CASE("two_byte_leads8 marks the leads of two-byte sequences, or fails the block", "[core][utf8]") {
  struct Case {
    std::string_view eight;
    std::uint64_t leads;  // UINT64_MAX: not ASCII and two-byte sequences alone
  };
  const Case cases[] = {
      {"abcdefgh", 0},
      {"\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2", 0x0080008000800080ULL},  // «прив»
      {"ab\xD0\xBF" "cd\xC2\xAB", 0x0080000000800000ULL},        // ASCII, п, ASCII, «
      {"abcdefg\xD0", 0x8000000000000000ULL},                    // a lead whose pair goes on
      {"\xBF" "bcdefgh", UINT64_MAX},                            // a continuation without its lead
      {"ab\xD0" "cdefg", UINT64_MAX},                            // a lead without its continuation
      {"ab\xE2\x80\x94" "fgh", UINT64_MAX},                      // a three-byte sequence (—)
      {"\xF0\x9F\x98\x80" "efgh", UINT64_MAX},                   // a four-byte sequence
  };
  for (const Case& c : cases) {
    INFO(std::string(c.eight));
    CHECK(two_byte_leads8(block(c.eight)) == c.leads);
  }
  CHECK(whole_pairs8(0) == 8);
  CHECK(whole_pairs8(0x0080008000800080ULL) == 8);
  CHECK(whole_pairs8(0x8000000000000000ULL) == 7);
}

TEST_CASE("pass_blocks8 passes whole blocks while the test passes them", "[core][utf8]") {
  const auto ascii = [](std::uint64_t x) -> std::size_t { return (x & 0x8080808080808080ULL) == 0 ? 8 : 0; };
  CHECK(pass_blocks8("abcdefghijklmnopqrs", 0, ascii) == 16);  // three bytes left: fewer than eight
  CHECK(pass_blocks8("abcdefgh\xD0\xBFijklmnop", 0, ascii) == 8);
  CHECK(pass_blocks8("abcdefgh", 3, ascii) == 3);
  CHECK(pass_blocks8("", 0, ascii) == 0);
}
