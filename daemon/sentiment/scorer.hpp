#pragma once
/// The Scorer interface: a pure function of text (+ optional star rating) to a label, a score and
/// the reasons. No I/O, no logging, deterministic; safe to call from several threads at once.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

namespace sentiment {
struct TokenBuffer;
}

enum class Label { negative, neutral, positive };
enum class Lang { automatic, ru, en, other };

std::string_view to_string(Label l) noexcept;
std::string_view to_string(Lang l) noexcept;
std::optional<Label> parse_label(std::string_view s) noexcept;
std::optional<Lang> parse_lang(std::string_view s) noexcept;  ///< "auto", "ru", "en", "other"

/// One term (word, phrase, emoji, rule) that moved the score; `weight` is its signed contribution.
struct Contribution {
  std::string term;
  double weight = 0;
  friend bool operator==(const Contribution&, const Contribution&) = default;
};

/// A sentence of the input as byte offsets [begin, end) into the scored text, with its own score.
struct SentenceScore {
  std::size_t begin = 0;
  std::size_t end = 0;
  double score = 0;  ///< in [-1, 1]
  Label label = Label::neutral;
  friend bool operator==(const SentenceScore&, const SentenceScore&) = default;
};

struct Sentiment {
  Label label = Label::neutral;
  double score = 0;        ///< in [-1, 1]; negative below zero
  double confidence = 0;   ///< in [0, 1]
  Lang lang = Lang::other;
  std::vector<SentenceScore> sentences;
  std::vector<Contribution> why;  ///< strongest first
  friend bool operator==(const Sentiment&, const Sentiment&) = default;
};

class Scorer {
 public:
  virtual ~Scorer() = default;
  /// Scores `text`. `rating` (0..5 stars) is fused when present: 1–2 stars make the item
  /// negative unless the text is clearly positive. `lang` = automatic detects ru/en.
  [[nodiscard]] virtual Sentiment score(std::string_view text, std::optional<double> rating = std::nullopt,
                                        Lang lang = Lang::automatic) const = 0;
  /// Scores `text` whose tokens the caller holds already (`tokens` must be
  /// `sentiment::tokenize(text)`): the same result as score(), without tokenising the text again
  /// when one text is scored and also read by other steps (claims, topics). The default ignores
  /// `tokens`.
  [[nodiscard]] virtual Sentiment score_tokenized(std::string_view text, const sentiment::TokenBuffer& tokens,
                                                  std::optional<double> rating = std::nullopt,
                                                  Lang lang = Lang::automatic) const {
    (void)tokens;
    return score(text, rating, lang);
  }
  /// The score of `score_tokenized(text, tokens)` (no rating, the language detected) and nothing
  /// else: for callers that read only the number, e.g. the claims, which score each clause of a
  /// complaint. The scorer may skip what the number does not need (sentences, "why").
  [[nodiscard]] virtual double score_value(std::string_view text, const sentiment::TokenBuffer& tokens) const {
    return score_tokenized(text, tokens).score;
  }
};

}  // namespace otklik
