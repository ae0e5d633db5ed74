#pragma once
// Deterministic random texts for tests that compare a fast form with a reference on many inputs:
// a fixed-seed generator (the same inputs on every run) and texts glued from given pieces.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace otklik::test {

/// A 64-bit linear congruential generator with a fixed seed: the same numbers on every run.
class Lcg {
 public:
  explicit Lcg(std::uint64_t seed) : state_(seed) {}
  /// The next number; its high bits are the random ones.
  std::uint64_t next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return state_ >> 24;
  }
  /// A number below `n`.
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_;
};

/// Up to `max_pieces - 1` of `pieces`, picked at random and glued together.
inline std::string random_pieces(Lcg& rng, std::span<const std::string_view> pieces, std::size_t max_pieces) {
  std::string s;
  const std::size_t n = rng.below(max_pieces);
  for (std::size_t k = 0; k < n; ++k) s += pieces[rng.below(pieces.size())];
  return s;
}

}  // namespace otklik::test
