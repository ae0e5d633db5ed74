#include "daemon/understanding/author.hpp"

#include "daemon/core/utf8.hpp"
#include "daemon/sentiment/text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <vector>

namespace otklik::understanding {
namespace {

constexpr std::size_t kMaxNameBytes = 512;  // a signature, not a paragraph
constexpr std::size_t kMaxNameWords = 6;
constexpr std::size_t kMaxIdBytes = 2048;   // the longest URL browsers reliably keep

enum class Kind { other, letter, digit, combining, spacing_mark };

Kind kind_of(char32_t c) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: return Kind::letter;
    case UTF8PROC_CATEGORY_ND: return Kind::digit;
    case UTF8PROC_CATEGORY_MN: return Kind::combining;      // stress marks «Ива́н», zalgo
    case UTF8PROC_CATEGORY_MC: return Kind::spacing_mark;   // vowel signs of Indic scripts
    default: return Kind::other;
  }
}

bool is_letter(char32_t c) { return kind_of(c) == Kind::letter; }
bool is_cyrillic(char32_t c) { return c >= 0x0400 && c <= 0x052F; }
bool is_latin(char32_t c) { return c < 0x0250 && is_letter(c); }

/// Case-folded look-alike pairs: {Latin, Cyrillic}. "h", "b", "m", "t", "k" look alike in
/// capitals («HИНА», «BЕРА»), which case folding has already lowered.
/// "i", "j", "s" pair with the Ukrainian and Serbian "і", "ј", "ѕ".
constexpr std::array<std::pair<char32_t, char32_t>, 15> kTwins{{
    {U'a', U'а'}, {U'c', U'с'}, {U'e', U'е'}, {U'o', U'о'}, {U'p', U'р'}, {U'x', U'х'}, {U'y', U'у'}, {U'k', U'к'},
    {U'm', U'м'}, {U't', U'т'}, {U'h', U'н'}, {U'b', U'в'}, {U'i', U'і'}, {U'j', U'ј'}, {U's', U'ѕ'},
}};

char32_t to_cyrillic(char32_t c) {
  for (const auto& [lat, cyr] : kTwins)
    if (c == lat) return cyr;
  return 0;
}

char32_t to_latin(char32_t c) {
  for (const auto& [lat, cyr] : kTwins)
    if (c == cyr) return lat;
  return 0;
}

/// Folds the look-alikes of a word written in two scripts into the script most of it is in.
void fold_twins(std::u32string& w) {
  std::size_t cyr = 0, lat = 0;
  for (char32_t c : w) {
    if (is_cyrillic(c)) ++cyr;
    else if (is_latin(c)) ++lat;
  }
  if (cyr == 0 || lat == 0) return;
  for (char32_t& c : w) {
    const char32_t twin = cyr >= lat ? to_cyrillic(c) : to_latin(c);
    if (twin != 0) c = twin;
  }
}

std::vector<std::u32string> split_words(std::string_view normalised) {
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

std::size_t letters(std::u32string_view w) {
  return static_cast<std::size_t>(std::count_if(w.begin(), w.end(), is_letter));
}

std::string utf8_of(std::u32string_view w) {
  std::string out;
  for (char32_t c : w) append_utf8(out, c);
  return out;
}

/// Words that make a name nobody in particular: what sites show for whoever did not sign, roles,
/// and the words around them ("A Google user", «Имя скрыто»). Normalised (case folded, ё→е).
constexpr std::array<std::string_view, 58> kNobody{
    "аноним",     "анонимно",      "анонимный",    "анонимус",      "гость",       "гостья",
    "пользователь", "пользовательница", "покупатель", "покупательница", "клиент",    "клиентка",
    "посетитель", "посетительница", "автор",       "читатель",      "неизвестный", "неизвестно",
    "инкогнито",  "незнакомец",    "администратор", "администрация", "модератор",   "представитель",
    "владелец",   "скрыто",        "скрыт",        "удален",        "удаленный",   "имени",
    "anonymous",  "anon",          "anonym",       "noname",        "guest",       "user",
    "customer",   "client",        "visitor",      "reviewer",      "unknown",     "deleted",
    "google",     "admin",         "administrator", "moderator",    "owner",       "incognito",
    "private",    "someone",       "member",       "buyer",         "shopper",     "traveler",
    "traveller",  "verified",      "hidden",       "nobody"};

bool generic_part(std::u32string_view part) {
  if (part.empty()) return false;
  const std::string s = utf8_of(part);
  return std::find(kNobody.begin(), kNobody.end(), s) != kNobody.end();
}

/// True when a word, or any letter run in it ("user_8841", «гость123»), is a generic word.
bool generic_word(const std::u32string& w) {
  if (generic_part(w)) return true;
  std::size_t start = 0;
  for (std::size_t k = 0; k <= w.size(); ++k) {
    if (k == w.size() || !is_letter(w[k])) {
      if (k > start && generic_part(std::u32string_view(w).substr(start, k - start))) return true;
      start = k + 1;
    }
  }
  return false;
}

/// A handle: letters with digits or "_" («маша_2001»), or two parts of two or more letters
/// around a dot ("ivan.petrov"; «мария.с» is a name with an initial).
bool handle_like(const std::u32string& w) {
  const std::size_t n = letters(w);
  const bool marked = std::any_of(w.begin(), w.end(), [](char32_t c) { return c == U'_' || kind_of(c) == Kind::digit; });
  if (marked && n >= 3) return true;
  const auto dot = w.find(U'.');
  if (dot == std::u32string::npos) return false;
  const std::u32string_view v(w);
  return letters(v.substr(0, dot)) >= 2 && letters(v.substr(dot + 1)) >= 2;
}

/// True when the name as written runs two capitalised parts of three or more letters together
/// ("IvanPetrov", «МашаКотова»); case folding loses this, so it is read from the original.
bool camel_case(std::string_view name) {
  const std::string clean = sanitize_utf8(name);
  std::size_t segment = 0;   // letters in the current part
  std::size_t previous = 0;  // letters in the part before it, in the same letter run
  bool lower_before = false;
  for (std::size_t i = 0; i < clean.size();) {
    const char32_t c = decode_utf8(clean, i);
    const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    const bool upper = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
    if (!is_letter(c)) {
      if (previous >= 3 && segment >= 3) return true;
      segment = previous = 0;
      lower_before = false;
      continue;
    }
    if (upper && lower_before) {
      if (previous >= 3 && segment >= 3) return true;
      previous = segment;
      segment = 0;
    }
    ++segment;
    lower_before = cat == UTF8PROC_CATEGORY_LL;
  }
  return previous >= 3 && segment >= 3;
}

std::string trim_spaces(std::string s) {
  const auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

std::string ascii_lower(std::string s) {
  for (char& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii_lower(std::string(s.substr(0, prefix.size()))) == prefix;
}

/// Query parameters that say where a visitor came from or how a page is shown, never who a user is.
bool tracking_param(std::string_view name) {
  static constexpr std::array<std::string_view, 24> kDrop{
      "ref",  "ref_src", "ref_url", "referrer", "from",  "source", "src",    "hl",       "gl",   "lang", "locale", "fbclid",
      "gclid", "yclid",  "ysclid",  "_openstat", "ved",  "ei",     "entry",  "si",       "feature", "igshid", "mc_cid", "mc_eid"};
  const std::string lower = ascii_lower(std::string(name));
  if (lower.rfind("utm_", 0) == 0) return true;
  return std::find(kDrop.begin(), kDrop.end(), lower) != kDrop.end();
}

std::string clean_query(std::string_view query) {
  std::string out;
  std::size_t start = 0;
  while (start <= query.size()) {
    const auto amp = query.find('&', start);
    const std::string_view param = query.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    const std::string_view name = param.substr(0, param.find('='));
    if (!param.empty() && !name.empty() && !tracking_param(name)) {
      if (!out.empty()) out.push_back('&');
      out.append(param);
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return out;
}

std::string normalise_url(std::string_view url) {  // without its scheme
  std::string_view rest = url;
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto end_host = rest.find_first_of("/?");
  std::string host = ascii_lower(std::string(rest.substr(0, end_host)));
  rest = end_host == std::string_view::npos ? std::string_view() : rest.substr(end_host);
  const auto q = rest.find('?');
  std::string path(rest.substr(0, q));
  const std::string query = q == std::string_view::npos ? std::string() : clean_query(rest.substr(q + 1));
  for (std::string_view port : {":80", ":443"})
    if (host.size() > port.size() && host.compare(host.size() - port.size(), port.size(), port) == 0)
      host.resize(host.size() - port.size());
  for (std::string_view prefix : {"www.", "m."})
    if (host.rfind(prefix, 0) == 0 && host.size() > prefix.size()) host.erase(0, prefix.size());
  while (!path.empty() && path.back() == '/') path.pop_back();
  return host + path + (query.empty() ? std::string() : "?" + query);
}

}  // namespace

std::string normalise_name(std::string_view name) {
  const std::string folded = sentiment::normalize_term(name);  // NFKC, case fold, ё→е, ’→'
  std::vector<std::u32string> words(1);
  for (std::size_t i = 0; i < folded.size();) {
    const char32_t c = decode_utf8(folded, i);
    const Kind k = kind_of(c);
    if (c == U'\'' || k == Kind::combining) continue;  // "O'Brien", stress marks: not separators
    if (k == Kind::other && c != U'_' && c != U'.') {
      if (!words.back().empty()) words.emplace_back();
      continue;
    }
    words.back().push_back(c);
  }
  std::string out;
  for (auto& w : words) {
    // Dots at a word's edges are punctuation («Иван П.»); inside a handle they are part of it.
    const auto first = w.find_first_not_of(U'.');
    if (first == std::u32string::npos) continue;
    const auto last = w.find_last_not_of(U'.');
    std::u32string word = w.substr(first, last - first + 1);
    fold_twins(word);
    if (!out.empty()) out.push_back(' ');
    out += utf8_of(word);
  }
  return out;
}

std::string normalise_user_id(std::string_view id) {
  if (id.size() > kMaxIdBytes) return {};
  std::string s;
  for (char ch : sanitize_utf8(id)) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u == 0x7F) continue;
    s.push_back(ch);
  }
  s = trim_spaces(std::move(s));
  if (starts_with_ci(s, "https://")) return normalise_url(std::string_view(s).substr(8));
  if (starts_with_ci(s, "http://")) return normalise_url(std::string_view(s).substr(7));
  if (starts_with_ci(s, "www.")) return normalise_url(s);
  return s;
}

AuthorKeys author_keys(std::string_view source, std::string_view author, std::string_view author_id) {
  AuthorKeys keys;
  if (const std::string id = normalise_user_id(author_id); !id.empty()) keys.id_key = std::string(source) + "#" + id;

  if (author.size() > kMaxNameBytes) return keys;
  auto words = split_words(normalise_name(author));
  if (words.empty() || words.size() > kMaxNameWords) return keys;
  std::size_t full_words = 0;
  bool handle = false;
  for (const auto& w : words) {
    if (generic_word(w)) return keys;  // «Пользователь 12345», "A Google user", "user_8841"
    if (letters(w) >= 2) ++full_words;
    if (handle_like(w)) handle = true;
  }
  if (words.size() == 1 && letters(words.front()) >= 6 && camel_case(author)) handle = true;
  if (full_words < 2 && !handle) return keys;
  // Word order differs between sites («Котова Ирина» / «Ирина Котова»): the key is order-free.
  std::sort(words.begin(), words.end());
  for (const auto& w : words) {
    if (!keys.name_key.empty()) keys.name_key.push_back(' ');
    keys.name_key += utf8_of(w);
  }
  return keys;
}

}  // namespace otklik::understanding
