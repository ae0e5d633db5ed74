#pragma once
// Generated texts for the tests that hold a fast path to what a plain one gives (JSON strings,
// claim texts, a clause's tokens): pieces picked by a fixed linear congruential generator, so
// that every run asks the same texts.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace otklik::test {

class GeneratedTexts {
 public:
  /// Texts of fewer than `max_pieces` of `pieces` (which must outlive this), drawn from `seed`.
  GeneratedTexts(std::span<const std::string> pieces, std::uint32_t seed, std::uint32_t max_pieces)
      : pieces_(pieces), state_(seed), max_pieces_(max_pieces) {}

  /// The next text.
  std::string next() {
    std::string text;
    const std::uint32_t n = draw() % max_pieces_;
    for (std::uint32_t k = 0; k < n; ++k) text += pieces_[draw() % pieces_.size()];
    return text;
  }

 private:
  std::uint32_t draw() {
    state_ = state_ * 1664525u + 1013904223u;
    return state_ >> 8;
  }

  std::span<const std::string> pieces_;
  std::uint32_t state_;
  std::uint32_t max_pieces_;
};

}  // namespace otklik::test
