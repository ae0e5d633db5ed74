#pragma once
/// Membership in a fixed list of words, for the word lists of the clause splitter and the verb
/// shapes: they are asked of every word of every negative text, and a linear scan of lists of up
/// to 150 words was a tenth of `otklik score`.

#include "daemon/sentiment/lexicon.hpp"

#include <boost/unordered/unordered_flat_set.hpp>

#include <string_view>

namespace otklik::understanding {

/// Whether `w` is one of the words of `List` (a constant array of std::string_view). The set is
/// built on first use and never changes.
template <const auto& List>
bool listed(std::string_view w) {
  static const boost::unordered_flat_set<std::string_view, sentiment::FastStringHash, sentiment::StringEq> words(
      List.begin(), List.end());
  return words.contains(w);
}

}  // namespace otklik::understanding
