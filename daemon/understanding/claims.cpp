#include "daemon/understanding/claims.hpp"

#include "daemon/core/utf8.hpp"
#include "daemon/sentiment/text.hpp"
#include "daemon/understanding/clauses.hpp"
#include "daemon/understanding/word_set.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

namespace otklik::understanding {
namespace {

using sentiment::TokenBuffer;
using sentiment::TokenKind;

/// Word sequences (normalised: case folded, ё→е) that open a clause without being its point.
/// A greeting counts only when a mark follows it («Здравствуйте, …», "Hi, …").
constexpr std::array<std::string_view, 18> kGreetings{
    "здравствуйте", "здравствуй", "привет", "приветствую", "добрый день", "добрый вечер", "доброе утро",
    "доброго дня", "доброго времени суток", "доброго времени", "доброй ночи", "hello", "hi", "hey",
    "good morning", "good afternoon", "good evening", "greetings"};
constexpr std::array<std::string_view, 22> kConnectives{
    "да еще и", "да еще", "так еще и", "так еще", "еще и", "а также", "кроме того", "а", "но", "и", "плюс",
    "также", "причем", "вдобавок", "однако", "and", "but", "also", "plus", "yet", "however", "moreover"};

/// The first words of the phrases of a list: a clause that starts with none of them needs no
/// comparison with each phrase (asked at every clause of every negative text).
template <class List>
constexpr WordFilter first_words(const List& phrases) {
  WordFilter f;
  for (const std::string_view p : phrases) f.add(p.substr(0, p.find(' ')));
  return f;
}
constexpr WordFilter kGreetingStarts = first_words(kGreetings);
constexpr WordFilter kConnectiveStarts = first_words(kConnectives);

bool is_mark(TokenKind k) { return k == TokenKind::clause_break || k == TokenKind::sentence_end; }

/// How many tokens from `i` a phrase of `list` covers (0 when none matches; longer phrases
/// come before their prefixes in the lists).
std::size_t match(const TokenBuffer& buf, std::size_t i, std::size_t end, auto const& list, const WordFilter& starts) {
  // Every phrase needs a word at `i` equal to its first word: a phrase that does not even start
  // with that word is passed over before the walk below (asked at every clause of every negative
  // text, the walk's search for spaces was most of the cost).
  if (i >= end || buf.tokens[i].kind != TokenKind::word) return 0;
  const std::string_view first = buf.norm(buf.tokens[i]);
  if (!starts.may_hold(first)) return 0;
  for (std::string_view phrase : list) {
    if (!phrase.starts_with(first) || (phrase.size() > first.size() && phrase[first.size()] != ' ')) continue;
    std::size_t k = i;
    for (;;) {
      const std::size_t space = phrase.find(' ');
      const std::string_view w = phrase.substr(0, space);
      if (k >= end || buf.tokens[k].kind != TokenKind::word || buf.norm(buf.tokens[k]) != w) break;
      ++k;
      if (space == std::string_view::npos) return k - i;
      phrase.remove_prefix(space + 1);
    }
  }
  return 0;
}

/// The token where the point of the clause in tokens [first, end) of `buf` starts: past leading
/// greetings («Здравствуйте,») and connectives («но», «да ещё и», "and", "but also"), as long as
/// a word is left; `first` when there are none.
std::size_t lead_end(const TokenBuffer& buf, std::size_t first, std::size_t end) {
  const auto& toks = buf.tokens;
  std::size_t last_word = end;
  for (std::size_t k = end; k-- > first;)
    if (toks[k].kind == TokenKind::word) {
      last_word = k;
      break;
    }
  std::size_t i = first;
  std::size_t kept = first;  // the first token of the point as found so far
  for (;;) {
    std::size_t n = match(buf, i, end, kGreetings, kGreetingStarts);
    if (n > 0 && !(i + n < end && is_mark(toks[i + n].kind))) n = 0;
    if (n == 0) n = match(buf, i, end, kConnectives, kConnectiveStarts);
    if (n == 0) break;
    i += n;
    while (i < end && (is_mark(toks[i].kind) || toks[i].kind == TokenKind::other)) ++i;
    if (last_word == end || i > last_word) break;  // nothing would be left
    kept = i;
  }
  return kept;
}

/// Byte offset into `text` where the point of the clause `span` starts (lead_end above).
/// `whole` holds the tokens of all of `text`; the clause's tokens are read from it rather than
/// by tokenising the clause again. The tokeniser reads a little context — an open bracket
/// before the clause turns its ")" into a mark, a "*" before it unmasks a starred word — so a
/// clause with a bracket or after a "*" is tokenised on its own, as it always was: the two
/// readings agree everywhere else.
std::size_t point_begin(std::string_view text, Span span, const TokenBuffer& whole, TokenBuffer& scratch) {
  const std::string_view clause = text.substr(span.begin, span.end - span.begin);
  // A loop, not find_first_of("()"), which searches the two marks once per byte of the clause.
  const bool bracket = std::any_of(clause.begin(), clause.end(), [](char c) { return c == '(' || c == ')'; });
  if (bracket || (span.begin > 0 && text[span.begin - 1] == '*')) {
    sentiment::tokenize(clause, scratch);
    const std::size_t kept = lead_end(scratch, 0, scratch.tokens.size());
    return span.begin + (kept == 0 ? 0 : scratch.tokens[kept].begin);
  }
  const auto& toks = whole.tokens;
  const auto by_begin = [](const sentiment::Token& t, std::size_t at) { return t.begin < at; };
  const auto first = static_cast<std::size_t>(std::lower_bound(toks.begin(), toks.end(), span.begin, by_begin) - toks.begin());
  const auto end = static_cast<std::size_t>(std::lower_bound(toks.begin() + static_cast<std::ptrdiff_t>(first), toks.end(),
                                                             span.end, by_begin) - toks.begin());
  const std::size_t kept = lead_end(whole, first, end);
  return kept == first ? span.begin : toks[kept].begin;
}

/// What an ASCII byte of a clause means for reading the clause's tokens from the text's:
/// printable ASCII, tab and line breaks stand (kPlain), but the marks whose tokens depend on what
/// stands around them — brackets (a smile or a bracket, by depth), "*" (masked words), "=" (an
/// emoticon's eyes), "^" and ">" (faces drawn with eyes) — do not (kOut); ":", ";" (emoticons
/// such as ":c", a face only after a space) and "_" ("т_т" is a face alone but three tokens
/// before another "_") stand where the tokens say so (kAsk). Bytes from 0x80 are asked in pairs.
enum ClauseByte : unsigned char { kOut, kPlain, kAsk };
constexpr auto kClauseByte = [] {
  std::array<ClauseByte, 128> t{};
  for (int c = 0x20; c < 0x7F; ++c) t[static_cast<std::size_t>(c)] = kPlain;
  for (const char c : {'(', ')', '*', '=', '^', '>'}) t[static_cast<unsigned char>(c)] = kOut;
  for (const char c : {':', ';', '_'}) t[static_cast<unsigned char>(c)] = kAsk;
  t['\t'] = t['\n'] = t['\r'] = kPlain;
  return t;
}();

}  // namespace

bool tokens_of_clause(std::string_view text, const TokenBuffer& whole, std::size_t begin, std::size_t end,
                      TokenBuffer& out) {
  // Only ASCII and Cyrillic letters (А–я, Ё, ё: two bytes each), « and » (quote marks, which
  // read no context), without the marks that read context: there each token stands as it would
  // in the clause alone, and a word's letters are counted from its bytes as the tokeniser counts
  // them. ":", ";" and "_" stand too where the context they read is the same in both readings
  // (checked below, once the tokens are found): inside a link, which the tokeniser reads to its
  // end whatever stands before it, or a mention ("_"), and ":" or ";" before a space, which no
  // face starts. Links and such marks in tweets made most of the clauses tokenised again.
  const auto* b = reinterpret_cast<const unsigned char*>(text.data());
  bool marks = false;  // a ":", ";" or "_" to be checked against the tokens
  for (std::size_t i = begin; i < end; ++i) {
    const unsigned char c = b[i];
    if (c < 0x80) {
      const ClauseByte k = kClauseByte[c];
      if (k == kOut) return false;
      marks = marks || k == kAsk;
      continue;
    }
    if (i + 1 >= end) return false;
    const unsigned next = b[i + 1];
    const bool pair = (c == 0xD0 && (next - 0x90u <= 0xBFu - 0x90u || next == 0x81)) ||  // А–п, Ё
                      (c == 0xD1 && (next - 0x80u <= 0x8Fu - 0x80u || next == 0x91)) ||  // р–я, ё
                      (c == 0xC2 && (next == 0xAB || next == 0xBB));                     // « »
    if (!pair) return false;
    ++i;
  }
  const auto& toks = whole.tokens;
  const auto by_begin = [](const sentiment::Token& t, std::size_t at) { return t.begin < at; };
  const auto first = static_cast<std::size_t>(std::lower_bound(toks.begin(), toks.end(), begin, by_begin) - toks.begin());
  if (first > 0 && toks[first - 1].end > begin) return false;  // a token reaching into the clause
  std::size_t last = first;  // one past the clause's last token
  while (last < toks.size() && toks[last].begin < end) {
    if (toks[last].end > end) return false;  // a token reaching past the clause
    ++last;
  }
  // A word joined by a hyphen to the word before the clause is joined only in the text.
  if (first < last && toks[first].joined) return false;
  // Only spaces before its first token and after its last: a mark there may be a token of the
  // clause alone but none in the text (a line break or "." after a sentence's end is part of that
  // token, a hyphen between two words joins them; alone, both are marks).
  const auto spaces = [b](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i)
      if (b[i] != ' ' && b[i] != '\t') return false;
    return true;
  };
  if (first == last) return spaces(begin, end) && (out.clear(), true);
  if (!spaces(begin, toks[first].begin) || !spaces(toks[last - 1].end, end)) return false;
  // A sentence's end takes in the marks and line breaks after it: in the text, those past the
  // clause may have changed it.
  if (toks[last - 1].kind == TokenKind::sentence_end) return false;
  if (marks) {
    std::size_t k = first;  // the first token not ending before the byte asked
    for (std::size_t i = begin; i < end; ++i) {
      if (b[i] != ':' && b[i] != ';' && b[i] != '_') continue;
      while (k < last && toks[k].end <= i) ++k;
      if (k == last || toks[k].begin > i) return false;  // in no token: "_" between words
      const sentiment::Token& t = toks[k];
      const bool link = t.kind == TokenKind::url || (b[i] == '_' && t.kind == TokenKind::mention);
      // A mark of its own before a space: emoticon() reads the byte after it, finds no face.
      const bool mark = b[i] != '_' && t.kind == TokenKind::clause_break && t.begin == i && t.end == i + 1 &&
                        i + 1 < end && b[i + 1] == ' ';
      if (!link && !mark) return false;
    }
  }
  out.clear();
  // The forms of tokens [first, last) lie together in the arena, in token order (each token's
  // normalised and collapsed forms are appended before the next token's).
  const std::uint32_t from = toks[first].norm_begin;
  const std::size_t to = last < toks.size() ? toks[last].norm_begin : whole.arena.size();
  out.arena.assign(whole.arena, from, to - from);
  out.tokens.assign(toks.begin() + static_cast<std::ptrdiff_t>(first), toks.begin() + static_cast<std::ptrdiff_t>(last));
  const auto at = static_cast<std::uint32_t>(begin);
  for (sentiment::Token& t : out.tokens) {
    t.begin -= at;
    t.end -= at;
    t.norm_begin -= from;
    if (t.alt_len > 0) t.alt_begin -= from;
    if (t.kind != TokenKind::word && t.kind != TokenKind::number && t.kind != TokenKind::hashtag) continue;
    // Letters as the tokeniser counts them: ASCII letters are Latin, pairs are Cyrillic; a word
    // with more Cyrillic than Latin letters counts its Latin look-alikes as Cyrillic.
    std::uint32_t latin = 0, cyrillic = 0, upper = 0;
    for (std::size_t i = begin + t.begin; i < begin + t.end; ++i) {
      const unsigned char c = b[i];
      if (c >= 0x80) {
        ++cyrillic;
        if (c == 0xD0 && b[i + 1] <= 0xAF) ++upper;
        ++i;
      } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        ++latin;
        if (c <= 'Z') ++upper;
      }
    }
    const std::uint32_t letters = latin + cyrillic;
    if (latin > 0 && cyrillic > latin) {
      cyrillic += latin;
      latin = 0;
    }
    out.letters_latin += latin;
    out.letters_cyrillic += cyrillic;
    out.letters_upper += upper;
    out.letters_total += letters;
  }
  return true;
}

namespace {

/// Whether the clause starting at `begin` is an item of a list: only a list mark («1)», «2.»,
/// «-», «•», «*», «–») and spaces stand between it and the start of its line.
bool list_item(std::string_view text, std::size_t begin) {
  std::size_t i = begin;
  auto spaces = [&] {
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) --i;
  };
  auto ends_with = [&](std::string_view mark) { return i >= mark.size() && text.substr(i - mark.size(), mark.size()) == mark; };
  auto digit = [&] { return i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9'; };
  spaces();
  if (ends_with("\u2022") || ends_with("\u2013") || ends_with("\u2014")) {
    i -= 3;
  } else if (ends_with("-") || ends_with("*")) {
    --i;
  } else if (ends_with(")") || ends_with(".")) {
    --i;
    if (!digit()) return false;
    for (int n = 0; n < 3 && digit(); ++n) --i;
  } else {
    return false;
  }
  spaces();
  return i == 0 || text[i - 1] == '\n';
}

/// Whether the clause ending at `end` heads what follows: a colon closes its line
/// («Претензии:\n1) …», "Problems:\n- …").
bool heading(std::string_view text, std::size_t end) {
  std::size_t i = end;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (i >= text.size() || text[i] != ':') return false;
  ++i;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
  return i >= text.size() || text[i] == '\n';
}

/// Whether the clause starting at `next` was split from the one ending at `end` at a bare
/// coordinating word: only spaces lie between them, no mark (clauses.hpp, rule 4).
bool joined_bare(std::string_view text, std::size_t end, std::size_t next) {
  if (next <= end || next > text.size()) return false;
  return text.substr(end, next - end).find_first_not_of(" \t") == std::string_view::npos;
}

/// A claim of `text`'s span [begin, end).
Claim make_claim(std::string_view text, std::size_t begin, std::size_t end, double score,
                 std::vector<std::string> topics, std::size_t max_chars) {
  Claim c;
  c.begin = begin;
  c.end = end;
  c.text = cut_at_word(text.substr(begin, end - begin), max_chars);
  c.score = score;
  c.topics = std::move(topics);
  return c;
}


/// sanitize_utf8(text), without decoding when the text is valid (most of it, eight bytes at a time).
std::string sanitized(std::string_view text) {
  return valid_utf8(text) ? std::string(text) : sanitize_utf8(text);
}

}  // namespace

std::string cut_at_word(std::string_view text, std::size_t max_chars) {
  // The byte end of the first `n` code points.
  auto prefix = [&](std::size_t n) {
    std::size_t i = 0;
    for (std::size_t k = 0; k < n && i < text.size(); ++k) decode_utf8(text, i);
    return i;
  };
  // A text of no more bytes than max_chars has no more code points either: no need to count them.
  if (text.size() <= max_chars || prefix(max_chars) >= text.size()) return sanitized(text);
  if (max_chars == 0) return {};
  std::size_t cut = prefix(max_chars - 1);  // room for the ellipsis
  const std::size_t space = text.substr(0, cut).find_last_of(" \n\t");
  if (space != std::string_view::npos && space > cut / 2) cut = space;
  std::string out = sanitized(text.substr(0, cut));
  while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == ';' || out.back() == ':')) out.pop_back();
  return out + "\u2026";
}

std::vector<Claim> extract_claims(std::string_view scored_text, const Sentiment& whole, const Scorer& scorer,
                                  const TopicFn& topics, const ClaimOptions& options) {
  if (whole.label != Label::negative || options.max_claims == 0) return {};
  TokenBuffer scored_tokens;
  sentiment::tokenize(scored_text, scored_tokens);
  TokenTopicFn by_text;
  if (topics) by_text = [&](std::string_view clause, const TokenBuffer&) { return topics(clause); };
  return extract_claims(scored_text, scored_tokens, whole, scorer, by_text, options);
}

std::vector<Claim> extract_claims(std::string_view scored_text, const TokenBuffer& whole_tokens, const Sentiment& whole,
                                  const Scorer& scorer, const TokenTopicFn& topics, const ClaimOptions& options) {
  std::vector<Claim> claims;
  if (whole.label != Label::negative || options.max_claims == 0) return claims;
  TokenBuffer clause_tokens;  // the tokens of the clause being judged
  auto topics_of = [&](std::string_view s, const TokenBuffer& tokens) {
    return topics ? topics(s, tokens) : std::vector<std::string>{};
  };

  // One clause, scored and tagged on its own.
  struct Piece {
    std::size_t span_begin = 0;  ///< where the clause starts (list marks are looked for before it)
    std::size_t begin = 0;       ///< where its point starts: past greetings and connectives
    std::size_t end = 0;
    double score = 0;
    std::vector<std::string> topics;
    bool claim = false;  ///< a claim on its own
    bool stale = false;  ///< grown since it was last judged: sentiment, topics and claim are old
  };
  TokenBuffer buf;
  const auto judge = [&](Piece& p) {
    const std::string_view clause = scored_text.substr(p.begin, p.end - p.begin);
    // A clause that is the whole text has the whole text's tokens and, scored the same way, its
    // score: neither is computed again.
    const bool whole_text = options.whole_is_clause_score && p.begin == 0 && p.end == scored_text.size();
    const TokenBuffer& tokens = whole_text ? whole_tokens : clause_tokens;
    p.score = whole.score;
    if (!whole_text) {
      // Each clause finds its own language: a mention may mix Russian and English. Its tokens
      // are the text's where they stand as they would alone.
      if (!tokens_of_clause(scored_text, whole_tokens, p.begin, p.end, clause_tokens))
        sentiment::tokenize(clause, clause_tokens);
      p.score = scorer.score_value(clause, clause_tokens);
    }
    const double score = p.score;
    const bool negative = score <= options.max_score;
    // A clause that is neither negative nor below the praise floor is no claim whatever its
    // topics, and a piece's topics are read only when it is kept as a claim (a segment that
    // grows is judged again): tagging it would be wasted.
    if (!negative && score >= options.positive_floor) {
      p.topics.clear();
      p.claim = false;
      return;
    }
    p.topics = topics_of(clause, tokens);
    const bool topical = !p.topics.empty() && score < options.positive_floor;
    const bool listed = score < options.positive_floor && list_item(scored_text, p.span_begin);
    p.claim = negative || topical || listed;
  };
  // A joined segment is judged only when its verdict is read: when it is kept, or when a claim
  // after it asks whether it holds one. A clause that is no claim joins it whatever its verdict,
  // so judging it at every clause that grows it (as it was) gave verdicts no one read; judging is
  // a pure function of the piece's bounds, so the verdicts read are the same.
  const auto judged = [&](Piece& p) -> Piece& {
    if (p.stale) {
      judge(p);
      p.stale = false;
    }
    return p;
  };
  const auto keep = [&](Piece& p) {
    if (!judged(p).claim) return;
    claims.push_back(make_claim(scored_text, p.begin, p.end, p.score, std::move(p.topics), options.max_chars));
  };

  // Clauses split at a bare "and" / «и» (clauses.hpp, rule 4) stay apart only when each is a claim
  // on its own; any other clause rejoins the one next to it, so that such a split never loses
  // words: "SIM swap took 3 visits and I was without service for 2 days" stays one claim, "Seat
  // wouldn't recline and the screen was dead" may be a claim only as a whole.
  std::optional<Piece> segment;  // the clauses joined so far
  const auto close = [&] {
    if (segment) keep(*segment);
    segment.reset();
  };
  const std::vector<Span> clauses = split_clauses(scored_text, whole_tokens);
  std::size_t previous_end = std::string_view::npos;
  for (const Span& span : clauses) {
    const bool joined = previous_end != std::string_view::npos && joined_bare(scored_text, previous_end, span.begin);
    previous_end = span.end;
    if (!joined) close();
    if (heading(scored_text, span.end)) {
      close();
      continue;
    }
    Piece p;
    p.span_begin = span.begin;
    p.begin = point_begin(scored_text, span, whole_tokens, buf);
    p.end = span.end;
    judge(p);
    // A joined claim is scored again as it grows: a bound keeps a text of a million "and"s linear.
    constexpr std::size_t kMaxJoined = 1000;  // bytes
    if (!segment || (p.claim && judged(*segment).claim) || p.end - segment->begin > kMaxJoined) {
      close();
      segment = std::move(p);
      continue;
    }
    // A clause that is no claim joins the claim before it, or a claim joins such clauses before it.
    segment->end = p.end;
    segment->stale = true;
  }
  close();

  if (claims.empty()) {
    // The mention is negative as a whole: its most negative sentence is the point, trimmed to
    // the clauses inside it (or of spaces when it holds none, e.g. a run of emoji).
    const SentenceScore* worst = nullptr;
    for (const auto& s : whole.sentences)
      if (s.end > s.begin && s.end <= scored_text.size() && (worst == nullptr || s.score < worst->score)) worst = &s;
    if (worst != nullptr) {
      std::size_t begin = worst->end, end = worst->begin;
      for (const Span& c : clauses) {
        if (c.begin < worst->begin || c.end > worst->end) continue;
        begin = std::min(begin, c.begin);
        end = std::max(end, c.end);
      }
      if (begin >= end) {
        begin = worst->begin;
        end = worst->end;
        auto space = [&](std::size_t i) { return std::string_view(" \t\r\n").find(scored_text[i]) != std::string_view::npos; };
        while (begin < end && space(begin)) ++begin;
        while (end > begin && space(end - 1)) --end;
      }
      if (begin < end) {
        const std::string_view text = scored_text.substr(begin, end - begin);
        sentiment::tokenize(text, clause_tokens);
        claims.push_back(
            make_claim(scored_text, begin, end, worst->score, topics_of(text, clause_tokens), options.max_chars));
      }
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
