#include "daemon/net/content_decoding.hpp"

#include "tests/support/catch_result.hpp"
#include "tests/unit/net/net_test_support.hpp"

using namespace otklik;
using namespace otklik::test;

namespace {
const std::string kText = "Отзыв: доставка опоздала на два дня. Review: the parcel was late. " + std::string(3000, 'x');
}

TEST_CASE("decode_content removes gzip and both deflate flavours", "[net][decoding]") {
  struct Case {
    std::string encoding;
    std::string body;
  };
  const Case cases[] = {
      {"gzip", gzip(kText)},
      {"x-gzip", gzip(kText)},
      {"GZIP", gzip(kText)},
      {"deflate", zlib_deflate(kText)},
      {"deflate", raw_deflate(kText)},
      {"identity", kText},
      {"", kText},
      {"gzip, identity", gzip(kText)},
      {"deflate, gzip", gzip(zlib_deflate(kText))},  // applied in order, decoded in reverse
      {"gzip", gzip(kText.substr(0, 100)) + gzip(kText.substr(100))},  // two gzip members
  };
  for (const auto& c : cases) {
    INFO("encoding '" << c.encoding << "'");
    auto decoded = decode_content(c.encoding, c.body, 1 << 20);
    REQUIRE(decoded);
    CHECK(*decoded == kText);
  }
}

TEST_CASE("decode_content caps the decoded size", "[net][decoding]") {
  const std::string bomb = gzip(std::string(10 << 20, '\0'));  // 10 MiB of zeros in ~10 KiB
  CHECK(bomb.size() < 64 * 1024);
  auto decoded = decode_content("gzip", bomb, 1 << 20);
  REQUIRE_FALSE(decoded);
  CHECK(decoded.error().code == make_error_code(errc::too_large));
  auto exact = decode_content("gzip", gzip(std::string(1000, 'a')), 1000);
  REQUIRE(exact);
  CHECK(exact->size() == 1000);
  auto one_over = decode_content("deflate", raw_deflate(std::string(1001, 'a')), 1000);
  REQUIRE_FALSE(one_over);
  CHECK(one_over.error().code == make_error_code(errc::too_large));
}

TEST_CASE("decode_content rejects corrupt, truncated and unknown encodings", "[net][decoding]") {
  const auto good = gzip(kText);
  struct Case {
    std::string encoding;
    std::string body;
  };
  const Case cases[] = {
      {"gzip", "this is not gzip at all"},
      {"gzip", good.substr(0, good.size() / 2)},  // truncated
      {"deflate", "\xff\xff\xff\xff garbage"},
      {"br", good},
      {"gzip, compress", good},
  };
  for (const auto& c : cases) {
    INFO("encoding '" << c.encoding << "'");
    auto decoded = decode_content(c.encoding, c.body, 1 << 20);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == make_error_code(errc::decode_failed));
  }
  CHECK(decode_content("gzip", "", 10).value().empty());  // e.g. a HEAD response
}
