#include "daemon/understanding/author.hpp"

#include "daemon/core/utf8.hpp"
#include "daemon/sentiment/text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <vector>

namespace otklik::understanding {
namespace {

bool is_cyrillic(char32_t c) { return (c >= 0x0400 && c <= 0x04FF) || (c >= 0x0500 && c <= 0x052F); }
bool is_latin(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= 0x00DF && c <= 0x024F); }
bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

/// Latin letters that look like Cyrillic ones (after case folding): "a" in «Aнна» typed on the
/// wrong layout.
char32_t cyrillic_twin(char32_t c) {
  switch (c) {
    case U'a': return U'а';
    case U'c': return U'с';
    case U'e': return U'е';
    case U'o': return U'о';
    case U'p': return U'р';
    case U'x': return U'х';
    case U'y': return U'у';
    case U'k': return U'к';
    case U'm': return U'м';
    case U't': return U'т';
    case U'h': return U'н';
    case U'b': return U'в';
    default: return 0;
  }
}

std::vector<std::u32string> words_of(std::string_view normalised) {
  std::vector<std::u32string> words(1);
  for (std::size_t i = 0; i < normalised.size();) {
    const char32_t c = decode_utf8(normalised, i);
    if (c == U' ') {
      if (!words.back().empty()) words.emplace_back();
    } else {
      words.back().push_back(c);
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

std::size_t letters(const std::u32string& w) {
  return static_cast<std::size_t>(std::count_if(w.begin(), w.end(), [](char32_t c) { return is_cyrillic(c) || is_latin(c); }));
}

/// Names sites show for whoever did not sign, and words that make a name generic.
constexpr std::array<std::string_view, 24> kNobody{
    "аноним",      "анонимно",    "анонимный",  "гость",     "пользователь", "покупатель", "клиент",
    "посетитель",  "автор",       "читатель",   "неизвестный", "инкогнито", "anonymous",  "anon",
    "guest",       "user",        "customer",   "visitor",   "reviewer",    "unknown",    "deleted",
    "google",      "пользователь", "покупательница"};

bool generic_word(std::string_view w) {
  return std::find(kNobody.begin(), kNobody.end(), w) != kNobody.end();
}

std::string utf8_of(const std::u32string& w) {
  std::string out;
  for (char32_t c : w) append_utf8(out, c);
  return out;
}

}  // namespace

std::string normalise_name(std::string_view name) {
  const std::string folded = sentiment::normalize_term(name);  // NFKC, case fold, ё→е
  // Keep letters, digits, "_" and "."; everything else separates words.
  std::u32string cps;
  for (std::size_t i = 0; i < folded.size();) {
    const char32_t c = decode_utf8(folded, i);
    const bool keep = is_cyrillic(c) || is_latin(c) || is_digit(c) || c == U'_' || c == U'.';
    cps.push_back(keep ? c : U' ');
  }
  // Fold Latin look-alikes inside words that are mostly Cyrillic.
  std::size_t start = 0;
  while (start < cps.size()) {
    std::size_t end = start;
    while (end < cps.size() && cps[end] != U' ') ++end;
    std::size_t cyr = 0, lat = 0;
    for (std::size_t k = start; k < end; ++k) {
      if (is_cyrillic(cps[k])) ++cyr;
      else if (is_latin(cps[k])) ++lat;
    }
    if (cyr > 0 && lat > 0 && cyr >= lat) {
      for (std::size_t k = start; k < end; ++k)
        if (const char32_t twin = cyrillic_twin(cps[k])) cps[k] = twin;
    }
    start = end + 1;
  }
  std::string out;
  bool space = false;
  for (char32_t c : cps) {
    if (c == U' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    append_utf8(out, c);
  }
  // Dots at a word's edge are punctuation ("Иван П."), inside a handle they are part of it.
  std::string cleaned;
  for (const auto& w : words_of(out)) {
    std::u32string t = w;
    while (!t.empty() && t.back() == U'.') t.pop_back();
    while (!t.empty() && t.front() == U'.') t.erase(t.begin());
    if (t.empty()) continue;
    if (!cleaned.empty()) cleaned.push_back(' ');
    cleaned += utf8_of(t);
  }
  return cleaned;
}

std::string normalise_user_id(std::string_view id) {
  std::string s = sanitize_utf8(id);
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  s = s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
  std::string lower = s;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::size_t rest = std::string::npos;
  if (lower.rfind("https://", 0) == 0) rest = 8;
  else if (lower.rfind("http://", 0) == 0) rest = 7;
  if (rest == std::string::npos) return s;
  std::string url = s.substr(rest);
  if (const auto hash = url.find('#'); hash != std::string::npos) url.resize(hash);
  const auto slash = std::min(url.find('/'), url.find('?'));
  std::string host = url.substr(0, slash);
  std::string path = slash == std::string::npos ? std::string() : url.substr(slash);
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (host.rfind("www.", 0) == 0) host = host.substr(4);
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path == "/") path.clear();
  return host + path;
}

AuthorKeys author_keys(std::string_view source, std::string_view author, std::string_view author_id) {
  AuthorKeys keys;
  const std::string id = normalise_user_id(author_id);
  if (!id.empty()) keys.id_key = std::string(source) + "#" + id;

  const std::string name = normalise_name(author);
  const auto words = words_of(name);
  if (words.empty()) return keys;
  for (const auto& w : words)
    if (generic_word(utf8_of(w))) return keys;  // «Пользователь 12345», "A Google user"
  std::size_t full_words = 0;
  bool handle = false;
  for (const auto& w : words) {
    if (letters(w) >= 2) ++full_words;
    const bool has_mark = std::any_of(w.begin(), w.end(), [](char32_t c) { return is_digit(c) || c == U'_'; });
    if (has_mark && letters(w) >= 3) handle = true;
    // "ivan.petrov" is a handle; «мария.с» is a name with an initial.
    if (const auto dot = w.find(U'.'); dot != std::u32string::npos) {
      if (letters(w.substr(0, dot)) >= 2 && letters(w.substr(dot + 1)) >= 2) handle = true;
    }
  }
  if (letters(words.front()) == 0) return keys;  // "12345", "___"
  if (full_words >= 2 || handle) keys.name_key = name;
  return keys;
}

}  // namespace otklik::understanding
