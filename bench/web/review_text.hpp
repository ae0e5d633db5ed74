#pragma once
// Review texts for the web inbox benchmark's history (seed_inbox): Russian and English reviews
// put together from phrase lists — complaints by topic, praise, neutral remarks — with the details
// that make real posting lists uneven: streets drawn with Zipf weights (a few in many reviews, the
// tail in few), staff names, products, order numbers (a word of its own in each review that has
// one). Deterministic for a given generator state.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace otklik::bench {

enum class ReviewKind { negative, neutral, positive };

struct ReviewText {
  bool russian = true;
  std::string title;
  std::string text;
  std::vector<std::string> topics;   ///< topic ids of the complaint (negative only), taxonomy order
  double rating = 3;                 ///< stars, 1..5
};

/// One review of `kind`; `russian_percent` of them in Russian.
ReviewText make_review(std::mt19937_64& rng, ReviewKind kind, int russian_percent = 60);

/// The words the benchmark searches for (present in the generated texts): a common word, a rare
/// one (a street from the Zipf tail) and two words found together in some complaints.
struct SearchWords {
  std::string common;
  std::string rare;
  std::string pair;
};
SearchWords search_words();

}  // namespace otklik::bench
