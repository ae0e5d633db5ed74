#pragma once
/// Claims: a negative mention split into the points a person answers one by one ("1. нахамил
/// менеджер в отделении; 2. ждал час в очереди; 3. навязали страховку").
///
/// Rules (docs/understanding.md repeats them):
///   1. The scored text (title + "\n" + text) is split into clauses (clauses.hpp).
///   2. A clause's leading greeting followed by a mark («Здравствуйте, …», "Hi, …") and leading
///      connectives («а», «но», «и», «да ещё и», «так ещё и», «а также», «кроме того», «плюс»,
///      «причём», «вдобавок», «однако»; "and", "but", "also", "plus", "yet", "however",
///      "moreover") are not part of the claim: «, да ещё и нагрубил» gives «нагрубил». Its span
///      starts after them, as long as a word is left.
///   3. Each clause is scored on its own with the same scorer, detecting its own language (a
///      mention may mix Russian and English), and tagged with topics. It is a claim when
///        - it is negative on its own (score ≤ max_score), or
///        - it names a topic and is not positive (score < positive_floor): «ждал 40 минут»
///          can score neutral but is the point of the complaint, or
///        - it is an item of a list («1) …», «- …», «• …» at a line start) and is not positive:
///          a person who lists things in a negative mention lists complaints, and the lexicon
///          does not know every one («коробка мятая»).
///   4. Everything else is left out: greetings and sign-offs («Здравствуйте», «С уважением»),
///      thanks and praise («спасибо заранее», "the staff were lovely"), and neutral clauses
///      without a topic, which set the scene ("I went to the branch on Monday"), and headings
///      whose line ends with a colon («Претензии:», "Problems:"). A scene-setting clause
///      is not merged into the claim after it either: a claim should read as the complaint, and
///      the alert shows the whole text anyway. The exception is a split at a bare "and" / «и»
///      (clauses.hpp, rule 4): the two clauses stay two claims only when each is a claim on its
///      own; otherwise they are judged together as one clause ("SIM swap took 3 store visits and
///      I was without service for 2 days"), so that such a split never loses words.
///   5. When nothing qualifies but the mention is negative, its most negative sentence (from
///      `whole.sentences`) is the one claim, trimmed to the clauses inside it.
///   6. At most max_claims are kept — the most negative ones — always in text order; a claim's
///      text is cut at max_chars code points on a word boundary with "…" (its span is not cut).
///   7. Claim text is the span's bytes with invalid UTF-8 replaced by U+FFFD.
/// Linear in the text's length: a 1 MB mention is split, scored clause by clause and capped.

#include "daemon/sentiment/scorer.hpp"
#include "daemon/sentiment/text.hpp"
#include "daemon/understanding/understanding.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::understanding {

/// What counts as a claim and how many are kept.
struct ClaimOptions {
  double max_score = -0.05;       ///< a clause at or below this score is negative on its own
  double positive_floor = 0.05;   ///< a topic or list clause at or above this is praise, not a claim
  std::size_t max_claims = 10;    ///< the most negative ones are kept beyond this
  std::size_t max_chars = 300;    ///< code points of a claim's text before it is cut with "…"
  /// `whole` is what `scorer` gives the whole text with no rating and the language detected
  /// (score_tokenized(text, tokens)): a clause that spans the whole text (a one-clause tweet)
  /// takes its score instead of being scored again. Leave false when `whole` came otherwise
  /// (a rating, a forced language, another scorer).
  bool whole_is_clause_score = false;
};

/// The topics a clause names (ids); may be empty (no taxonomy).
using TopicFn = std::function<std::vector<std::string>(std::string_view clause)>;

/// The claims of `scored_text` (the text that produced `whole`). Empty when `whole` is not
/// negative. Spans are byte offsets into `scored_text`.
std::vector<Claim> extract_claims(std::string_view scored_text, const Sentiment& whole, const Scorer& scorer,
                                  const TopicFn& topics, const ClaimOptions& options = {});

/// The topics a clause names, given its tokens too (`sentiment::tokenize(clause)`).
using TokenTopicFn =
    std::function<std::vector<std::string>(std::string_view clause, const sentiment::TokenBuffer& tokens)>;

/// The same claims, for a caller that holds the tokens of `scored_text` already (`scored_tokens`
/// must be `sentiment::tokenize(scored_text)`): the text and each clause are tokenised once, and
/// the clause's tokens serve both its scoring (Scorer::score_tokenized) and its topics.
std::vector<Claim> extract_claims(std::string_view scored_text, const sentiment::TokenBuffer& scored_tokens,
                                  const Sentiment& whole, const Scorer& scorer, const TokenTopicFn& topics,
                                  const ClaimOptions& options = {});

/// Fills `out` with the tokens of the clause `text`[begin, end) read from `whole` (the tokens of
/// all of `text`), shifted to the clause's offsets, with the clause's letter counts, and returns
/// true — what `sentiment::tokenize` gives for the clause alone — when that reading is sure to
/// be the same: the clause is ASCII, Cyrillic letters (А–я, Ё, ё), « and » without brackets,
/// "*", "=", "^" or ">" (":", ";" and "_" only inside a link, "_" also inside a mention, ":"
/// and ";" also as a mark before a space), its tokens lie within it and its first word is not
/// joined to the word before.
/// Returns false (and `out` is unspecified) otherwise: the caller tokenises the clause.
bool tokens_of_clause(std::string_view text, const sentiment::TokenBuffer& whole, std::size_t begin, std::size_t end,
                      sentiment::TokenBuffer& out);

/// `text` cut to at most `max_chars` code points at a word boundary, with "…" when cut.
std::string cut_at_word(std::string_view text, std::size_t max_chars);

}  // namespace otklik::understanding
