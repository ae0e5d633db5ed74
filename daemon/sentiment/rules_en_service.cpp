/// English rules for what customers write to a company (issue 19, second round): a failure told
/// with "still" and a negation, and praise that names what a service should be but is not.

#include "daemon/sentiment/cue_words.hpp"
#include "daemon/sentiment/rules_internal.hpp"

namespace otklik::sentiment::rules {

namespace {

/// An auxiliary that may stand between "still" and its negation ("still have not", "still is not").
bool auxiliary(std::string_view w) {
  return one_of(w, {"have", "has", "had", "do", "does", "did", "is", "are", "was", "were", "am", "can", "could",
                    "will", "would", "been"});
}

}  // namespace

bool still_not(const Workspace& ws, std::uint32_t begin, std::uint32_t end, std::size_t raw_begin) {
  // "still haven't had a problem", "still not sure it's better": praise or doubt, no failure.
  for (std::size_t r = raw_begin; r < ws.raw.size(); ++r)
    if (ws.raw[r].value > 0) return false;
  if (!has_cues(ws, begin, end, kCueStill)) return false;
  const auto& toks = ws.buf.tokens;
  for (std::uint32_t k = begin; k < end; ++k) {
    if (toks[k].kind != TokenKind::word || toks[k].script != Script::latin || ws.buf.norm(toks[k]) != "still")
      continue;
    std::uint32_t n = next_content(toks, k, end);
    if (n < end && auxiliary(ws.buf.norm(toks[n]))) n = next_content(toks, n, end);
    if (n >= end || ws.clause[n] != ws.clause[k]) continue;
    const std::string_view w = ws.buf.norm(toks[n]);
    // "still no" / "still nothing" are lexicon phrases; "still not sure" is doubt, not a failure.
    if (w == "no" || w == "nothing" || !ends_with_negation(w)) continue;
    const std::uint32_t after = next_content(toks, n, end);
    if (after < end && one_of(ws.buf.norm(toks[after]), {"sure", "certain", "convinced", "decided"})) continue;
    return true;
  }
  return false;
}

bool wanted_quality(const Workspace& ws, std::uint32_t term, std::uint32_t begin) {
  const auto& toks = ws.buf.tokens;
  const std::string_view t = ws.buf.norm(toks[term]);
  std::uint32_t k = previous_word(ws, term, begin);
  bool degree = false;  // "more" / "less" before the term, or a comparative of it ("easier", "friendlier")
  if (k != UINT32_MAX && one_of(ws.buf.norm(toks[k]), {"more", "less"})) {
    degree = true;
    k = previous_word(ws, k, begin);
    // "a little more", "a bit more", "much more", "way more"
    if (k != UINT32_MAX && one_of(ws.buf.norm(toks[k]), {"little", "bit", "much", "way", "lot", "far", "slightly"})) {
      k = previous_word(ws, k, begin);
      if (k != UINT32_MAX && ws.buf.norm(toks[k]) == "a") k = previous_word(ws, k, begin);
    }
  } else {
    degree = t.size() > 4 && ends_with(t, "er") && !one_of(t, {"never", "either", "other", "whether", "rather"});
  }
  if (!degree || k == UINT32_MAX || ws.buf.norm(toks[k]) != "be") return false;
  const std::uint32_t m = previous_word(ws, k, begin);
  if (m == UINT32_MAX) return false;
  const std::string_view modal = ws.buf.norm(toks[m]);
  if (one_of(modal, {"should", "could", "must", "ought"})) return true;
  if (modal != "to") return false;
  // "needs to be more helpful", "has to be easier", "ought to be"
  const std::uint32_t v = previous_word(ws, m, begin);
  return v != UINT32_MAX && one_of(ws.buf.norm(toks[v]), {"need", "needs", "has", "have", "ought"});
}

bool rhetorical_question(const Workspace& ws, std::uint32_t from, std::uint32_t end) {
  const auto& toks = ws.buf.tokens;
  for (std::uint32_t k = from; k < end; ++k) {
    if (toks[k].kind != TokenKind::word) continue;
    const std::string_view w = ws.buf.norm(toks[k]);
    // A negation ("how can you not …", "can you not charge me twice?") or a word that doubts the
    // company itself ("a clue", "even care", "seriously").
    if (ends_with_negation(w) || one_of(w, {"clue", "care", "cares", "bother", "bothered", "seriously", "even"}))
      return true;
  }
  return false;
}

}  // namespace otklik::sentiment::rules
