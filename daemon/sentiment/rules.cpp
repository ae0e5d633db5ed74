// The rules applied to lexicon hits: negation, boosters, contrast, emphasis, questions, quotes,
// politeness in complaints; then the text score, rating fusion, labels and the "why" list.
#include "daemon/sentiment/engine.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace otklik::sentiment {
namespace {

constexpr std::array<double, 3> kBoosterDamping{1.0, 0.95, 0.9};
constexpr std::uint32_t kSentimentRoles = kTagNegator | kTagBooster | kTagContrast | kTagConcessive;

double sign(double v) { return v < 0 ? -1.0 : 1.0; }

struct Booster {
  std::uint32_t token;
  double weight;
};

bool ends_with(std::string_view w, std::string_view suffix) {
  return w.size() > suffix.size() && w.substr(w.size() - suffix.size()) == suffix;
}

/// "не покупайте", "не ведитесь": a Russian plural imperative (-йте, -ите, -йтесь, -итесь).
bool russian_imperative(std::string_view w) {
  return ends_with(w, "йте") || ends_with(w, "ите") || ends_with(w, "йтесь") || ends_with(w, "итесь");
}

/// Index of the next content token after `i` in [i+1, end), or `end`.
std::uint32_t next_content(const std::vector<Token>& toks, std::uint32_t i, std::uint32_t end) {
  for (std::uint32_t k = i + 1; k < end; ++k) {
    const TokenKind kind = toks[k].kind;
    if (kind == TokenKind::word) return k;
    if (kind != TokenKind::quote) return end;
  }
  return end;
}

/// True when the hit after `it` starts at token `t` (the word after a negator is a lexicon term).
bool has_hit_at(const Workspace& ws, std::vector<Hit>::const_iterator it, std::uint32_t t) {
  return it != ws.hits.end() && it->first == t;
}

/// True when the negator at token `n` opens a warning: "не покупайте", "Don't order", "Never go".
bool negated_imperative(const Workspace& ws, std::uint32_t n, std::uint32_t first_content, std::uint32_t verb) {
  const auto& toks = ws.buf.tokens;
  const std::string_view neg = ws.buf.norm(toks[n]);
  const std::string_view v = ws.buf.norm(toks[verb]);
  if (toks[verb].script == Script::cyrillic) return neg == "не" && russian_imperative(v);
  if (toks[verb].script != Script::latin) return false;
  if (neg != "don't" && neg != "dont" && neg != "never" && neg != "not") return false;
  // At the start of the sentence, or after "do"/"please"/"just"/"so" there.
  std::uint32_t before = n;
  if (n > first_content) {
    before = first_content;
    const std::string_view w = ws.buf.norm(toks[first_content]);
    if (ws.word_index[n] - ws.word_index[first_content] != 1) return false;
    if (w != "do" && w != "please" && w != "just" && w != "so" && w != "and") return false;
  }
  if (neg == "not" && (before == n || ws.buf.norm(toks[before]) != "do")) return false;
  return v != "you" && v != "i" && v != "it" && v != "know" && v != "think" && v != "get";
}

}  // namespace

void Engine::score_sentence(std::uint32_t sentence, std::uint32_t begin, std::uint32_t end, Workspace& ws,
                            bool& contrast_at_start) const {
  const auto& toks = ws.buf.tokens;
  const auto& p = params_;
  contrast_at_start = false;
  const bool shouting = ws.buf.letters_total >= 8 && ws.buf.letters_upper * 10 >= ws.buf.letters_total * 6;
  const Token& last_tok = toks[end - 1];
  const bool question = last_tok.kind == TokenKind::sentence_end && last_tok.mark == '?';
  std::uint32_t first_content = end;
  for (std::uint32_t k = begin; k < end; ++k) {
    const TokenKind kind = toks[k].kind;
    if (kind != TokenKind::sentence_end && kind != TokenKind::clause_break && kind != TokenKind::quote) {
      first_content = k;
      break;
    }
  }

  std::int32_t negator = -1;
  std::array<Booster, 4> boosters{};
  std::size_t booster_count = 0;
  double after_factor = 1.0;
  std::uint32_t concessive_clause = UINT32_MAX;
  const std::size_t raw_begin = ws.raw.size();

  const auto first_hit = std::lower_bound(ws.hits.begin(), ws.hits.end(), begin,
                                          [](const Hit& h, std::uint32_t t) { return h.first < t; });
  for (auto it = first_hit; it != ws.hits.end() && it->first < end; ++it) {
    const Hit& h = *it;
    const LexEntry& e = *h.entry;
    const std::uint32_t cl = ws.clause[h.first];
    if ((e.tags & kTagNegMod) != 0) {
      // "не очень хороший": a negator when a sentiment term follows closely in its clause.
      bool before_term = false;
      for (auto nx = it + 1; nx != ws.hits.end() && nx->first < end; ++nx) {
        if (ws.clause[nx->first] != cl || ws.word_index[nx->first] - ws.word_index[h.last] > 2) break;
        if ((nx->entry->tags & kSentimentRoles) == 0 && nx->entry->weight != 0) {
          before_term = true;
          break;
        }
      }
      if (before_term) {
        negator = static_cast<std::int32_t>(h.last);
        continue;
      }
    } else if ((e.tags & kTagNegator) != 0) {
      negator = static_cast<std::int32_t>(h.last);
      const std::uint32_t verb = next_content(toks, h.last, end);
      const std::string_view neg_word = ws.buf.norm(toks[h.last]);
      if (verb < end && (neg_word == "no" || neg_word == "without") && !has_hit_at(ws, it + 1, verb)) {
        // "no plot", "without sauce": a missing thing, in a review a complaint.
        RawContribution& r = ws.raw.emplace_back();
        r.hit = static_cast<std::uint32_t>(it - ws.hits.begin());
        r.value = p.lack * after_factor;
        r.sentence = sentence;
        r.last = verb;
      } else if (verb < end && negated_imperative(ws, h.last, first_content, verb)) {
        RawContribution& r = ws.raw.emplace_back();
        r.hit = static_cast<std::uint32_t>(it - ws.hits.begin());
        r.value = p.warning * after_factor;
        r.sentence = sentence;
        r.last = verb;
      }
      continue;
    } else if ((e.tags & kTagBooster) != 0) {
      boosters[booster_count % boosters.size()] = {h.last, e.weight};
      ++booster_count;
      continue;
    } else if ((e.tags & kTagContrast) != 0) {
      // Only the first contrast of a sentence damps what precedes it (linear time on any input).
      if (h.first == first_content) {
        contrast_at_start = true;
      } else if (after_factor == 1.0) {
        for (std::size_t r = raw_begin; r < ws.raw.size(); ++r) ws.raw[r].value *= p.contrast_before;
      }
      after_factor = p.contrast_after;
      negator = -1;
      continue;
    } else if ((e.tags & kTagConcessive) != 0) {
      concessive_clause = cl;
      continue;
    }
    double v = e.weight;
    if (v == 0) continue;
    if (ws.lang == Lang::en && h.first == h.last && toks[h.first].kind == TokenKind::emoticon &&
        toks[h.first].norm_len == 1)
      continue;  // a lone bracket in English text is punctuation, not a smile
    const double s = sign(v);
    const std::uint32_t wi = ws.word_index[h.first];
    for (std::size_t b = 0; b < std::min(booster_count, boosters.size()); ++b) {
      const Booster& bo = boosters[b];
      const std::uint32_t dist = wi - ws.word_index[bo.token];
      if (ws.clause[bo.token] == cl && dist >= 1 && dist <= kBoosterDamping.size())
        v += s * bo.weight * kBoosterDamping[dist - 1];
    }
    if (v * s < 0.1 * std::abs(e.weight)) v = s * 0.1 * std::abs(e.weight);
    const Token& t = toks[h.first];
    if (t.caps && !shouting && t.kind == TokenKind::word) v += s * p.caps_boost;
    if (t.emphasis) {
      if (t.kind == TokenKind::emoji || t.kind == TokenKind::emoticon) {
        v *= 1.0 + 0.2 * std::min<int>(t.repeat - 1, 3);
      } else {
        v += s * p.emphasis_boost;
      }
    }
    if (h.prefix_negated) v *= p.negated_positive;
    if ((e.tags & kTagVerdict) != 0 && v > 0) {
      // "советую не брать", "recommend not buying": the advice is to stay away.
      const std::uint32_t nx = next_content(toks, h.last, end);
      if (nx < end) {
        const std::string_view w = ws.buf.norm(toks[nx]);
        if (w == "не" || w == "not" || w == "never" || w == "against") v = -std::abs(v);
        // "рекомендую поменять шины", "советую лучше взять другую": advice, not a verdict.
        else if (toks[nx].script == Script::cyrillic && (w == "лучше" || ends_with(w, "ть") || ends_with(w, "ться") ||
                                                          ends_with(w, "ти")))
          v = 0;
      }
    }
    std::int32_t flipped_by = -1;
    const bool negatable = (e.tags & (kTagNoNegate | kTagEmoji)) == 0 && t.kind != TokenKind::emoji &&
                           t.kind != TokenKind::emoticon;
    if (negator >= 0 && negatable && ws.clause[static_cast<std::uint32_t>(negator)] == cl) {
      const std::uint32_t dist = wi - ws.word_index[static_cast<std::uint32_t>(negator)];
      // English negation reaches further ("didn't think the instructions were helpful").
      const int window = p.negation_window + (toks[static_cast<std::uint32_t>(negator)].script == Script::latin ? 2 : 0);
      if (dist >= 1 && dist <= static_cast<std::uint32_t>(window)) {
        v *= v > 0 ? p.negated_positive : p.negated_negative;
        flipped_by = negator;
      }
    }
    if ((e.tags & kTagNeed) != 0 && flipped_by < 0) continue;  // "связь" alone says nothing
    const bool quoted = ws.quoted[h.first] != 0 && v > 0 && (e.tags & kTagEmoji) == 0;
    if (cl == concessive_clause) v *= p.concessive;
    v *= after_factor;
    if (question) v *= v > 0 ? p.question_positive : p.question_negative;
    RawContribution& r = ws.raw.emplace_back();
    r.hit = static_cast<std::uint32_t>(it - ws.hits.begin());
    r.negator = flipped_by;
    r.value = v;
    r.sentence = sentence;
    r.polite = (e.tags & kTagPolite) != 0;
    r.verdict = (e.tags & kTagVerdict) != 0;
    r.quoted = quoted;
  }
  double sum = 0;
  for (std::size_t r = raw_begin; r < ws.raw.size(); ++r) sum += ws.raw[r].value;
  if (last_tok.kind == TokenKind::sentence_end && last_tok.mark == '!' && sum != 0) {
    const double extra = sign(sum) * p.exclaim_boost * std::min<int>(last_tok.repeat, 4);
    RawContribution& r = ws.raw.emplace_back();
    r.value = extra;
    r.sentence = sentence;
    r.rule = "!";
  }
}

Lang detect_language(const TokenBuffer& buf, Lang hint, Lang fallback) {
  if (hint == Lang::ru || hint == Lang::en || hint == Lang::other) return hint;
  const std::uint32_t cyr = buf.letters_cyrillic;
  const std::uint32_t lat = buf.letters_latin;
  if (cyr + lat == 0) return fallback == Lang::automatic ? Lang::other : fallback;
  if (cyr >= lat) return Lang::ru;
  static constexpr std::array<std::string_view, 32> kEnglish{
      "the", "a", "an", "and", "is", "are", "was", "were", "it", "i", "you", "this", "that", "not", "to", "of",
      "for", "with", "my", "we", "they", "but", "have", "be", "in", "on", "so", "very", "just", "no", "at", "me"};
  int english = 0;
  int latin_words = 0;
  for (const Token& t : buf.tokens) {
    if (t.kind != TokenKind::word || t.script != Script::latin) continue;
    ++latin_words;
    const std::string_view w = buf.norm(t);
    if (std::find(kEnglish.begin(), kEnglish.end(), w) != kEnglish.end()) ++english;
  }
  if (english > 0 || latin_words <= 2) return Lang::en;
  return fallback == Lang::en || fallback == Lang::ru ? fallback : Lang::other;
}

}  // namespace otklik::sentiment
