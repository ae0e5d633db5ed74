#include "daemon/store/pg/search_words.hpp"

#include "daemon/core/utf8.hpp"

#include <utf8proc.h>

#include <unordered_set>

namespace otklik::store::pg {
namespace {

/// Combining diacritical marks: part of a word, but dropped (unicode61's remove_diacritics).
bool combining_diacritic(char32_t c) noexcept { return c >= 0x300 && c <= 0x36F; }

/// Latin letters that may carry a diacritic: Latin-1 Supplement, Extended-A and -B, Extended
/// Additional.
bool latin_with_diacritics(char32_t c) noexcept { return (c >= 0xC0 && c <= 0x24F) || (c >= 0x1E00 && c <= 0x1EFF); }

bool word_char(char32_t c) noexcept {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_CO:
      return true;
    default:
      return false;
  }
}

/// A word character as it is indexed: lowercased, a Latin letter without its diacritics.
char32_t fold(char32_t c) noexcept {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  c = static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
  if (!latin_with_diacritics(c)) return c;
  utf8proc_int32_t parts[4];
  const auto n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), parts, 4, UTF8PROC_DECOMPOSE, nullptr);
  if (n < 2 || n > 4) return c;
  for (utf8proc_ssize_t i = 1; i < n; ++i)
    if (!combining_diacritic(static_cast<char32_t>(parts[i]))) return c;
  return static_cast<char32_t>(parts[0]);
}

/// Calls `on_word(word)` for each word of `text`, folded and cut to kMaxWordBytes, until it
/// returns false.
template <class OnWord>
void for_each_word(std::string_view text, OnWord&& on_word) {
  std::string word;
  std::size_t i = 0;
  while (i <= text.size()) {
    const bool end = i == text.size();
    const char32_t c = end ? U' ' : decode_utf8(text, i);
    if (end) ++i;
    if (c != kReplacementChar && word_char(c)) {
      if (combining_diacritic(c)) continue;
      const std::size_t before = word.size();
      append_utf8(word, fold(c));
      if (word.size() > kMaxWordBytes) word.resize(before);  // cut at this character's start
      continue;
    }
    if (word.empty()) continue;
    if (!on_word(word)) return;
    word.clear();
  }
}

}  // namespace

std::vector<std::string> search_words(std::string_view text, std::size_t max_words) {
  std::vector<std::string> out;
  if (max_words == 0) return out;
  for_each_word(text, [&](const std::string& w) {
    for (const auto& seen : out)
      if (seen == w) return true;
    out.push_back(w);
    return out.size() < max_words;
  });
  return out;
}

std::string indexed_words(std::string_view title, std::string_view text) {
  std::string out;
  std::unordered_set<std::string> seen;
  bool full = false;
  const auto add = [&](const std::string& w) {
    if (seen.count(w) != 0) return true;
    if (out.size() + 1 + w.size() > kMaxIndexedBytes) {
      full = true;
      return false;
    }
    seen.insert(w);
    if (!out.empty()) out += ' ';
    out += w;
    return true;
  };
  for_each_word(title, add);
  if (!full) for_each_word(text, add);
  return out;
}

std::string prefix_query(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += " & ";
    out += '\'';
    for (char c : w) {
      if (c == '\'' || c == '\\') out += c;
      out += c;
    }
    out += "':*";
  }
  return out;
}

}  // namespace otklik::store::pg
