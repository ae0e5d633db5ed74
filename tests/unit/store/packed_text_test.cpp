#include "daemon/store/packed_text.hpp"

#include "tests/support/catch_result.hpp"

#include <random>
#include <string>

using namespace otklik;

namespace {

std::string review_like(std::size_t size) {
  static const std::string words[] = {"ждали ", "кофе ", "сорок ", "минут ", "the ", "queue ", "was ", "long ", "и ",
                                      "никто ", "не ", "извинился. ", "Refund ", "never ", "arrived! "};
  std::mt19937 rng(static_cast<unsigned>(size));
  std::string s;
  while (s.size() < size) s += words[rng() % std::size(words)];
  s.resize(size);
  return s;
}

std::string noise(std::size_t size) {
  std::mt19937 rng(7);
  std::string s(size, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

}  // namespace

TEST_CASE("packed text: every size and kind of text comes back byte for byte", "[store][packed]") {
  struct Case {
    const char* what;
    std::string text;
  };
  const std::vector<Case> cases{
      {"one byte", "x"},
      {"short", review_like(100)},
      {"just over the window's smallest size", review_like(513)},
      {"a review", review_like(1400)},
      {"long review", review_like(6000)},
      {"over the largest window", review_like(70000)},
      {"a megabyte", review_like(1 << 20)},
      {"incompressible", noise(5000)},
      {"zero bytes inside", std::string("a\0b\0c", 5) + review_like(400)},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what, c.text.size());
    const std::string packed = store::pack(c.text);
    REQUIRE(packed.size() > 4);
    auto back = store::unpack(packed);
    REQUIRE(back);
    CHECK(*back == c.text);
  }
  CHECK(store::pack("").empty());
  CHECK(store::unpack("")->empty());
  // Review text shrinks to well under four fifths (the store keeps plain text otherwise).
  const std::string review = review_like(1400);
  CHECK(store::pack(review).size() * 5 <= review.size() * 4);
}

TEST_CASE("packed text: damaged blobs are errors, not crashes", "[store][packed]") {
  const std::string good = store::pack(review_like(2000));
  struct Case {
    const char* what;
    std::string blob;
  };
  std::string wrong_length = good;
  wrong_length[0] = static_cast<char>(wrong_length[0] + 1);
  std::string flipped = good;
  flipped[good.size() / 2] = static_cast<char>(flipped[good.size() / 2] ^ 0x5a);
  const std::vector<Case> cases{
      {"too short", good.substr(0, 4)},
      {"length zero", std::string(4, '\0') + good.substr(4)},
      {"length absurd", std::string("\xff\xff\xff\x7f", 4) + good.substr(4)},
      {"length that does not match", wrong_length},
      {"cut off", good.substr(0, good.size() - 10)},
      {"a flipped byte", flipped},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    CHECK_FALSE(store::unpack(c.blob));
  }
}

TEST_CASE("marked text (PostgreSQL's BYTEA form): a marker byte says plain or packed", "[store][packed]") {
  CHECK(store::to_marked("").empty());
  CHECK(store::from_marked("").value().empty());

  // Short texts, and long ones that do not shrink by a fifth, stay plain behind kPlainMarker.
  const std::string short_text = "The courier was late again";
  CHECK(store::to_marked(short_text) == std::string(1, store::kPlainMarker) + short_text);
  std::string noise;
  std::uint32_t x = 2463534242u;
  for (int i = 0; i < 1000; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    noise += static_cast<char>(' ' + x % 94);
  }
  CHECK(store::to_marked(noise).front() == store::kPlainMarker);
  // A long review shrinks: kPackedMarker, then pack()'s format.
  const std::string review = review_like(1400);
  const std::string marked = store::to_marked(review);
  CHECK(marked.front() == store::kPackedMarker);
  CHECK(marked.size() * 5 <= review.size() * 4);
  // min_size 0 (the detail JSON): packed whenever it saves a fifth.
  CHECK(store::to_marked(review_like(300), 0).front() == store::kPackedMarker);

  for (const std::string& text : {short_text, noise, review, std::string("\x01\x00 starts like a marker", 22)}) {
    auto back = store::from_marked(store::to_marked(text));
    REQUIRE(back);
    CHECK(*back == text);
  }
  CHECK_FALSE(store::from_marked("\x02whatever"));
  CHECK_FALSE(store::from_marked(std::string(1, store::kPackedMarker) + "not zlib"));
}
