#include "daemon/sentiment/text.hpp"
#include "daemon/sentiment/text_internal.hpp"

#include <utf8proc.h>

#include <array>

namespace otklik::sentiment {
namespace {

using namespace detail;

bool starts_with_ci(std::string_view text, std::size_t i, std::string_view prefix) noexcept {
  if (text.size() - i < prefix.size()) return false;
  for (std::size_t k = 0; k < prefix.size(); ++k) {
    char c = text[i + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != prefix[k]) return false;
  }
  return true;
}

/// ASCII bytes that continue a word: letters (lower / upper) and digits; 0 for everything else.
constexpr unsigned char kLower = 1;
constexpr unsigned char kUpper = 2;
constexpr unsigned char kDigit = 3;
constexpr auto kAsciiWord = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = kLower;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = kUpper;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = kDigit;
  return t;
}();

bool is_ascii_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

class Tokenizer {
 public:
  Tokenizer(std::string_view text, TokenBuffer& out) : text_(text), out_(out) {}

  void run() {
    std::size_t i = 0;
    while (i < text_.size()) {
      const std::size_t start = i;
      const char32_t c = next_code_point(text_, i);
      const CharClass k = classify_fast(c);
      switch (k) {
        case CharClass::space: case CharClass::emoji_modifier: case CharClass::other:
        case CharClass::apostrophe: case CharClass::mark:
          if (c == '@' && i < text_.size() && is_ascii_alnum(text_[i])) {
            i = mention(start);
          } else if (c == '#' && i < text_.size()) {
            i = hashtag(start, i);
          } else if (c == '<') {
            i = heart(start, i);
          } else if (c == '^' || c == '*' || c == '>') {
            i = kaomoji(start, i);
          } else if (c == '_') {
            i = crying_face(start, i);
          }
          break;
        case CharClass::newline: sentence_break(start, i, '\n', 1); break;
        case CharClass::letter: case CharClass::digit:
          if (starts_with_ci(text_, start, "http://") || starts_with_ci(text_, start, "https://") ||
              starts_with_ci(text_, start, "www.")) {
            i = url(start);
          } else {
            i = word(start, TokenKind::word);
          }
          break;
        case CharClass::sentence_punct: i = sentence_punct(start); break;
        case CharClass::clause_punct:
          if (c == ':' || c == ';') {
            const std::size_t e = emoticon(start, i, c == ';');
            if (e != i) { i = e; break; }
          }
          push_mark(TokenKind::clause_break, start, i, ',');
          break;
        case CharClass::hyphen: {
          if (c == '-') {
            const std::size_t e = kaomoji(start, i);
            if (e != i) { i = e; break; }
          }
          const bool before_space = start == 0 || text_[start - 1] == ' ' || text_[start - 1] == '\n';
          const bool after_space = i >= text_.size() || text_[i] == ' ' || text_[i] == '\n';
          if (before_space || after_space) push_mark(TokenKind::clause_break, start, i, '-');
          else if (!out_.tokens.empty() && out_.tokens.back().end == start && out_.tokens.back().kind == TokenKind::word)
            hyphen_end_ = i;  // "charisma-free": the next word is joined to this one
          break;
        }
        case CharClass::quote: push_mark(TokenKind::quote, start, i, '"'); break;
        case CharClass::open_paren: i = open_paren(start, i); break;
        case CharClass::close_paren: i = close_paren(start, i); break;
        case CharClass::emoji: i = emoji(start, i); break;
      }
      if (c == '=' ) {
        const std::size_t e = emoticon(start, i, false);
        if (e != i) i = e;
      }
    }
  }

 private:
  Token& push(TokenKind kind, std::size_t begin, std::size_t end) {
    // Built in place: a Token written field by field on the stack and then copied whole makes
    // the copy wait for those narrow stores.
    Token& t = out_.tokens.emplace_back();
    t.kind = kind;
    t.begin = static_cast<std::uint32_t>(begin);
    t.end = static_cast<std::uint32_t>(end);
    t.norm_begin = static_cast<std::uint32_t>(out_.arena.size());
    return t;
  }

  void push_mark(TokenKind kind, std::size_t begin, std::size_t end, char mark, int repeat = 1) {
    Token& t = push(kind, begin, end);
    t.mark = mark;
    t.repeat = static_cast<std::uint8_t>(std::min(repeat, 255));
  }

  void push_text_token(TokenKind kind, std::size_t begin, std::size_t end, std::string_view norm,
                       int repeat = 1) {
    Token& t = push(kind, begin, end);
    out_.arena += norm;
    t.norm_len = static_cast<std::uint32_t>(norm.size());
    t.repeat = static_cast<std::uint8_t>(std::min(repeat, 255));
    t.emphasis = repeat >= 2;
  }

  void sentence_break(std::size_t begin, std::size_t end, char mark, int repeat) {
    if (!out_.tokens.empty() && out_.tokens.back().kind == TokenKind::sentence_end) {
      Token& last = out_.tokens.back();
      if (mark != '\n' && last.mark == '\n') {
        last.mark = mark;
        last.repeat = static_cast<std::uint8_t>(std::min(repeat, 255));
      }
      return;
    }
    push_mark(TokenKind::sentence_end, begin, end, mark, repeat);
  }

  std::size_t sentence_punct(std::size_t start) {
    std::size_t i = start;
    int bangs = 0;
    int questions = 0;
    while (i < text_.size()) {
      std::size_t j = i;
      const char32_t c = decode_utf8(text_, j);
      if (classify(c) != CharClass::sentence_punct) break;
      if (c == '!' || c == 0x203C) ++bangs;
      if (c == '?' || c == 0x2047 || c == 0x2048 || c == 0x2049) ++questions;
      i = j;
    }
    const char mark = questions > 0 ? '?' : (bangs > 0 ? '!' : '.');
    sentence_break(start, i, mark, std::max(1, bangs + questions));
    return i;
  }

  std::size_t url(std::size_t start) {
    std::size_t i = start;
    while (i < text_.size()) {
      std::size_t j = i;
      const char32_t c = decode_utf8(text_, j);
      const CharClass k = classify(c);
      if (k == CharClass::space || k == CharClass::newline || k == CharClass::quote || c == '<' || c == '>') break;
      i = j;
    }
    while (i > start && std::string_view(".,;:!?)'").find(text_[i - 1]) != std::string_view::npos) --i;
    push(TokenKind::url, start, i);
    return i;
  }

  std::size_t mention(std::size_t start) {
    std::size_t i = start + 1;
    while (i < text_.size() && is_ascii_alnum(text_[i])) ++i;
    push(TokenKind::mention, start, i);
    return i;
  }

  std::size_t hashtag(std::size_t start, std::size_t after_hash) {
    std::size_t j = after_hash;
    const CharClass k = classify(decode_utf8(text_, j));
    if (k != CharClass::letter && k != CharClass::digit) return after_hash;
    const std::size_t end = word(after_hash, TokenKind::hashtag);
    out_.tokens.back().begin = static_cast<std::uint32_t>(start);
    return end;
  }

  std::size_t heart(std::size_t start, std::size_t i) {
    if (i < text_.size() && text_[i] == '3' && (i + 1 >= text_.size() || text_[i + 1] < '0' || text_[i + 1] > '9')) {
      push_text_token(TokenKind::emoticon, start, i + 1, "<3");
      return i + 1;
    }
    if (text_.size() - i >= 2 && text_[i] == '/' && text_[i + 1] == '3') {
      push_text_token(TokenKind::emoticon, start, i + 2, "</3");
      return i + 2;
    }
    return i;
  }

  /// ":)" ":-(" ";D" ":'(" "=)" … starting at `start` (the eyes); returns `i` when none.
  std::size_t emoticon(std::size_t start, std::size_t i, bool wink) {
    std::size_t j = i;
    bool tear = false;
    if (j < text_.size() && (text_[j] == '-' || text_[j] == '\'' || text_[j] == '^')) {
      tear = text_[j] == '\'';
      ++j;
    }
    if (j >= text_.size()) return i;
    const char mouth = text_[j];
    // ":c", ":с" (Cyrillic), a sad face of Russian posts — only after a space or at the start and
    // before a space, a mark or the end: "работы:с 9" and "a:c" are no faces.
    const bool cyrillic_es = j + 1 < text_.size() && static_cast<unsigned char>(mouth) == 0xD1 &&
                             static_cast<unsigned char>(text_[j + 1]) == 0x81;
    if (mouth == 'c' || mouth == 'C' || cyrillic_es) {
      const std::size_t n = j + (cyrillic_es ? 2 : 1);
      const bool space_before = start == 0 || text_[start - 1] == ' ' || text_[start - 1] == '\n';
      const bool end_after = n >= text_.size() || text_[n] == ' ' || text_[n] == '\n' || text_[n] == '.' ||
                             text_[n] == ',' || text_[n] == '!' || text_[n] == '?';
      if (!space_before || !end_after || tear) return i;
      push_text_token(TokenKind::emoticon, start, n, ":c", 1);
      return n;
    }
    std::string_view norm;
    switch (mouth) {
      case '*': norm = ":*"; break;  // a kiss (";*" too)
      case ')': case ']': norm = wink ? ";)" : ":)"; break;
      case '(': case '[': norm = tear ? ":'(" : ":("; break;
      case 'D': case 'd': norm = ":d"; break;  // lower case: emoji.tsv's ":D" is case-folded to ":d"
      case 'P': case 'p': norm = ":p"; break;
      case '/': case '\\': norm = ":/"; break;
      case '|': norm = ":|"; break;
      case 'O': case 'o': norm = ":o"; break;
      default: return i;
    }
    if (mouth == 'D' || mouth == 'd' || mouth == 'P' || mouth == 'p' || mouth == 'O' || mouth == 'o' || mouth == '/' ||
        mouth == '*') {
      // ":Pass", "://", "o:Option", "Плюсы:*дёшево" are not faces; ":DD" is.
      const std::size_t n = mouth == 'D' ? run_of(j, 'D') : j + 1;
      if (mouth == 'd' && start > 0 && text_[start - 1] != ' ' && text_[start - 1] != '\n') return i;  // "ответ:d"
      if (n < text_.size() && (is_ascii_alnum(text_[n]) || text_[n] == '/' || static_cast<unsigned char>(text_[n]) >= 0x80))
        return i;
    }
    int repeat = 0;
    while (j < text_.size() && text_[j] == mouth) {
      ++j;
      ++repeat;
    }
    push_text_token(TokenKind::emoticon, start, j, norm, repeat);
    return j;
  }

  std::size_t run_of(std::size_t i, char c) const {
    while (i < text_.size() && text_[i] == c) ++i;
    return i;
  }

  /// Faces drawn with eyes and a nose or mouth between them: "^_^", "^.^", "^^" (joy), "*_*"
  /// (admiration), ">_<", ">.<" (frustration), "-_-" (annoyance or a blank stare: one face, not two
  /// dashes; emoji.tsv gives it no weight). `start` is the first eye, `i` just after it; returns `i`
  /// when none.
  std::size_t kaomoji(std::size_t start, std::size_t i) {
    const char eye = text_[start];
    const char other_eye = eye == '>' ? '<' : eye;
    std::size_t end = i;
    if (eye == '^' && i < text_.size() && text_[i] == '^') {
      end = i + 1;
    } else if (text_.size() - i >= 2 && text_[i + 1] == other_eye &&
               (text_[i] == '_' || (text_[i] == '.' && (eye == '^' || eye == '>')))) {
      end = i + 2;
    } else {
      return i;
    }
    // "a^_^b", "x-_-y" and "^^2" are no faces.
    if ((start > 0 && is_ascii_alnum(text_[start - 1])) || (end < text_.size() && is_ascii_alnum(text_[end])))
      return i;
    const std::string_view norm = eye == '^' ? "^_^" : eye == '*' ? "*_*" : eye == '>' ? ">_<" : "-_-";
    push_text_token(TokenKind::emoticon, start, end, norm);
    return end;
  }

  /// "Т_Т", "т_т", "T_T": two eyes in tears. `start` is the "_" after a one-letter word "т" / "t";
  /// the word becomes part of the face. Returns `i` when none.
  std::size_t crying_face(std::size_t start, std::size_t i) {
    if (out_.tokens.empty()) return i;
    const Token& prev = out_.tokens.back();
    const std::string_view left = out_.norm(prev);
    if (prev.kind != TokenKind::word || prev.end != start || (left != "т" && left != "t")) return i;
    std::size_t end = i;
    const char32_t right = end < text_.size() ? next_code_point(text_, end) : 0;
    if (right != U'Т' && right != U'т' && right != 'T' && right != 't') return i;
    if (end < text_.size()) {  // "т_тест", "t_t2" are no faces
      std::size_t n = end;
      const CharClass k = classify_fast(next_code_point(text_, n));
      if (k == CharClass::letter || k == CharClass::digit || text_[end] == '_') return i;
    }
    const std::size_t begin = prev.begin;
    const bool upper = prev.caps || prev.capital;
    (prev.script == Script::latin ? out_.letters_latin : out_.letters_cyrillic) -= 1;
    out_.letters_total -= 1;
    if (upper) out_.letters_upper -= 1;
    out_.tokens.pop_back();
    push_text_token(TokenKind::emoticon, begin, end, "т_т");
    return end;
  }

  /// A ")" before the next "(" or line break, within 200 bytes of `i`?
  bool closed_on_line(std::size_t i) const {
    const std::size_t limit = std::min(text_.size(), i + 200);
    for (; i < limit; ++i) {
      if (text_[i] == ')') return true;
      if (text_[i] == '(' || text_[i] == '\n') return false;
    }
    return false;
  }

  std::size_t open_paren(std::size_t start, std::size_t i) {
    const std::size_t end = run_of(i, '(');
    const int run = static_cast<int>(end - start);
    bool opens = false;
    if (run == 1 && end < text_.size()) {
      std::size_t j = end;
      const CharClass k = classify(decode_utf8(text_, j));
      opens = is_word_char(k) || k == CharClass::quote || text_[end] == '@' || text_[end] == '#';
    }
    // "кресло( то, что у окна)": a bracket closed later on its line opens a parenthesis even
    // with a space after it; alone («как всегда(», «смотрят( ну») it is a sad face.
    if (run == 1 && !opens) opens = closed_on_line(end);
    if (opens) {
      ++paren_depth_;
      push_mark(TokenKind::clause_break, start, end, '(');
    } else {
      push_text_token(TokenKind::emoticon, start, end, run == 1 ? "(" : ":(", run);
    }
    return end;
  }

  std::size_t close_paren(std::size_t start, std::size_t i) {
    const std::size_t end = run_of(i, ')');
    int run = static_cast<int>(end - start);
    const bool after_number = !out_.tokens.empty() && out_.tokens.back().kind == TokenKind::number &&
                              out_.tokens.back().end == start;
    if (paren_depth_ > 0 || (after_number && run == 1)) {
      if (paren_depth_ > 0) --paren_depth_;
      push_mark(TokenKind::clause_break, start, start + 1, ')');
      --run;
      if (run == 0) return end;
      start += 1;
    }
    // A lone bracket is a Russian-style smile (weaker, and ignored in English text); a run is a face.
    push_text_token(TokenKind::emoticon, start, end, run == 1 ? ")" : ":)", run);
    return end;
  }

  std::size_t emoji(std::size_t start, std::size_t i) {
    const std::string_view base = text_.substr(start, i - start);
    std::size_t j = i;
    while (j < text_.size()) {
      std::size_t n = j;
      const char32_t c = decode_utf8(text_, n);
      if (!is_emoji_modifier(c) || c == 0x200D) break;
      j = n;
    }
    // Repeats of the same emoji form one token with emphasis.
    int repeat = 1;
    while (text_.substr(j, base.size()) == base && repeat < 255) {
      j += base.size();
      ++repeat;
      while (j < text_.size()) {
        std::size_t n = j;
        const char32_t c = decode_utf8(text_, n);
        if (!is_emoji_modifier(c) || c == 0x200D) break;
        j = n;
      }
    }
    push_text_token(TokenKind::emoji, start, j, base, repeat);
    return j;
  }

  std::size_t word(std::size_t start, TokenKind kind);

  std::string_view text_;
  TokenBuffer& out_;
  int paren_depth_ = 0;
  std::size_t hyphen_end_ = SIZE_MAX;  ///< just after a hyphen inside a compound
};

/// A letter at `i` (any script)?
bool letter_at(std::string_view text, std::size_t i) noexcept {
  if (i >= text.size()) return false;
  return classify_fast(next_code_point(text, i)) == CharClass::letter;
}

std::size_t Tokenizer::word(std::size_t start, TokenKind kind) {
  std::size_t i = start;
  std::size_t end = start;
  std::uint32_t letters = 0, upper = 0, latin = 0, cyrillic = 0;
  bool slow = false;
  bool capital = false;
  bool masked = false;
  char32_t last = 0;
  const std::size_t norm_begin = out_.arena.size();
  const auto* bytes_in = reinterpret_cast<const unsigned char*>(text_.data());
  const std::size_t size = text_.size();
  while (i < size) {
    // Fast paths: runs of ASCII letters and digits, and of basic Cyrillic letters (А–я), folded
    // here without decoding; everything else goes through the general step below.
    if (!slow) {
      std::size_t j = i;
      while (j < size && kAsciiWord[bytes_in[j]] != 0) ++j;
      if (j > i) {
        const std::size_t at = out_.arena.size();
        out_.arena.append(text_.data() + i, j - i);
        for (std::size_t p = i; p < j; ++p) {
          const unsigned char k = kAsciiWord[bytes_in[p]];
          if (k != kDigit) {
            if (letters == 0) capital = k == kUpper;
            ++letters;
            ++latin;
            if (k == kUpper) {
              ++upper;
              out_.arena[at + (p - i)] = static_cast<char>(bytes_in[p] + 32);
            }
          }
        }
        last = bytes_in[j - 1];
        i = end = j;
        continue;
      }
      // A run of basic Cyrillic letters (А–я): found first, copied at once, then its capitals
      // folded in place; appending two bytes at a time cost more than the rest of the run.
      while (j + 1 < size) {
        const unsigned char b0 = bytes_in[j];
        const unsigned char b1 = bytes_in[j + 1];
        if (!((b0 == 0xD0 && b1 >= 0x90 && b1 <= 0xBF) || (b0 == 0xD1 && b1 >= 0x80 && b1 <= 0x8F))) break;
        j += 2;
      }
      if (j > i) {
        if (letters == 0 && bytes_in[i] == 0xD0) capital = bytes_in[i + 1] <= 0xAF;
        const std::size_t at = out_.arena.size();
        out_.arena.append(text_.data() + i, j - i);
        char* folded = out_.arena.data() + at;
        for (std::size_t p = i; p < j; p += 2, folded += 2) {
          const unsigned char b1 = bytes_in[p + 1];
          if (bytes_in[p] != 0xD0 || b1 > 0xAF) continue;
          ++upper;
          if (b1 <= 0x9F) {  // А–П → а–п
            folded[1] = static_cast<char>(b1 + 0x20);
          } else {  // Р–Я → р–я
            folded[0] = static_cast<char>(0xD1);
            folded[1] = static_cast<char>(b1 - 0x20);
          }
        }
        letters += static_cast<std::uint32_t>((j - i) / 2);
        cyrillic += static_cast<std::uint32_t>((j - i) / 2);
        last = ((static_cast<char32_t>(bytes_in[j - 2]) & 0x1F) << 6) | (bytes_in[j - 1] & 0x3F);
        i = end = j;
        continue;
      }
    }
    std::size_t j = i;
    const char32_t c = next_code_point(text_, j);
    const CharClass k = classify_fast(c);
    if (is_word_char(k)) {
      if (k == CharClass::letter) {
        if (letters == 0) capital = is_upper(c);
        ++letters;
        if (c < 0x80) {
          ++latin;
          if (c <= 'Z') ++upper;
        } else if (c >= 0x400 && c <= 0x45F) {
          ++cyrillic;
          if (c <= 0x42F) ++upper;
        } else {
          if (is_upper(c)) ++upper;
          if (is_latin(c)) ++latin;
          else if (is_cyrillic(c)) ++cyrillic;
        }
      }
      const char32_t folded = fold_fast(c);
      if (folded == 0) slow = true;
      else if (!slow) append_small(out_.arena, folded);
      last = c;
      i = j;
      end = j;
      continue;
    }
    if (c == '*' && letters > 0 && kind == TokenKind::word && (start == 0 || text_[start - 1] != '*')) {
      // "s***", "f*ck", "pi**ed", "б**дь": a swear word with letters starred out. One trailing
      // star is a footnote ("great*"); a long word before stars is emphasis ("***SPOILERS***").
      std::size_t s = i;
      while (s < size && text_[s] == '*') ++s;
      if (letter_at(text_, s) || (s - i >= 2 && letters <= 3)) {
        out_.arena.append(s - i, '*');
        masked = true;
        i = end = s;
        continue;
      }
    }
    if (j < text_.size() && (k == CharClass::apostrophe || ((c == '.' || c == ',') && last >= '0' && last <= '9'))) {
      std::size_t n = j;
      const char32_t next = decode_utf8(text_, n);
      const CharClass nk = classify(next);
      const bool joins = k == CharClass::apostrophe ? nk == CharClass::letter : (next >= '0' && next <= '9');
      if (joins && letters + (k == CharClass::apostrophe ? 0U : 1U) > 0) {
        i = j;
        continue;
      }
    }
    break;
  }
  const std::string_view bytes = text_.substr(start, end - start);
  if (slow || out_.arena.size() - norm_begin != bytes.size()) {
    // Rare: letters outside ASCII/basic Cyrillic, or apostrophes inside the word.
    out_.arena.resize(norm_begin);
    if (slow) {
      append_normalized_slow(bytes, out_.arena);
    } else {
      for (std::size_t p = 0; p < bytes.size();) {
        char32_t c = decode_utf8(bytes, p);
        c = classify(c) == CharClass::apostrophe ? U'\'' : fast_fold(c);
        append_utf8(out_.arena, c);
      }
    }
  }
  Token& t = push(letters == 0 && kind == TokenKind::word ? TokenKind::number : kind, start, end);
  if (latin > 0 && cyrillic > latin) {  // "сбeр": Latin look-alikes inside a Cyrillic word
    std::string fixed;
    const std::string_view w(out_.arena.data() + norm_begin, out_.arena.size() - norm_begin);
    for (std::size_t p = 0; p < w.size();) {
      const char32_t c = decode_utf8(w, p);
      const char32_t cy = cyrillic_lookalike(c);
      append_utf8(fixed, cy != 0 ? cy : c);
    }
    out_.arena.resize(norm_begin);
    out_.arena += fixed;
    cyrillic += latin;
    latin = 0;
  }
  t.norm_begin = static_cast<std::uint32_t>(norm_begin);
  t.norm_len = static_cast<std::uint32_t>(out_.arena.size() - norm_begin);
  t.emphasis = !masked && collapse_runs(out_.arena, norm_begin, t);
  t.capital = capital;
  t.masked = masked;
  t.joined = start == hyphen_end_;
  t.script = latin > 0 && cyrillic > 0 ? Script::mixed
             : latin > 0               ? Script::latin
             : cyrillic > 0            ? Script::cyrillic
                                       : Script::none;
  t.caps = letters >= 2 && upper == letters;
  out_.letters_latin += latin;
  out_.letters_cyrillic += cyrillic;
  out_.letters_upper += upper;
  out_.letters_total += letters;
  return end == start ? start + 1 : end;
}

}  // namespace

void tokenize(std::string_view text, TokenBuffer& out) {
  out.clear();
  constexpr std::size_t kMax = std::size_t{1} << 31;
  if (text.size() > kMax) text = text.substr(0, kMax);
  Tokenizer(text, out).run();
}

}  // namespace otklik::sentiment
