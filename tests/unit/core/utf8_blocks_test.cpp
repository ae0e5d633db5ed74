// two_byte_leads8 and pass_blocks8 (utf8.hpp): the block test that copies runs of text at once.
#include "daemon/core/utf8.hpp"
#include "tests/support/random_pieces.hpp"

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

namespace {

/// What valid_utf8 must agree with: decode_utf8 replaces no byte.
bool decodes_whole(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    if (otklik::decode_utf8(s, i) == otklik::kReplacementChar && i - start == 1) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("valid_utf8 agrees with decode_utf8 on every kind of sequence", "[core][utf8]") {
  struct Case {
    std::string_view text;
    bool valid;
  };
  const Case cases[] = {
      {"", true},
      {"plain ASCII text, longer than eight bytes", true},
      {"Очередь на сорок минут, менеджер нахамил.", true},
      {"mixed: ab п cd « ef — gh 😀 ij", true},
      {"\xEF\xBF\xBD is a real U+FFFD", true},
      {"abcdefg\xD0\xBF", true},                 // a pair across the block's edge
      {"abcdefg\xD0", false},                    // cut at the very end
      {"\xC0\xAF overlong slash in a block", false},
      {"abcdefgh\xC1\xBF", false},               // overlong, past the first block
      {"\xC2\x80 the lowest two-byte form", true},
      {"\xE0\x80\xAF overlong three-byte", false},
      {"\xED\xA0\x80 a surrogate", false},
      {"\xF4\x90\x80\x80 over U+10FFFF", false},
      {"\xBF a stray continuation", false},
      {"abc\xD0" "defghijk a lead without its continuation", false},
      {"\xFF\xFE", false},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(otklik::valid_utf8(c.text) == c.valid);
    CHECK(decodes_whole(c.text) == c.valid);
  }
  // Random bytes, biased to the interesting ones, at every alignment and length up to 40.
  otklik::test::Lcg rng(0x9E3779B97F4A7C15ULL);
  const std::string_view bytes[] = {"a", " ", "\x7F", "\x80", "\xBF", "\xC0", "\xC1", "\xC2", "\xD0", "\xD1", "\xDF",
                                    "\xE0", "\xED", "\xEF", "\xF0", "\xF4", "\xF5", "\xFF", "\x9F", "\xA0", "\xB8"};
  for (int n = 0; n < 20000; ++n) {
    const std::string s = otklik::test::random_pieces(rng, bytes, 41);
    INFO(n);
    REQUIRE(otklik::valid_utf8(s) == decodes_whole(s));
  }
  // Valid text of every width at every alignment, then the same with one byte changed.
  const std::string_view pieces[] = {"a", "п", "я", "«", "\xC2\x80", "—", "\xEF\xBF\xBD", "😀", " "};
  int valid = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string s = otklik::test::random_pieces(rng, pieces, 24);
    if (!s.empty() && n % 2 == 1) s[rng.below(s.size())] = bytes[rng.below(std::size(bytes))][0];
    INFO(n);
    const bool whole = decodes_whole(s);
    valid += whole ? 1 : 0;
    REQUIRE(otklik::valid_utf8(s) == whole);
  }
  CHECK(valid > 10000);  // both answers were asked for many times
}
