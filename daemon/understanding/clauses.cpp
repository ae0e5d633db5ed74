#include "daemon/understanding/clauses.hpp"

#include "daemon/understanding/word_set.hpp"
#include "daemon/sentiment/text.hpp"
#include "daemon/understanding/clause_shape.hpp"

#include <algorithm>
#include <array>
#include <span>

namespace otklik::understanding {
namespace {

using sentiment::Token;
using sentiment::TokenBuffer;
using sentiment::TokenKind;

// Normalised forms (case folded, ё→е).
constexpr std::array<std::string_view, 36> kCoordinating{
    "а",     "но",      "и",        "еще",   "да",     "плюс",    "потом",   "затем",  "также",
    "причем", "вдобавок", "кроме",  "так",   "зато",   "однако",  "опять",   "снова",  "тоже",
    "and",   "but",     "then",     "plus",  "also",   "yet",     "however", "besides", "moreover",
    "after", "or",      "instead",  "still", "though", "или",     "либо",    "хотя",    "даже"};

constexpr std::array<std::string_view, 42> kSubordinate{
    "который", "которая", "которое", "которые", "которого", "которой", "которому", "которым",
    "которых", "которую", "которыми", "что",    "чтобы",    "где",     "куда",     "откуда",
    "когда",   "если",    "как",     "потому",  "поскольку", "пока",   "чем",      "чей",
    "чья",     "which",   "who",     "whom",    "whose",    "that",    "where",    "when",
    "because", "if",      "since",   "while",   "unless",   "until",   "whether",  "what",
    "how",     "why"};

/// Coordinating words that join two clauses without a comma ("…never arrived and support keeps…",
/// «ждал час а никто не подошёл»): they split only between two runs that each look like a clause.
constexpr std::array<std::string_view, 5> kJoining{"and", "but", "и", "а", "но"};


/// Subordinate words that keep a clause open: a bare "and" after one joins within it ("said that
/// the refund would come and the card would be unblocked"). "that", "what", "how", «как», «чем»
/// are left out: they are as often a determiner, a question or a comparison.
bool opens_subordinate(std::string_view w) {
  return listed<kSubordinate>(w) && w != "that" && w != "what" && w != "how" && w != "как" && w != "чем";
}

bool is_word(const Token& t) { return t.kind == TokenKind::word || t.kind == TokenKind::number; }
bool is_content(const Token& t) {
  return t.kind != TokenKind::sentence_end && t.kind != TokenKind::clause_break && t.kind != TokenKind::other;
}

/// A piece of a sentence: tokens [first, last) and its word count.
struct Piece {
  std::size_t first = 0;
  std::size_t last = 0;
  int words = 0;
};

/// Counts over runs of tokens as prefix sums — words, words that serve as a verb, subordinate
/// words — so that any run is counted in O(1) and a sentence of a million commas or "and"s that
/// never split stays linear. The verb and subordinate counts are filled only as far as they are
/// asked for: only a bare "and" / «и» asks, and most texts have none.
class WordCounts {
 public:
  explicit WordCounts(const TokenBuffer& buf) : buf_(buf), sums_(buf.tokens.size() + 1) {
    for (std::size_t i = 0; i < buf.tokens.size(); ++i)
      sums_[i + 1].words = sums_[i].words + (buf.tokens[i].kind == TokenKind::word ? 1 : 0);
  }
  /// Words among tokens [first, last).
  [[nodiscard]] int operator()(std::size_t first, std::size_t last) const { return sums_[last].words - sums_[first].words; }
  /// Words that serve as a verb among tokens [first, last) (clause_shape.hpp).
  [[nodiscard]] int verbs(std::size_t first, std::size_t last) {
    for (; verbs_done_ < last; ++verbs_done_) {
      const std::size_t i = verbs_done_;
      const Token& t = buf_.tokens[i];
      const bool word = t.kind == TokenKind::word;
      const std::string_view previous =
          i > 0 && buf_.tokens[i - 1].kind == TokenKind::word ? buf_.norm(buf_.tokens[i - 1]) : std::string_view();
      sums_[i + 1].verbs = sums_[i].verbs + (word && acts_as_verb(buf_.norm(t), previous) ? 1 : 0);
    }
    return sums_[last].verbs - sums_[first].verbs;
  }
  /// Subordinate words among tokens [first, last).
  [[nodiscard]] int subordinates(std::size_t first, std::size_t last) {
    for (; subordinates_done_ < last; ++subordinates_done_) {
      const std::size_t i = subordinates_done_;
      const Token& t = buf_.tokens[i];
      const bool subordinate = t.kind == TokenKind::word && opens_subordinate(buf_.norm(t));
      sums_[i + 1].subordinates = sums_[i].subordinates + (subordinate ? 1 : 0);
    }
    return sums_[last].subordinates - sums_[first].subordinates;
  }

 private:
  /// The counts over tokens [0, i), for each i: one array, one allocation per text.
  struct Sums {
    int words = 0;
    int verbs = 0;         ///< filled up to verbs_done_
    int subordinates = 0;  ///< filled up to subordinates_done_
  };
  const TokenBuffer& buf_;
  std::vector<Sums> sums_;
  std::size_t verbs_done_ = 0;  ///< sums_[i].verbs holds the counts up to this token
  std::size_t subordinates_done_ = 0;
};

/// Whether a bare coordinating word at token `i` (no mark before it) splits: the piece before it
/// has two words or more, a verb and no open subordinate clause, and the words after it, up to the
/// next mark, open a clause with a subject of their own (clause_shape.hpp).
bool joins_two_clauses(const TokenBuffer& buf, WordCounts& counts, std::size_t piece_start, std::size_t i,
                       std::size_t end) {
  const auto& toks = buf.tokens;
  if (i > piece_start && toks[i - 1].kind == TokenKind::clause_break) return false;  // the comma rule decided
  if (counts(piece_start, i) < 2 || counts.verbs(piece_start, i) == 0 || counts.subordinates(piece_start, i) > 0)
    return false;
  constexpr std::size_t kLook = 6;  // opens_clause looks at most this far
  std::array<std::string_view, kLook> words{};
  std::size_t n = 0;
  for (std::size_t k = i + 1; k < end && n < kLook && toks[k].kind != TokenKind::clause_break; ++k) {
    if (toks[k].kind == TokenKind::word) words[n++] = buf.norm(toks[k]);
    else if (toks[k].kind == TokenKind::number) words[n++] = "0";  // "and 3 people were ahead"
  }
  return opens_clause(std::span<const std::string_view>(words.data(), n));
}

/// The span of a piece: from its first content token to its last, skipping list marks.
Span span_of(std::string_view text, const TokenBuffer& buf, const Piece& p) {
  std::size_t a = p.first, b = p.last;
  // Leading list marks: a number followed by ")" or "." ("1)", "2."), or a dash.
  while (a < b) {
    const Token& t = buf.tokens[a];
    if (t.kind == TokenKind::clause_break || t.kind == TokenKind::sentence_end || t.kind == TokenKind::other ||
        t.kind == TokenKind::quote) {
      ++a;
      continue;
    }
    if (t.kind == TokenKind::number && a + 1 < b) {
      const Token& n = buf.tokens[a + 1];
      if ((n.kind == TokenKind::clause_break && n.mark == ')') || n.kind == TokenKind::sentence_end) {
        a += 2;
        continue;
      }
    }
    break;
  }
  while (b > a && !is_content(buf.tokens[b - 1])) --b;
  if (a >= b) return {0, 0};
  Span s{buf.tokens[a].begin, buf.tokens[b - 1].end};
  // A closing quote or bracket right after the last token belongs to it.
  while (s.end < text.size() && (text[s.end] == ')' || text[s.end] == '"')) ++s.end;
  // An opening quote right before the first token belongs to it too.
  if (s.begin > 0 && text[s.begin - 1] == '"') --s.begin;
  return s;
}

}  // namespace

std::vector<Span> split_clauses(std::string_view text) {
  TokenBuffer buf;
  sentiment::tokenize(text, buf);
  return split_clauses(text, buf);
}

std::vector<Span> split_clauses(std::string_view text, const TokenBuffer& buf) {
  const auto& toks = buf.tokens;
  WordCounts count_words(buf);
  std::vector<Span> out;
  out.reserve(8);  // most texts have a few clauses: one allocation rather than growing step by step

  std::vector<Piece> pieces;  // of the sentence being split (one allocation per text, not per sentence)
  pieces.reserve(8);
  std::size_t sentence_start = 0;
  for (std::size_t end = 0; end <= toks.size(); ++end) {
    if (end < toks.size() && toks[end].kind != TokenKind::sentence_end) continue;
    // One sentence: tokens [sentence_start, end).
    pieces.clear();
    std::size_t piece_start = sentence_start;
    int depth = 0;
    bool quoted = false;
    bool subordinate = false;  // a ", который …" clause is open: its closing comma does not split
    for (std::size_t i = sentence_start; i < end; ++i) {
      const Token& t = toks[i];
      if (t.kind == TokenKind::quote) quoted = !quoted;
      if (t.kind == TokenKind::word && depth == 0 && !quoted && listed<kJoining>(buf.norm(t)) &&
          joins_two_clauses(buf, count_words, piece_start, i, end)) {
        // "…never arrived | and support keeps sending…": the coordinating word opens the new piece.
        pieces.push_back({piece_start, i, count_words(piece_start, i)});
        piece_start = i;
        subordinate = false;
        continue;
      }
      if (t.kind != TokenKind::clause_break) continue;
      if (t.mark == '(') {
        ++depth;
        continue;
      }
      if (t.mark == ')') {
        depth = std::max(0, depth - 1);
        continue;
      }
      if (depth > 0 || quoted) continue;
      const bool semicolon = text[t.begin] == ';';
      // The next word after the mark.
      std::size_t j = i + 1;
      while (j < end && !is_word(toks[j]) && toks[j].kind != TokenKind::clause_break) ++j;
      const std::string_view next = j < end && toks[j].kind == TokenKind::word ? buf.norm(toks[j]) : std::string_view();
      bool split = semicolon;
      // "на Ленина, 5", "1,5 часа": a number right after the mark belongs to what precedes it.
      const bool number_next = i + 1 < end && toks[i + 1].kind == TokenKind::number;
      if (!split && !next.empty() && !number_next) {
        if (listed<kSubordinate>(next)) {
          split = false;
          subordinate = true;
        } else if (listed<kCoordinating>(next)) {
          split = count_words(piece_start, i) >= 2;
          subordinate = false;
        } else if (subordinate) {
          split = false;  // "Менеджер, который меня обслуживал, был груб"
          subordinate = false;
        } else {
          // A plain comma: both sides need two words; the right side runs to the next mark.
          std::size_t k = i + 1;
          while (k < end && toks[k].kind != TokenKind::clause_break) ++k;
          split = count_words(piece_start, i) >= 2 && count_words(i + 1, k) >= 2;
        }
      }
      if (split) {
        pieces.push_back({piece_start, i, count_words(piece_start, i)});
        piece_start = i + 1;
      }
    }
    pieces.push_back({piece_start, end, count_words(piece_start, end)});

    // Pieces without words go; short ones join a neighbour. The pieces kept are gathered at the
    // front of `pieces` (a piece is read before its place is written).
    std::size_t kept = 0;
    for (const Piece& p : pieces) {
      if (p.words == 0) continue;
      if (kept > 0 && (p.words < 2 || pieces[kept - 1].words < 2)) {
        pieces[kept - 1].last = p.last;
        pieces[kept - 1].words += p.words;
      } else {
        pieces[kept++] = p;
      }
    }
    for (std::size_t k = 0; k < kept; ++k) {
      const Span s = span_of(text, buf, pieces[k]);
      if (s.end > s.begin) out.push_back(s);
    }
    sentence_start = end + 1;
  }
  return out;
}

}  // namespace otklik::understanding
