// Rules across sentences, once every sentence is scored (docs/sentiment.md): praise that is irony
// after a complaint, praise opening a complaint, a praise hashtag on a complaint, and an eye roll
// that turns a short text's praise.
#include "daemon/sentiment/rules_internal.hpp"

#include <cmath>
#include <vector>

namespace otklik::sentiment {

using rules::one_of;

void Engine::text_rules(Workspace& ws) const {
  const auto& toks = ws.buf.tokens;
  const auto& p = params_;
  const auto sentences = static_cast<std::uint32_t>(ws.sentence_sum.size());
  if (ws.raw.empty()) return;
  // Per sentence: praise and complaint, and where its contributions are in ws.raw (appended in
  // sentence order).
  std::vector<double>& pos = ws.sentence_pos;
  std::vector<double>& neg = ws.sentence_neg;
  pos.assign(sentences, 0.0);
  neg.assign(sentences, 0.0);
  for (const RawContribution& r : ws.raw) (r.value > 0 ? pos[r.sentence] : neg[r.sentence]) += std::abs(r.value);
  double all_pos = 0;
  double all_neg = 0;
  for (std::uint32_t s = 0; s < sentences; ++s) {
    all_pos += pos[s];
    all_neg += neg[s];
  }
  const auto hit_of = [&](const RawContribution& r) -> const Hit* {
    return r.rule.empty() && r.hit < ws.hits.size() ? &ws.hits[r.hit] : nullptr;
  };
  // An eye roll 🙄 or an upside-down face 🙃 in a short text (up to three sentences) turns its praise:
  // "Love how my "unlimited" plan throttles at 22GB. Really living that unlimited life 🙃".
  bool eye_roll = false;
  if (sentences <= 3)
    for (const Token& t : toks) {
      if (t.kind == TokenKind::emoji && one_of(ws.buf.norm(t), {"\U0001F644", "\U0001F643"})) eye_roll = true;
      // "Really enjoying sitting on the tarmac #sarcasm": the writer says it outright.
      if (t.kind == TokenKind::hashtag && one_of(ws.buf.norm(t), {"#sarcasm", "#sarcastic", "sarcasm", "sarcastic"}))
        eye_roll = true;
    }
  // "An hour on hold, then they hung up #greatservice": a praise hashtag tagged onto a complaint is
  // irony. The complaint is weighed without the hashtags' own praise.
  {
    double tag_pos = 0;
    for (const RawContribution& r : ws.raw) {
      const Hit* h = hit_of(r);
      if (h != nullptr && r.value > 0 && toks[h->first].kind == TokenKind::hashtag) tag_pos += r.value;
    }
    if (tag_pos > 0 && all_neg >= 1.5 && all_neg > all_pos - tag_pos) {
      for (RawContribution& r : ws.raw) {
        const Hit* h = hit_of(r);
        if (h != nullptr && r.value > 0 && toks[h->first].kind == TokenKind::hashtag) r.value *= p.quoted_positive;
      }
    }
  }
  std::size_t r0 = 0;
  for (std::uint32_t s = 0; s < sentences; ++s) {
    std::size_t r1 = r0;
    while (r1 < ws.raw.size() && ws.raw[r1].sentence == s) ++r1;
    const std::uint32_t b = ws.sentence_tokens[2 * s];
    const std::uint32_t e = ws.sentence_tokens[2 * s + 1];
    // "…, а деньги вернут через 10 дней. Круто", "Driver cancelled after I waited 20 min. Awesome":
    // a sentence of nothing but praise words after a complaint is irony.
    if (s > 0 && pos[s] > 0 && neg[s] == 0 && all_neg - neg[s] >= 1.5 && all_neg - neg[s] > all_pos - pos[s]) {
      int words = 0;
      bool praise_only = true;
      for (std::uint32_t k = b; k < e && praise_only && words <= 4; ++k) {  // at most 5 words looked at
        if (toks[k].kind != TokenKind::word) continue;
        ++words;
        // Covered by a one-word praise term: "Awesome", "Круто", "Cool cool cool"; not a phrase such
        // as "pleasantly surprised", a verdict ("Highly recommend") or thanks.
        bool covered = false;
        for (std::size_t r = r0; r < r1 && !covered; ++r) {
          const Hit* h = hit_of(ws.raw[r]);
          covered = h != nullptr && h->first == k && h->last == k && ws.raw[r].value > 0 &&
                    (h->entry->tags & (kTagVerdict | kTagPolite)) == 0;
        }
        praise_only = covered || one_of(ws.buf.norm(toks[k]), {"really", "just", "so", "very", "oh", "well", "too",
                                                                "ну", "просто", "очень", "прям", "прямо", "же", "вот",
                                                                "конечно", "ага", "всё", "все", "как", "всегда"});
        // "Nice customer service.", "Such great communication.", "Great job, guys": praise of what
        // the complaint was about (en), with its determiners.
        if (!praise_only && toks[k].script == Script::latin)
          praise_only = one_of(ws.buf.norm(toks[k]), {"service", "customer", "support", "job", "work", "experience",
                                                      "communication", "help", "team", "guys", "company", "what",
                                                      "a", "such", "that's", "thats", "this", "your"});
      }
      if (praise_only && words >= 1 && words <= 4) {
        for (std::size_t r = r0; r < r1; ++r)
          if (ws.raw[r].value > 0) ws.raw[r].value *= p.quoted_positive;
      }
    }
    // "Genius 🙄", «Гениально 🙄», «прекрасный фитнес 🙃».
    if (eye_roll) {
      for (std::size_t r = r0; r < r1; ++r) {
        const Hit* h = hit_of(ws.raw[r]);
        if (ws.raw[r].value > 0 && (h == nullptr || toks[h->first].kind != TokenKind::emoji))
          ws.raw[r].value *= p.quoted_positive;
      }
    }
    // "Great, another hour on hold", «Великолепно, ещё час на линии»: a praise word opening a
    // sentence whose rest is a complaint.
    if (r1 > r0) {
      RawContribution& first = ws.raw[r0];
      const Hit* h = hit_of(first);
      double rest = 0;
      for (std::size_t r = r0 + 1; r < r1; ++r) rest += ws.raw[r].value;
      std::uint32_t first_word = b;
      while (first_word < e && toks[first_word].kind != TokenKind::word) ++first_word;
      if (h != nullptr && first.value > 0 && h->first == first_word && h->first == h->last && h->last + 1 < e &&
          toks[h->last + 1].kind == TokenKind::clause_break && toks[h->last + 1].mark == ',' && rest < -1.0 &&
          (h->entry->tags & (kTagVerdict | kTagPolite)) == 0)
        first.value *= p.quoted_positive;
    }
    r0 = r1;
  }
}

}  // namespace otklik::sentiment
