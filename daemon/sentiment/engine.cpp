#include "daemon/sentiment/engine.hpp"
#include "daemon/sentiment/cue_words.hpp"
#include "daemon/sentiment/rules_internal.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace otklik::sentiment {
namespace {

bool is_content(TokenKind k) {
  return k == TokenKind::word || k == TokenKind::number || k == TokenKind::hashtag || k == TokenKind::emoji ||
         k == TokenKind::emoticon;
}

/// Tokens [from, to) are a name in title case: 2–8 words, each capitalised (English function words
/// after the first may be lower case), not all of them in capitals — "My Big Fat Greek Wedding",
/// «Русский Стандарт». A name says nothing about the thing reviewed.
bool title_case(const Workspace& ws, std::size_t from, std::size_t to) {
  static constexpr std::array<std::string_view, 14> kSmall{"a",  "an", "the", "of", "and", "or",   "in",
                                                           "on", "at", "to",  "for", "by", "with", "from"};
  int words = 0;
  bool lower_case_seen = false;
  for (std::size_t q = from; q < to; ++q) {
    const Token& t = ws.buf.tokens[q];
    if (t.kind == TokenKind::number || t.kind == TokenKind::clause_break) continue;  // "The Good, the Bad and the Ugly"
    if (t.kind != TokenKind::word) return false;
    ++words;
    if (!t.caps) lower_case_seen = true;
    if (t.capital) continue;
    const std::string_view w = ws.buf.norm(t);
    if (words == 1 || t.script != Script::latin || std::find(kSmall.begin(), kSmall.end(), w) == kSmall.end())
      return false;
  }
  return words >= 2 && words <= 8 && lower_case_seen;
}

/// A negator fused into an English word: "don't", "isn't", "cant".
bool ends_with_nt(std::string_view w) {
  return w.size() > 3 && w.substr(w.size() - 3) == "n't";
}

/// "#bankfail", "#worstdeliveryever", "#sodisappointing": a hashtag of several words run together,
/// which the lexicon does not hold whole. The strongest clear term (|weight| ≥ 1.5, exact form, four
/// letters or more; "bad", "sad", "wtf" at the start) that the tag starts or ends with stands for
/// it, provided the rest is at least three letters. After a negating start ("#notgreat") praise
/// does not count. Other short terms and the terms in kHidden hide inside common words
/// ("firstclass", "warmweather", "directdebit", "bruins", "stranger"), so they never count as a
/// part. Latin tags only: Cyrillic fragments match too many unrelated words.
const LexEntry* compound_hashtag(const Lexicon& lexicon, std::string_view tag) {
  static constexpr std::size_t kMinPart = 3;
  static constexpr std::size_t kMinTerm = 4;
  static constexpr std::array<std::string_view, 14> kHidden{"dire", "anger", "ruins", "hell", "pain", "lame", "kill",
                                                            "lose", "evil", "hate", "bull", "damn", "mock", "cons"};
  if (tag.size() < 2 * kMinPart || tag.size() > 40) return nullptr;
  for (const char c : tag)
    if (!(c >= 'a' && c <= 'z')) return nullptr;
  const LexEntry* best = nullptr;
  bool negated = false;
  const auto consider = [&](const LexEntry* e) {
    if (e == nullptr) return;
    if ((e->tags & kTagNegator) != 0) {
      negated = true;
      return;
    }
    if ((e->tags & (kTagBooster | kTagContrast | kTagConcessive | kTagNeed | kTagNegMod | kTagPolite)) != 0) return;
    if (std::abs(e->weight) < 1.5f) return;
    if (best == nullptr || std::abs(e->weight) > std::abs(best->weight)) best = e;
  };
  const auto part = [&](std::string_view w, bool start) {
    // A negating start may be short, and so may a few words that open such tags ("#badservice").
    if (w.size() < kMinTerm && !(start && (w == "not" || w == "no" || w == "bad" || w == "sad" || w == "wtf")))
      return;
    if (std::find(kHidden.begin(), kHidden.end(), w) != kHidden.end()) return;
    consider(lexicon.find_exact(w));
  };
  for (std::size_t k = kMinPart; k + kMinPart <= tag.size(); ++k) {
    part(tag.substr(0, k), true);
    part(tag.substr(k), false);
  }
  if (best != nullptr && negated && best->weight > 0) return nullptr;
  return best;
}

}  // namespace

void Engine::describe(Workspace& ws, const Token& t, Workspace::Memo& out) const {
  const std::string_view norm = ws.buf.norm(t);
  const bool stemmed = t.kind == TokenKind::word || t.kind == TokenKind::hashtag;
  out.forms.assign(ws.buf.alt(t));
  out.alt_len = static_cast<std::uint32_t>(out.forms.size());
  out.kind = t.kind;
  out.script = t.script;
  out.cues = rules::cue_bits(norm);
  if (stemmed) ws.stemmers.stem(norm, t.script, out.forms);  // appends the key after the alt form
  else out.forms += norm;
  const std::string_view key = out.key();
  TokenLex& lex = out.lex;
  lex.phrases_by_key = lexicon_.phrases(key);
  lex.phrases_by_norm = norm != key ? lexicon_.phrases(norm) : std::span<const std::uint32_t>{};
  // A single token: exact form, collapsed form ("sooo" → "so"), fused "n't", then the stem.
  const LexEntry* best = lexicon_.find_exact(norm);
  if (best == nullptr && t.alt_len > 0) best = lexicon_.find_exact(ws.buf.alt(t));
  if (best == nullptr && t.script == Script::latin && ends_with_nt(norm)) best = lexicon_.find_exact("not");
  if (best == nullptr && stemmed) {
    best = lexicon_.find_stem(key);
    if (best == nullptr && t.alt_len > 0) {
      ws.scratch.clear();
      ws.stemmers.stem(ws.buf.alt(t), t.script, ws.scratch);
      best = lexicon_.find_stem(ws.scratch);
    }
  }
  if (best == nullptr && t.masked) best = &masked_swear_;
  if (best == nullptr && t.script == Script::cyrillic && rules::russian_laughter(norm))
    best = lexicon_.find_exact("ахаха");  // «ахахахах», «пхахах»: laughter typed at any length
  if (best == nullptr && t.kind == TokenKind::hashtag && t.script == Script::latin)
    best = compound_hashtag(lexicon_, norm);  // "#bankfail"
  lex.single = best;
  lex.prefix = t.kind == TokenKind::word ? negated_by_prefix(ws, t) : nullptr;
}

void Engine::prepare(Workspace& ws) const {
  const auto& toks = ws.buf.tokens;
  const std::size_t n = toks.size();
  if (ws.memo_owner != this) {
    ws.memo.clear();
    ws.memo_owner = this;
  }
  ws.keys.clear();
  // The loop below writes every token's key span, word index and clause: no zeroing first.
  ws.key_begin.resize(n);
  ws.key_len.resize(n);
  ws.lex.resize(n);
  ws.word_index.resize(n);
  ws.clause.resize(n);
  ws.cues.resize(n);
  ws.quoted.assign(n, 0);
  // Every content token is looked up first, in a loop of lookups alone: each lookup misses the
  // cache (the table is larger than the core's cache), and lookups that do not wait for one
  // another overlap their misses. The loop below reads the answers.
  ws.found.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    Workspace::Memo* m = nullptr;
    if (is_content(toks[i].kind)) {
      const auto it = ws.memo.find(ws.buf.norm(toks[i]));
      if (it != ws.memo.end()) {
        m = &it->second;
        __builtin_prefetch(m->forms.data());  // the forms of a long word live apart from the entry
      }
    }
    ws.found[i] = m;
  }
  bool inserted = false;  // after an insertion the answers found above may have moved: looked up again
  std::uint32_t words = 0;
  std::uint32_t clause = 0;
  std::int64_t open_quote = -1;
  std::uint32_t open_quote_words = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Token& t = toks[i];
    ws.key_begin[i] = static_cast<std::uint32_t>(ws.keys.size());
    const bool content = is_content(t.kind);
    if (content) {
      const std::string_view norm = ws.buf.norm(t);
      const std::string_view alt = ws.buf.alt(t);
      Workspace::Memo* m = ws.found[i];
      if (inserted) {
        const auto it = ws.memo.find(norm);
        m = it == ws.memo.end() ? nullptr : &it->second;
      }
      if (m == nullptr) {
        if (ws.memo.size() >= Workspace::kMaxMemo) ws.memo.clear();
        m = &ws.memo.emplace(std::string(norm), Workspace::Memo{}).first->second;
        inserted = true;
        describe(ws, t, *m);
      } else if (m->kind != t.kind || m->script != t.script || !fast_equal(m->alt(), alt)) {
        describe(ws, t, *m);  // the same form as another kind of token: rare
      }
      ws.keys += m->key();
      ws.lex[i] = m->lex;
      ws.cues[i] = m->cues;
      ++words;
    } else {
      ws.cues[i] = 0;
    }
    ws.key_len[i] = static_cast<std::uint32_t>(ws.keys.size()) - ws.key_begin[i];
    ws.word_index[i] = words;
    if (t.kind == TokenKind::clause_break || t.kind == TokenKind::sentence_end) ++clause;
    ws.clause[i] = clause;
    if (t.kind == TokenKind::quote) {
      if (open_quote >= 0 && words > open_quote_words) {
        const auto from = static_cast<std::size_t>(open_quote) + 1;
        const auto mark = static_cast<std::uint8_t>((title_case(ws, from, i) ? Workspace::kTitle : 0) |
                                                    (words - open_quote_words <= 3 ? Workspace::kShortQuote : 0));
        for (std::size_t q = from; q < i && mark != 0; ++q) ws.quoted[q] = mark;
        open_quote = -1;
      } else {
        open_quote = static_cast<std::int64_t>(i);
        open_quote_words = words;
      }
    } else if (t.kind == TokenKind::sentence_end) {
      open_quote = -1;
    }
  }
}

const LexEntry* Engine::negated_by_prefix(Workspace& ws, const Token& t) const {
  // "uninteresting", "неинтересный", "безвкусный", "бесполезный": a sentiment word behind a
  // negating prefix that the lexicon does not list as a word of its own.
  const std::string_view norm = ws.buf.norm(t);
  std::string_view rest;
  if (t.script == Script::latin && norm.size() >= 7 && norm.substr(0, 2) == "un") {
    rest = norm.substr(2);
  } else if (t.script == Script::cyrillic && norm.size() >= 12) {
    for (const std::string_view prefix : {std::string_view("не"), std::string_view("без"), std::string_view("бес")}) {
      if (norm.substr(0, prefix.size()) == prefix) {
        rest = norm.substr(prefix.size());
        break;
      }
    }
  }
  if (rest.empty()) return nullptr;
  ws.scratch.clear();
  ws.stemmers.stem(rest, t.script, ws.scratch);
  const std::string_view key = ws.scratch;
  const LexEntry* e = key.size() >= 4 ? lexicon_.find_stem(key) : nullptr;
  if (e == nullptr && t.script == Script::latin) e = lexicon_.find_exact(rest);
  // Only plain sentiment words, and only praise turned around (a negated negative is too vague).
  if (e == nullptr || e->weight <= 0 || (e->tags & (kTagNegator | kTagBooster | kTagContrast | kTagConcessive |
                                                     kTagNegMod | kTagEmoji)) != 0)
    return nullptr;
  return e;
}

void Engine::find_hits(Workspace& ws) const {
  const auto& toks = ws.buf.tokens;
  const std::size_t n = toks.size();
  ws.hits.clear();
  for (std::size_t i = 0; i < n;) {
    const Token& t = toks[i];
    if (!is_content(t.kind)) {
      ++i;
      continue;
    }
    const TokenLex& lex = ws.lex[i];
    // Phrases first, longest first; by stem key or by exact form.
    const LexEntry* best = nullptr;
    std::size_t best_last = i;
    // The token a phrase's second key must match: the next one past quotes, when it is content.
    // Its fingerprints turn most phrases away before their entries are read; the loop below
    // still decides every phrase it lets through, so the phrase found is the same.
    std::uint64_t next_key = 0;   // kSecondKey | fingerprint of its match key; 0: no such token
    std::uint64_t next_norm = 0;  // … of its exact form
    if (!lex.phrases_by_key.empty() || !lex.phrases_by_norm.empty()) {
      std::size_t j = i + 1;
      while (j < n && toks[j].kind == TokenKind::quote) ++j;
      if (j < n && is_content(toks[j].kind)) {
        next_key = Lexicon::kSecondKey | Lexicon::fingerprint(ws.key(static_cast<std::uint32_t>(j)));
        next_norm = Lexicon::kSecondKey | Lexicon::kSecondExact | Lexicon::fingerprint(ws.buf.norm(toks[j]));
      }
    }
    for (int pass = 0; pass < 2 && best == nullptr; ++pass) {
      for (const std::uint32_t p : pass == 0 ? lex.phrases_by_key : lex.phrases_by_norm) {
        const std::uint64_t second = lexicon_.second_key(p);
        if (second != 0 && second != ((second & Lexicon::kSecondExact) != 0 ? next_norm : next_key)) continue;
        const LexEntry& e = lexicon_.entry(p);
        const bool exact = (e.tags & kTagExact) != 0;
        std::size_t j = i;
        std::size_t k = 0;
        std::size_t last = i;
        while (k < e.keys.size() && j < n) {
          const Token& u = toks[j];
          if (u.kind == TokenKind::quote) {
            ++j;
            continue;
          }
          if (!is_content(u.kind)) break;
          const std::string_view key = exact ? ws.buf.norm(u) : ws.key(static_cast<std::uint32_t>(j));
          if (!fast_equal(key, e.keys[k])) break;
          last = j;
          ++j;
          ++k;
        }
        if (k == e.keys.size()) {
          best = &e;
          best_last = last;
          break;
        }
      }
    }
    if (best == nullptr) best = lex.single;
    bool prefix_negated = false;
    if (best == nullptr && t.kind == TokenKind::word) {
      best = lex.prefix;
      prefix_negated = best != nullptr;
    }
    if (best != nullptr) {
      ws.hits.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(best_last), best, prefix_negated});
    }
    i = best_last + 1;
  }
}

void Engine::apply_rules(std::string_view text, Workspace& ws) const {
  (void)text;
  const auto& toks = ws.buf.tokens;
  ws.raw.clear();
  ws.sentence_tokens.clear();
  ws.sentence_sum.clear();
  std::uint32_t begin = 0;
  const auto n = static_cast<std::uint32_t>(toks.size());
  bool contrast_at_start = false;
  std::size_t previous_raw = 0;  // raw contributions are appended sentence by sentence
  for (std::uint32_t i = 0; i <= n; ++i) {
    if (i < n && toks[i].kind != TokenKind::sentence_end) continue;
    const std::uint32_t end = i < n ? i + 1 : n;
    bool has_content = false;
    for (std::uint32_t k = begin; k < end && !has_content; ++k) has_content = toks[k].kind != TokenKind::sentence_end;
    if (has_content) {
      const auto sentence = static_cast<std::uint32_t>(ws.sentence_sum.size());
      ws.sentence_tokens.push_back(begin);
      ws.sentence_tokens.push_back(end);
      ws.sentence_sum.push_back(0);
      const std::size_t this_raw = ws.raw.size();
      score_sentence(sentence, begin, end, ws, contrast_at_start);
      if (contrast_at_start && sentence > 0) {  // "Отлично. Но…": the sentence before weighs less
        for (std::size_t r = previous_raw; r < this_raw; ++r) ws.raw[r].value *= params_.contrast_before;
      }
      previous_raw = this_raw;
    }
    begin = end;
  }
  text_rules(ws);
}

Sentiment Engine::score(std::string_view text, std::optional<double> rating, Lang lang, Workspace& ws) const {
  tokenize(text, ws.buf);
  return score_buffer(text, rating, lang, ws);
}

Sentiment Engine::score_tokenized(std::string_view text, const TokenBuffer& tokens, std::optional<double> rating,
                                  Lang lang, Workspace& ws) const {
  ws.buf = tokens;  // the rules read the tokens from the workspace; copying them costs far less than tokenising
  return score_buffer(text, rating, lang, ws);
}

double Engine::score_value(std::string_view text, const TokenBuffer& tokens, Workspace& ws) const {
  ws.buf = tokens;
  return score_buffer(text, std::nullopt, Lang::automatic, ws, true).score;
}

Sentiment Engine::score_buffer(std::string_view text, std::optional<double> rating, Lang lang, Workspace& ws,
                               bool score_only) const {
  Sentiment out;
  out.lang = detect_language(ws.buf, lang, default_lang_);
  ws.lang = out.lang;
  prepare(ws);
  find_hits(ws);
  apply_rules(text, ws);
  finish(text, rating, ws, out, score_only);
  return out;
}

}  // namespace otklik::sentiment
