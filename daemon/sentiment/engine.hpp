#pragma once
/// The scoring engine behind LexiconScorer (not a public API): a lexicon, tuning parameters and
/// the rules of docs/sentiment.md. A Workspace holds the per-call buffers and stemmers; it belongs
/// to one thread at a time, so the engine itself stays immutable and thread-safe.

#include "daemon/sentiment/lexicon.hpp"
#include "daemon/sentiment/scorer.hpp"
#include "daemon/sentiment/stemmer.hpp"
#include "daemon/sentiment/text.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::sentiment {

/// Numbers of the rules, in valence units (lexicon weights lie in [-4, 4]).
struct EngineParams {
  double negated_positive = -0.75;  ///< factor for a negated positive term
  double negated_negative = -0.3;   ///< factor for a negated negative term (weak positive)
  int negation_window = 3;          ///< words after a negator it reaches (within its clause)
  double caps_boost = 0.733;        ///< |valence| added for a CAPS word
  double emphasis_boost = 0.3;      ///< |valence| added for repeated letters
  double exclaim_boost = 0.292;     ///< per '!' (up to 4) added to a sentence's sum
  double contrast_before = 0.5;     ///< factor before "but"/"но"
  double contrast_after = 1.5;      ///< factor after it
  double concessive = 0.5;          ///< factor for an "although"/"хотя" clause
  double question_positive = 0.5;   ///< factor for positive terms in a question
  double question_negative = 0.9;   ///< factor for negative terms in a question
  double quoted_positive = -0.5;    ///< factor for praise in short quotes («отличный» сервис) in a complaint (else 0)
  double polite_in_complaint = -0.3;  ///< factor for thanks/please inside a complaint
  double smile_in_mild_complaint = 0.5;  ///< … for a smile or laughter in Russian text when the complaint is not clear
  double inability = -1.0;          ///< "can't change the address", "won't let me log in": what cannot be done
  double lack = -0.8;               ///< "no plot", "without sauce": "no"/"without" + an unknown word
  double warning = -2.0;            ///< "не покупайте", "don't order": a negated imperative
  double negated_verdict = -1.2;    ///< factor for a negated positive verdict ("won't be back", "never go back")
  double excess = -1.2;             ///< "too" + a mild positive or an unknown word ("too sweet", "too pretentious")
  double long_wait = -2.0;          ///< a wait of 10+ minutes or hours ("waited an hour", "took 30 minutes")
  double repeated_attempts = -1.5;  ///< "six emails, four calls", «переносит приём три раза»
  double dragging_on = -2.0;        ///< «ремонт идёт уже второй месяц», "hasn't updated in 9 days"
  double foreign_object = -2.5;     ///< "found a hair in my salad"
  double rating_low = -2.5;         ///< "2 out of 10", "1/5" in the text (a verdict)
  double rating_mid = -0.8;         ///< "5/10"
  double rating_high = 2.0;         ///< "8/10", "9 out of 10"
  double manner_after_negative = -0.5;  ///< factor for "easily"/"quickly" after a negative ("breaks easily")
  double negated_again = -2.0;      ///< "won't ever go there again": a negated clause ending in "again" (a verdict)
  double conditional = 0.4;         ///< factor for praise in an "if" clause ("if you want good food, go elsewhere")
  double fault_list = 0.5;          ///< factor for negatives after "Минусы:", "из недостатков", "cons:"
  double only_fault = 0.3;          ///< … after "единственный минус", "the only downside"
  double absent_problem = 0.5;      ///< "никаких проблем", "поломок не было": this × |valence|, positive
  double restrictive = -0.3;        ///< "понравился только десерт": factor for praise restricted to one thing
  double masked_swear = -2.5;      ///< a swear word with letters starred out ("s***", "б**дь")
  double free_of = 0.8;             ///< "charisma-free", "hassle-free": factor for the turned-around term
  double solved_problem = 0.8;      ///< "fixed my issue", «проблему решили»: this × |valence|, positive
  double own_doing = 0.3;           ///< «я перепутала адрес», «ожидала волокиты»: factor for the customer's own or feared problem
  double still_not = -1.2;         ///< "still haven't received", "still can't log in": a failure that goes on
  double why_question = -1.2;       ///< a sentence that opens with "why" ("Why is my refund taking 3 weeks?"): asked of a company, a reproach
  double info_question = 0.15;      ///< factor for terms in a request for information ("Can I return an opened item?")
  double english_info_question = 0.05;  ///< … in English text, whose negative threshold is lower
  double degree_adjective = 0.5;    ///< "great"/"total"/"huge" before a negative noun: added to its |valence|
  double verdict_per_sentence = 0.5;  ///< a verdict weighs 1 + this × (sentences − 1) …
  double verdict_max = 4.0;         ///< … at most this many times its weight
  double last_sentence = 1.3;       ///< factor for the last sentence of a text of 3+ sentences
  double alpha = 15;                ///< normalisation: score = s / sqrt(s² + alpha)
  double negative_scale = 1.2;      ///< factor on negative contributions (a missed complaint costs more)
  double negative_per_sentence = 0.0;  ///< … plus this per sentence after the first (negativity bias)
  double negative_scale_max = 1.6;  ///< … up to this
  double bias = 0;                  ///< added to the text's sum before normalisation
  double positive_threshold = 0.2;  ///< score ≥ this → positive
  double negative_threshold = 0.15; ///< score ≤ -this → negative
  /// English text: score ≤ -this → negative. Lower than the Russian threshold because the English
  /// lexicons weigh the same complaint lower (VADER's scale, and customer text that states a fault
  /// with no evaluative word); measured in docs/sentiment-measurements.md ("English threshold").
  double english_negative_threshold = 0.05;
};

/// One lexicon match: tokens [first, last] (inclusive) matched `entry`.
struct Hit {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  const LexEntry* entry = nullptr;
  bool prefix_negated = false;  ///< matched after removing a negating prefix (un-, не-, без-)
};

/// A contribution before it becomes a Contribution: which hit, the negator (if any), the value.
struct RawContribution {
  std::uint32_t hit = 0;
  std::int32_t negator = -1;  ///< token index of the negator that flipped it
  double value = 0;
  std::uint32_t sentence = 0;
  bool polite = false;
  bool verdict = false;
  bool quoted = false;        ///< praise in short quotes: ironic in a complaint, else ignored
  std::string_view rule;      ///< for rule contributions ("!", "rating"): the label; else empty
  std::uint32_t last = UINT32_MAX;  ///< when set, the term spans the hit's first token to this one
};

/// What the lexicon says about one token on its own, which depends only on the token's form
/// (normalised form, collapsed form, kind, script): the phrases that may start with it, its
/// single-token entry and the positive term behind a negating prefix ("uninteresting").
struct TokenLex {
  std::span<const std::uint32_t> phrases_by_key;   ///< phrases whose first key is the token's key
  std::span<const std::uint32_t> phrases_by_norm;  ///< … whose first key is its exact form (when that differs)
  const LexEntry* single = nullptr;                ///< exact form, collapsed form, "n't", stem
  const LexEntry* prefix = nullptr;                ///< words only: a praise word behind un-/не-/без-
};

/// Per-call scratch space, reused between calls by one thread at a time.
struct Workspace {
  StemmerSet stemmers;
  Lang lang = Lang::other;                 ///< of the text being scored
  TokenBuffer buf;
  std::string keys;                        ///< arena of per-token match keys (stems)
  std::vector<std::uint32_t> key_begin;    ///< per token
  std::vector<std::uint32_t> key_len;
  std::vector<TokenLex> lex;               ///< per content token
  std::vector<std::uint32_t> word_index;   ///< per token: content tokens before it
  std::vector<std::uint32_t> clause;       ///< per token: clause number in the text
  std::vector<std::uint32_t> cues;         ///< per token: its form's cue bits (cue_words.hpp), 0 if not content
  std::vector<std::uint8_t> quoted;        ///< per token: kShortQuote and/or kTitle bits, else 0
  static constexpr std::uint8_t kShortQuote = 1;  ///< inside a quotation of 1–3 words («отличный» сервис)
  static constexpr std::uint8_t kTitle = 2;       ///< inside a quoted name in title case ("My Big Fat Greek Wedding")
  std::vector<Hit> hits;
  std::vector<RawContribution> raw;
  std::vector<std::uint32_t> sentence_tokens;  ///< [begin, end) token pairs, flattened
  std::vector<double> sentence_sum;
  std::vector<double> sentence_pos;            ///< text_rules(): praise and complaint per sentence
  std::vector<double> sentence_neg;

  /// Memo of normalised form → match key and lexicon answers (TokenLex), kept between calls: stemming
  /// and the lookups dominate the cost otherwise, and most words repeat. Bounded: cleared when it
  /// grows past kMaxMemo. Only speeds things up; results do not depend on it. It belongs to the
  /// engine that filled it (`memo_owner`); another engine clears it first.
  /// An entry is kept small (one string for two forms): the lookups of every token miss the
  /// cache on it, and fewer bytes touch fewer cache lines.
  struct Memo {
    std::string forms;                     ///< the token's collapsed form (alt), then its match key
    std::uint32_t alt_len = 0;
    TokenKind kind = TokenKind::other;     ///< the rest of the token's form: alt, kind and script
    Script script = Script::none;          ///< (checked on a hit; a mismatch recomputes the entry)
    TokenLex lex;
    std::uint32_t cues = 0;                ///< rules::cue_bits of the form
    [[nodiscard]] std::string_view alt() const { return std::string_view(forms).substr(0, alt_len); }
    [[nodiscard]] std::string_view key() const { return std::string_view(forms).substr(alt_len); }
  };
  static constexpr std::size_t kMaxMemo = 1 << 16;
  boost::unordered_flat_map<std::string, Memo, FastStringHash, StringEq> memo;
  const void* memo_owner = nullptr;
  std::string scratch;                     ///< scratch for stems computed on a memo miss
  std::vector<Memo*> found;                ///< prepare(): per token, its memo entry found ahead (or null)

  [[nodiscard]] std::string_view key(std::uint32_t t) const {
    return std::string_view(keys).substr(key_begin[t], key_len[t]);
  }
};

class Engine {
 public:
  Engine(Lexicon lexicon, Lang default_lang, EngineParams params = {})
      : lexicon_(std::move(lexicon)), default_lang_(default_lang), params_(params) {
    masked_swear_.term = "***";
    masked_swear_.weight = static_cast<float>(params_.masked_swear);
    masked_swear_.tags = kTagProfanity;
    masked_swear_.file = UINT32_MAX;
  }

  [[nodiscard]] Sentiment score(std::string_view text, std::optional<double> rating, Lang lang,
                                Workspace& ws) const;
  /// The same as score(), on `tokens` = tokenize(text), which the caller holds already.
  [[nodiscard]] Sentiment score_tokenized(std::string_view text, const TokenBuffer& tokens,
                                          std::optional<double> rating, Lang lang, Workspace& ws) const;
  /// score_tokenized(text, tokens, no rating, automatic language).score, without the sentences
  /// and the "why" list, which the score does not depend on.
  [[nodiscard]] double score_value(std::string_view text, const TokenBuffer& tokens, Workspace& ws) const;
  [[nodiscard]] const Lexicon& lexicon() const { return lexicon_; }
  [[nodiscard]] const EngineParams& params() const { return params_; }

 private:
  /// score() once `ws.buf` holds the tokens of `text`.
  [[nodiscard]] Sentiment score_buffer(std::string_view text, std::optional<double> rating, Lang lang,
                                       Workspace& ws, bool score_only = false) const;
  void prepare(Workspace& ws) const;
  /// Computes the memo entry of token `t` (a content token) on a miss.
  void describe(Workspace& ws, const Token& t, Workspace::Memo& out) const;
  void find_hits(Workspace& ws) const;
  const LexEntry* negated_by_prefix(Workspace& ws, const Token& t) const;
  void apply_rules(std::string_view text, Workspace& ws) const;
  void score_sentence(std::uint32_t sentence, std::uint32_t begin, std::uint32_t end, Workspace& ws,
                      bool& contrast_at_start) const;
  /// Rules across sentences, once all are scored: praise that is irony after a complaint.
  void text_rules(Workspace& ws) const;
  /// With `score_only`, stops once label and score are set (no confidence, sentences, "why").
  void finish(std::string_view text, std::optional<double> rating, Workspace& ws, Sentiment& out,
              bool score_only = false) const;

  Lexicon lexicon_;
  Lang default_lang_;
  EngineParams params_;
  LexEntry masked_swear_;  ///< the entry of a starred-out word that the lexicon does not list
};

/// The built-in scorer with other rule numbers (for tuning tools and tests).
std::unique_ptr<Scorer> make_builtin_scorer_with(const EngineParams& params);

/// Language of a tokenised text: script counts and English function words; `hint` wins when it is
/// not automatic, `fallback` is used when the text gives no clue.
Lang detect_language(const TokenBuffer& buf, Lang hint, Lang fallback);

}  // namespace otklik::sentiment
