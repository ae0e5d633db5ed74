#pragma once
/// Snowball stemmers (libstemmer) for Russian and English behind one small RAII type.
/// An sb_stemmer is not thread-safe: each StemmerSet belongs to one thread at a time (the scorer
/// keeps a pool of them and lends one per call).

#include "daemon/sentiment/text.hpp"

#include <string>
#include <string_view>

struct sb_stemmer;

namespace otklik::sentiment {

class StemmerSet {
 public:
  StemmerSet();
  ~StemmerSet();
  StemmerSet(const StemmerSet&) = delete;
  StemmerSet& operator=(const StemmerSet&) = delete;

  /// Appends the stem of `word` (normalised, lower case) to `out`: Russian for Cyrillic words,
  /// English for Latin ones, the word itself otherwise. A few irregular forms go through an
  /// exceptions table first (недоволен / недовольна / недовольный share one key).
  void stem(std::string_view word, Script script, std::string& out);

  /// Convenience for lexicon building: the key of one word.
  std::string key(std::string_view word, Script script);

 private:
  sb_stemmer* ru_ = nullptr;
  sb_stemmer* en_ = nullptr;
};

/// Script of a normalised word (by its letters).
Script script_of(std::string_view word) noexcept;

}  // namespace otklik::sentiment
