#include "daemon/replies/author_name.hpp"

#include "daemon/core/utf8.hpp"
#include "daemon/replies/phrase_match.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace otklik::replies {
namespace {

/// Words that mean "somebody": sites' stand-ins for an unsigned author, roles and titles.
constexpr std::array<std::string_view, 40> kNotNames = {
    "аноним", "анонимно", "анонимный", "гость", "пользователь", "покупатель", "покупательница", "клиент",
    "клиентка", "посетитель", "посетительница", "житель", "автор", "скрыто", "имя", "неизвестный",
    "вкладчик", "пациент", "гражданин", "администратор", "anonymous", "anon", "guest", "user", "customer",
    "client", "visitor", "buyer", "shopper", "reviewer", "google", "deleted", "unknown", "someone",
    "admin", "name", "hidden", "member", "account", "resident"};

enum class Kind { lower, upper, other };

struct Letter {
  char32_t cp;
  Kind kind;
  bool cyrillic;
};

Letter classify(char32_t c) {
  if (c >= 'a' && c <= 'z') return {c, Kind::lower, false};
  if (c >= 'A' && c <= 'Z') return {c, Kind::upper, false};
  if (c >= 0x430 && c <= 0x44F) return {c, Kind::lower, true};
  if (c == 0x451) return {c, Kind::lower, true};
  if (c >= 0x410 && c <= 0x42F) return {c, Kind::upper, true};
  if (c == 0x401) return {c, Kind::upper, true};
  // Latin-1 letters: "Seán", "Zoë", "JOSÉ".
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return {c, Kind::upper, false};
  if (c >= 0xDF && c <= 0xFF && c != 0xF7) return {c, Kind::lower, false};
  return {c, Kind::other, false};
}

char32_t to_lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c == 0x401) return 0x451;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  return c;
}

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const std::size_t b = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > b) out.push_back(s.substr(b, i - b));
  }
  return out;
}

/// The word as a first name («ИРИНА» → «Ирина»), or "".
std::string as_first_name(std::string_view word) {
  std::vector<char32_t> cps;
  for (std::size_t i = 0; i < word.size();) cps.push_back(decode_utf8(word, i));
  if (cps.size() < 2 || cps.size() > 30) return "";
  int letters = 0, upper = 0;
  bool cyrillic = false, latin = false;
  bool after_joiner = true;  // the first letter and a letter after "-" or "'" may be capital
  bool camel = false;
  for (std::size_t k = 0; k < cps.size(); ++k) {
    const char32_t c = cps[k];
    if (c == '-' || c == '\'' || c == 0x2019) {
      if (k == 0 || k + 1 == cps.size() || classify(cps[k - 1]).kind == Kind::other) return "";
      after_joiner = true;
      continue;
    }
    const Letter l = classify(c);
    if (l.kind == Kind::other) return "";
    (l.cyrillic ? cyrillic : latin) = true;
    ++letters;
    if (l.kind == Kind::upper) {
      ++upper;
      if (!after_joiner) camel = true;
    }
    if (after_joiner && l.kind == Kind::lower && k == 0) return "";  // a lower-case handle
    after_joiner = false;
  }
  if (cyrillic && latin) return "";
  if (letters < 2) return "";
  const bool all_caps = upper == letters;
  if (camel && !all_caps) return "";
  std::string out;
  bool capital = true;
  for (const char32_t c : cps) {
    const bool joiner = c == '-' || c == '\'' || c == 0x2019;
    append_utf8(out, joiner || capital ? c : (all_caps ? to_lower(c) : c));
    capital = joiner;
  }
  return out;
}

}  // namespace

std::string first_name(std::string_view display_name) {
  if (display_name.size() > 200) return "";
  for (const char c : display_name)
    if ((c >= '0' && c <= '9') || c == '@' || c == '_' || c == '+' || c == '#') return "";
  const std::vector<std::string_view> words = split_words(display_name);
  if (words.empty() || words.size() > 4) return "";
  for (const auto w : words) {
    const std::string norm = normalised_words(w);
    for (const auto& part : word_seq(norm).words)
      if (std::find(kNotNames.begin(), kNotNames.end(), part) != kNotNames.end()) return "";
  }
  std::string_view first = words[0];
  if (first.find('.') != std::string_view::npos) return "";  // an initial or a dotted handle
  return as_first_name(first);
}

}  // namespace otklik::replies
