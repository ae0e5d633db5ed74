#pragma once
/// What the rule files share (not a public API): word-list tests and token walks used by rules.cpp
/// (sentence rules), complaint_patterns.cpp (sentence-wide complaint patterns) and irony.cpp (rules
/// across sentences).

#include "daemon/sentiment/engine.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace otklik::sentiment::rules {

/// Lexicon tags of entries that steer other terms rather than carry sentiment.
inline constexpr std::uint32_t kSentimentRoles = kTagNegator | kTagBooster | kTagContrast | kTagConcessive;

inline double sign(double v) { return v < 0 ? -1.0 : 1.0; }

/// The number the digits at the start of `s` spell ("21" of "21-й"), at most 1000; 0 without digits.
inline int leading_number(std::string_view s) {
  int n = 0;
  for (const char ch : s) {
    if (ch < '0' || ch > '9') break;
    n = std::min(n * 10 + (ch - '0'), 1000);
  }
  return n;
}

inline bool one_of(std::string_view w, std::initializer_list<std::string_view> words) {
  // fast_equal, not ==: the rules ask this of most words of every sentence, and a call of memcmp
  // for each listed word of the same length was a tenth of the scoring.
  for (const std::string_view x : words)
    if (fast_equal(w, x)) return true;
  return false;
}

/// A fixed list of words asked of every word of a sentence. A 128-bit filter over each word's
/// length and first and last bytes turns most words of a text away with one bit test, before the
/// compare with each listed word that `one_of` does (the sentence-wide patterns ask several lists
/// of up to 20 words of every word; that was a tenth of the scoring). Membership is exactly
/// `one_of`'s: the filter only skips words that no listed word can equal.
template <std::size_t N>
class WordList {
 public:
  consteval explicit WordList(const std::array<std::string_view, N>& words) : words_(words) {
    for (const std::string_view w : words_) {
      const unsigned b = bucket(w);
      filter_[b >> 6] |= std::uint64_t{1} << (b & 63);
    }
  }
  [[nodiscard]] constexpr const std::array<std::string_view, N>& words() const noexcept { return words_; }
  [[nodiscard]] bool contains(std::string_view w) const noexcept {
    const unsigned b = bucket(w);
    if (((filter_[b >> 6] >> (b & 63)) & 1) == 0) return false;
    for (const std::string_view x : words_)
      if (fast_equal(w, x)) return true;
    return false;
  }

 private:
  static constexpr unsigned bucket(std::string_view w) noexcept {
    if (w.empty()) return 0;
    return (static_cast<unsigned>(w.size()) * 37u + static_cast<unsigned char>(w.front()) * 5u +
            static_cast<unsigned char>(w.back())) & 127u;
  }
  std::array<std::string_view, N> words_;
  std::array<std::uint64_t, 2> filter_{};
};

/// A WordList of the given words: `static constexpr auto kList = word_list("a", "b");`.
template <class... S>
consteval auto word_list(const S&... words) {
  return WordList<sizeof...(S)>(std::array<std::string_view, sizeof...(S)>{std::string_view(words)...});
}

template <std::size_t N>
bool one_of(std::string_view w, const WordList<N>& words) {
  return words.contains(w);
}

/// True when `w` starts with one of `prefixes` (a Russian stem family: "перенос" for переносит, переносили).
inline bool starts_with_any(std::string_view w, std::initializer_list<std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(), [w](std::string_view p) { return w.starts_with(p); });
}

inline bool ends_with(std::string_view w, std::string_view suffix) {
  return w.size() > suffix.size() && w.substr(w.size() - suffix.size()) == suffix;
}

/// Index of the next content token after `i` in [i+1, end), or `end`.
inline std::uint32_t next_content(const std::vector<Token>& toks, std::uint32_t i, std::uint32_t end) {
  for (std::uint32_t k = i + 1; k < end; ++k) {
    const TokenKind kind = toks[k].kind;
    if (kind == TokenKind::word) return k;
    if (kind != TokenKind::quote) return end;
  }
  return end;
}

/// The previous word token before `t` in the same clause, or UINT32_MAX.
inline std::uint32_t previous_word(const Workspace& ws, std::uint32_t t, std::uint32_t begin) {
  const auto& toks = ws.buf.tokens;
  for (std::uint32_t k = t; k > begin;) {
    --k;
    if (toks[k].kind == TokenKind::quote) continue;
    return toks[k].kind == TokenKind::word ? k : UINT32_MAX;
  }
  return UINT32_MAX;
}

/// A negator ending a word: "not", "never", "don't", "isnt".
inline bool ends_with_negation(std::string_view w) {
  static constexpr auto kNegators = word_list("not", "never", "no", "dont", "didnt", "doesnt", "isnt", "wasnt", "werent",
                                              "arent", "cant", "cannot", "wont", "wouldnt", "couldnt");
  return one_of(w, kNegators) ||
         ends_with(w, "n't");
}

// Complaint patterns of a whole sentence (complaint_patterns.cpp).

/// "took 30 minutes", "waited an hour", "45 minutes late": an English sentence about a long wait.
bool long_wait(const Workspace& ws, std::uint32_t begin, std::uint32_t end);
/// The time unit at token `unit` ends a quick duration ("called back within minutes", "delivered in
/// 10 minutes", "only 5 minutes"): a time word that weighs as a wait elsewhere says nothing bad here.
bool quick_duration(const Workspace& ws, std::uint32_t unit, std::uint32_t begin);
/// "found a hair in my salad": something foreign in the food.
bool foreign_object(const Workspace& ws, std::uint32_t begin, std::uint32_t end);
/// A score written in the text ("3 out of 10", "2/5") starting at number token `k`: its fraction
/// (0…1), or -1.
double written_rating(const Workspace& ws, std::uint32_t k, std::uint32_t end);
/// A problem dragging on for days («уже второй месяц», "hasn't updated in 9 days"); raws of the
/// sentence start at `raw_begin` (none may be praise).
bool dragging_on(const Workspace& ws, std::uint32_t begin, std::uint32_t end, std::size_t raw_begin);
/// The same attempt again and again ("six emails, four calls", «переносит приём три раза»).
bool repeated_attempts(const Workspace& ws, std::uint32_t begin, std::uint32_t end, std::size_t raw_begin);

/// A normalised Cyrillic word that is laughter typed at any length — «ахахах», «хахаха», «ахаххаха»,
/// «пхахах» — which no lexicon can list form by form (rules_ru_social.cpp).
bool russian_laughter(std::string_view norm);

// What customers write to a company, English (rules_en_service.cpp).

/// "still haven't received", "still can't log in": a failure that goes on; raws of the sentence
/// start at `raw_begin` (none may be praise).
bool still_not(const Workspace& ws, std::uint32_t begin, std::uint32_t end, std::size_t raw_begin);
/// "should be more helpful", "could be a little more accommodating", "needs to be easier": praise
/// of what a service should be and is not (the term at token `term`).
bool wanted_quality(const Workspace& ws, std::uint32_t term, std::uint32_t begin);
/// "How can you not take calls?", "Does anyone there have a clue?", "Does anyone even care?": a
/// question that only looks like a request for information (words from token `from` on).
bool rhetorical_question(const Workspace& ws, std::uint32_t from, std::uint32_t end);

}  // namespace otklik::sentiment::rules
