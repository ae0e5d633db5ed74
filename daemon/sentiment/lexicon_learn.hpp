#pragma once
/// Learning a lexicon overlay from the team's corrections (`otklik lexicon learn`,
/// docs/sentiment.md "Learning from corrections").
///
/// The input is what the scorer said about each corrected item — its label and the lexicon
/// entries behind its "why" — next to the label the team gave. A term's weight moves toward the
/// mean label of the items it contributed to, smoothed toward its current weight, only when it
/// took part in enough items and in at least one the scorer got wrong, by at most a fixed step,
/// never across zero, and for at most a fixed number of terms. Only entries the lexicon already
/// holds are adjusted (no new vocabulary), and the overlay holds lexicon terms and counts only,
/// never the text of an item. Pure: no I/O.

#include "daemon/sentiment/lexicon.hpp"
#include "daemon/sentiment/scorer.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::sentiment {

/// A lexicon entry as the learner sees it (copied out of the Lexicon, so tests can write them).
struct LearnTerm {
  std::string term;  ///< the lexicon's normalised term
  double weight = 0;
  std::uint32_t tags = 0;
};

/// One entry that contributed to the score of a corrected item, and its signed contribution.
struct TermEvidence {
  LearnTerm entry;
  double contribution = 0;
};

/// One corrected item: the team's label, the scorer's label, the entries behind the score.
struct CorrectionEvidence {
  Label gold = Label::neutral;
  Label predicted = Label::neutral;
  std::vector<TermEvidence> terms;
};

struct LearnOptions {
  std::size_t min_support = 3;  ///< items a term must have contributed to
  std::size_t min_errors = 1;   ///< … of them misclassified by the scorer
  double smoothing = 4;         ///< pseudo-items at the current weight
  double label_weight = 3;      ///< the weight a label stands for (±3: strong on the VADER scale)
  double max_step = 1.0;        ///< largest change of one weight in one run
  double min_change = 0.25;     ///< smaller changes are left out
  std::size_t max_terms = 50;   ///< at most this many terms in the overlay
};

/// One changed weight and the evidence for it.
struct LearnedChange {
  LearnTerm entry;               ///< the entry as it was
  double new_weight = 0;
  std::size_t items = 0;         ///< corrected items the term contributed to with its own sign
  std::size_t negative = 0;      ///< … labelled negative by the team
  std::size_t neutral = 0;
  std::size_t positive = 0;
  std::size_t errors = 0;        ///< … that the scorer had labelled otherwise
};

struct LearnResult {
  std::vector<LearnedChange> changes;  ///< largest evidence first
  std::size_t items = 0;               ///< corrected items read
  std::size_t errors = 0;              ///< … the scorer got wrong
  std::size_t candidates = 0;          ///< terms with enough support and an error, before the cap
};

/// Whether an entry may be learned: sentiment terms only, not negators, boosters, contrast or
/// concessive markers, negmod, need or polite entries (their weight means something else), and
/// not terms that cannot stand at the start of a lexicon line.
[[nodiscard]] bool learnable(const LearnTerm& t) noexcept;

/// Computes the changes. Contributions whose sign differs from the entry's weight (the term was
/// negated or turned around by a rule) are not evidence about its weight and are skipped.
[[nodiscard]] LearnResult learn_weights(const std::vector<CorrectionEvidence>& items, const LearnOptions& opt);

/// The overlay in the lexicon TSV format: a header comment, then one line a change:
/// `term<TAB>weight<TAB>tags,learned<TAB>note with the counts`.
[[nodiscard]] std::string format_overlay(const LearnResult& r, std::string_view origin);

/// Human-readable report: one line a change (term, old → new weight, counts), then a summary.
[[nodiscard]] std::string format_learn_report(const LearnResult& r);

/// The lexicon entry behind a "why" term of the scorer (its surface text: a word, a phrase), or
/// null when there is none (rules, negated terms, terms found through a negating prefix).
/// Looked up as the engine does: exact form, then stem; phrases by their keys.
[[nodiscard]] const LexEntry* entry_for_surface(const Lexicon& lex, StemmerSet& stemmers, std::string_view surface);

}  // namespace otklik::sentiment
