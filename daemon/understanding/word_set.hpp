#pragma once
/// Membership in a fixed list of words, for the word lists of the clause splitter and the verb
/// shapes: they are asked of every word of every negative text, and a linear scan of lists of up
/// to 150 words was a tenth of `otklik score`.

#include "daemon/sentiment/lexicon.hpp"

#include <boost/unordered/unordered_flat_set.hpp>

#include <array>
#include <cstdint>
#include <string_view>

namespace otklik::understanding {

/// A 512-bit filter over the length, the first two bytes and the last byte of some words: a word
/// it turns away is none of them, without hashing the word or comparing it with any. Most words
/// asked of a list are not in it (the clause splitter asks of every word whether it is "and" or
/// "which"), and a hash lookup for each of them was most of the cost of `listed`.
class WordFilter {
 public:
  constexpr void add(std::string_view w) noexcept {
    const unsigned b = bucket(w);
    bits_[b >> 6] |= std::uint64_t{1} << (b & 63);
  }
  /// False when `w` is none of the words added; true when it may be one.
  [[nodiscard]] constexpr bool may_hold(std::string_view w) const noexcept {
    const unsigned b = bucket(w);
    return ((bits_[b >> 6] >> (b & 63)) & 1) != 0;
  }

 private:
  static constexpr unsigned bucket(std::string_view w) noexcept {
    if (w.empty()) return 0;
    // The second byte too: a Cyrillic word's first byte is D0 or D1 alone.
    const auto byte = [w](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(w[i])); };
    const unsigned second = w.size() > 1 ? byte(1) : 0u;
    return (static_cast<unsigned>(w.size()) * 131u + byte(0) * 31u + second * 7u + byte(w.size() - 1)) & 511u;
  }
  std::array<std::uint64_t, 8> bits_{};
};

/// The filter of the words of `list` (a constant array of std::string_view).
template <class List>
constexpr WordFilter word_filter(const List& list) {
  WordFilter f;
  for (const std::string_view w : list) f.add(w);
  return f;
}

/// Whether `w` is one of the words of `List` (a constant array of std::string_view). The set is
/// built on first use and never changes; the filter, built at compile time, answers first.
template <const auto& List>
bool listed(std::string_view w) {
  static constexpr WordFilter kFilter = word_filter(List);
  if (!kFilter.may_hold(w)) return false;
  static const boost::unordered_flat_set<std::string_view, sentiment::FastStringHash, sentiment::StringEq> words(
      List.begin(), List.end());
  return words.contains(w);
}

}  // namespace otklik::understanding
