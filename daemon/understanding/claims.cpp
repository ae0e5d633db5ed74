#include "daemon/understanding/claims.hpp"

#include "daemon/core/utf8.hpp"
#include "daemon/understanding/clauses.hpp"

#include <algorithm>

namespace otklik::understanding {

std::string cut_at_word(std::string_view text, std::size_t max_chars) {
  // The byte end of the first `n` code points.
  auto prefix = [&](std::size_t n) {
    std::size_t i = 0;
    for (std::size_t k = 0; k < n && i < text.size(); ++k) decode_utf8(text, i);
    return i;
  };
  if (prefix(max_chars) >= text.size()) return sanitize_utf8(text);
  if (max_chars == 0) return {};
  std::size_t cut = prefix(max_chars - 1);  // room for the ellipsis
  const std::size_t space = text.substr(0, cut).find_last_of(" \n\t");
  if (space != std::string_view::npos && space > cut / 2) cut = space;
  std::string out = sanitize_utf8(text.substr(0, cut));
  while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == ';' || out.back() == ':')) out.pop_back();
  return out + "\u2026";
}

std::vector<Claim> extract_claims(std::string_view scored_text, const Sentiment& whole, const Scorer& scorer,
                                  const TopicFn& topics, const ClaimOptions& options) {
  std::vector<Claim> claims;
  if (whole.label != Label::negative || options.max_claims == 0) return claims;
  const Lang lang = whole.lang == Lang::ru || whole.lang == Lang::en ? whole.lang : Lang::automatic;

  for (const Span& span : split_clauses(scored_text)) {
    const std::string_view clause = scored_text.substr(span.begin, span.end - span.begin);
    const Sentiment s = scorer.score(clause, std::nullopt, lang);
    std::vector<std::string> found = topics ? topics(clause) : std::vector<std::string>{};
    const bool negative = s.score <= options.max_score;
    const bool topical = !found.empty() && s.score < options.positive_floor;
    if (!negative && !topical) continue;
    Claim c;
    c.begin = span.begin;
    c.end = span.end;
    c.text = cut_at_word(sanitize_utf8(clause), options.max_chars);
    c.score = s.score;
    c.topics = std::move(found);
    claims.push_back(std::move(c));
  }

  if (claims.empty()) {
    // The mention is negative as a whole: its most negative sentence is the point.
    const SentenceScore* worst = nullptr;
    for (const auto& s : whole.sentences)
      if (s.end > s.begin && s.end <= scored_text.size() && (worst == nullptr || s.score < worst->score)) worst = &s;
    if (worst != nullptr) {
      Claim c;
      c.begin = worst->begin;
      c.end = worst->end;
      const std::string_view text = scored_text.substr(worst->begin, worst->end - worst->begin);
      c.text = cut_at_word(sanitize_utf8(text), options.max_chars);
      // Trim spaces and line breaks around the sentence.
      while (!c.text.empty() && (c.text.front() == ' ' || c.text.front() == '\n')) c.text.erase(c.text.begin());
      while (!c.text.empty() && (c.text.back() == ' ' || c.text.back() == '\n')) c.text.pop_back();
      c.score = worst->score;
      if (topics) c.topics = topics(text);
      if (!c.text.empty()) claims.push_back(std::move(c));
    }
  }

  if (claims.size() > options.max_claims) {
    // Keep the most negative ones, then put them back in text order.
    std::stable_sort(claims.begin(), claims.end(), [](const Claim& a, const Claim& b) { return a.score < b.score; });
    claims.resize(options.max_claims);
    std::sort(claims.begin(), claims.end(), [](const Claim& a, const Claim& b) { return a.begin < b.begin; });
  }
  return claims;
}

}  // namespace otklik::understanding
