#pragma once
/// Claims: a negative mention split into the points a person answers one by one ("1. нахамил
/// менеджер в отделении; 2. ждал час в очереди; 3. навязали страховку").
///
/// The text is split into clauses (clauses.hpp). Each clause is scored on its own with the same
/// scorer, in the mention's language, and tagged with topics. A clause is a claim when
///   - it is negative on its own (score ≤ max_score), or
///   - it names a complaint topic and is not positive (score < positive_floor): «ждал 40 минут»
///     scores neutral but is the point of the complaint.
/// Greetings, thanks and praise around a complaint («Здравствуйте», «спасибо заранее», "the staff
/// were lovely") are not claims. Neutral clauses without a topic are left out: they set the
/// scene ("I went to the branch on Monday") rather than complain.
/// When nothing qualifies but the mention is negative, its most negative sentence is the one
/// claim. At most max_claims are kept (the most negative ones, in text order); a long clause is
/// cut at max_chars on a word boundary with "…".

#include "daemon/sentiment/scorer.hpp"
#include "daemon/understanding/understanding.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::understanding {

struct ClaimOptions {
  double max_score = -0.05;       ///< a clause at or below this is negative on its own
  double positive_floor = 0.05;   ///< a topic clause at or above this is praise, not a claim
  std::size_t max_claims = 10;
  std::size_t max_chars = 300;    ///< code points of a claim's text
};

/// The topics a clause names (ids); may be empty (no taxonomy).
using TopicFn = std::function<std::vector<std::string>(std::string_view clause)>;

/// The claims of `scored_text` (the text that produced `whole`). Empty when `whole` is not
/// negative. Spans are byte offsets into `scored_text`.
std::vector<Claim> extract_claims(std::string_view scored_text, const Sentiment& whole, const Scorer& scorer,
                                  const TopicFn& topics, const ClaimOptions& options = {});

/// `text` cut to at most `max_chars` code points at a word boundary, with "…" when cut.
std::string cut_at_word(std::string_view text, std::size_t max_chars);

}  // namespace otklik::understanding
