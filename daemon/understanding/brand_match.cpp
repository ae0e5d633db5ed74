#include "daemon/understanding/brand_match.hpp"

#include "daemon/core/utf8.hpp"
#include "daemon/sentiment/text.hpp"
#include "daemon/understanding/translit.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace otklik::understanding {

using sentiment::TokenBuffer;
using sentiment::TokenKind;

namespace {

enum Rank { kExact = 0, kInflection = 1, kSplit = 2, kTranslit = 3, kHandle = 4, kTypo = 5 };
constexpr std::array<std::string_view, 6> kHow{"exact", "inflection", "split", "translit", "handle", "typo"};

// Russian case endings (normalised), longest first so that stripping takes the longest.
constexpr std::array<std::u32string_view, 30> kEndings{
    U"ами", U"ями", U"ого", U"ому", U"ов", U"ам", U"ах", U"ой", U"ою", U"ей", U"ем", U"ям", U"ях", U"ым",
    U"ых", U"ую", U"ая", U"ое", U"ие", U"ом", U"а",  U"у",  U"е",  U"ы",  U"и",  U"я",  U"ю",  U"о",  U"ь", U"й"};
// The same endings as they look in a Latin skeleton.
constexpr std::array<std::string_view, 16> kLatinEndings{"ami", "ov", "am", "ah", "oi", "ei", "em", "om", "iu", "ia",
                                                         "a",   "u",  "e",  "i",  "o", "im"};

// Frequent words a typo match must never take for a brand: everyday ru/en words of brand-like
// length (the project's own list).
constexpr std::array<std::u32string_view, 143> kCommonWords{
    U"покер",   U"ракета",  U"ракеты",  U"рокот",   U"рокер",   U"рокеры",  U"банка",   U"банки",  U"банку",
    U"банкет",  U"бланк",   U"сберечь", U"беречь",  U"озеро",   U"озона",   U"город",   U"заказ",  U"заказы",
    U"работа",  U"работу",  U"вопрос",  U"ответ",   U"деньги",  U"карта",   U"карту",   U"кредит", U"вклад",
    U"клиент",  U"клиенты", U"сервис",  U"магазин", U"доставка", U"курьер", U"телефон", U"связь",  U"интернет",
    U"тариф",   U"номер",   U"письмо",  U"сайт",    U"приложение", U"очередь", U"отделение", U"офис", U"менеджер",
    U"кассир",  U"пицца",   U"пиццу",   U"пиццы",   U"точка",   U"вкусно",  U"самолет", U"самолёт", U"рейс",
    U"билет",   U"билеты",  U"багаж",   U"аэропорт", U"поезд",  U"машина",  U"машину",  U"погода", U"новости",
    U"сегодня", U"завтра",  U"вчера",   U"неделя",  U"месяц",   U"страна",  U"россия",  U"москва", U"человек",
    U"люди",    U"банк",    U"банке",   U"банком",  U"ребята",  U"спасибо", U"привет",  U"хорошо",  U"плохо",   U"отлично", U"ужасно", U"просто",
    U"теперь",  U"сейчас",  U"всегда",  U"никогда", U"тоже",    U"только",  U"потому",  U"токен",
    U"poker",   U"rocket",  U"rockets", U"rocker",  U"banker",  U"bankers", U"banking", U"order",  U"orders",
    U"money",   U"credit",  U"service", U"support", U"delivery", U"pizza",  U"flight",  U"flights", U"ticket",
    U"tickets", U"airport", U"people",  U"today",   U"tomorrow", U"really", U"thanks",  U"phone",  U"mobile",
    U"market",  U"online",  U"ozone",   U"sober",   U"saber",   U"tinker",  U"thinking", U"token", U"dodge",
    U"doodle",  U"aerofoil", U"airflow", U"morning", U"evening", U"weekend", U"company", U"customer", U"account",
    U"payment", U"refund",  U"transfer", U"message", U"problem", U"quality"};

struct Word {
  std::u32string text;      ///< normalised, as code points
  std::string skeleton;
  std::size_t begin = 0, end = 0;
  bool latin = false;
  bool handle = false;      ///< an @handle ("@tinkoffbank"), text without the '@'
  std::size_t upper = 0;    ///< how many leading letters were capitals in the text («МТСа»: 3)
};

struct Form {
  std::size_t brand = 0;
  std::vector<std::u32string> words;
  std::vector<std::string> skeletons;
  std::u32string joined;
  std::string joined_skeleton;
  std::size_t letters = 0;
  bool latin = false;
};

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) out.push_back(decode_utf8(s, i));
  return out;
}

bool is_latin_word(const std::u32string& w) {
  return std::any_of(w.begin(), w.end(), [](char32_t c) { return c >= U'a' && c <= U'z'; });
}

std::size_t letter_count(const std::u32string& w) {
  return static_cast<std::size_t>(std::count_if(w.begin(), w.end(), [](char32_t c) { return c > U'9' || c < U'0'; }));
}

/// Leading capital letters of `raw` (Cyrillic or Latin), counted in code points.
std::size_t leading_capitals(std::string_view raw) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < raw.size();) {
    const char32_t c = decode_utf8(raw, i);
    const bool upper = (c >= U'A' && c <= U'Z') || (c >= U'А' && c <= U'Я') || c == U'Ё';
    if (!upper) break;
    ++n;
  }
  return n;
}

/// "ozon's" → "ozon": an English possessive belongs to the name before it.
void drop_possessive(std::u32string& w) {
  for (std::u32string_view tail : {std::u32string_view(U"'s"), std::u32string_view(U"’s")})
    if (w.size() > tail.size() + 2 && std::u32string_view(w).substr(w.size() - tail.size()) == tail)
      w.resize(w.size() - tail.size());
}

std::vector<Word> words_of(std::string_view text) {
  TokenBuffer buf;
  sentiment::tokenize(text, buf);
  std::vector<Word> out;
  for (const auto& t : buf.tokens) {
    const bool handle = t.kind == TokenKind::mention;
    if (t.kind != TokenKind::word && t.kind != TokenKind::number && t.kind != TokenKind::hashtag && !handle) continue;
    Word w;
    std::string norm(buf.norm(t));
    if (handle) {  // the tokenizer keeps no normal form for @handles: ASCII letters and digits after '@'
      norm.assign(text.substr(t.begin + 1, t.end - t.begin - 1));
      for (char& ch : norm) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    w.text = to_u32(norm);
    drop_possessive(w.text);
    std::string plain;
    for (char32_t ch : w.text) append_utf8(plain, ch);
    w.skeleton = latin_skeleton(plain);
    w.begin = t.begin;
    w.end = t.end;
    w.latin = is_latin_word(w.text);
    w.handle = handle;
    w.upper = leading_capitals(text.substr(t.begin, t.end - t.begin));
    out.push_back(std::move(w));
  }
  return out;
}

/// `word` is `base` with a Russian case ending (the base may lose its final vowel, ь or й).
bool inflected(std::u32string_view word, std::u32string_view base) {
  if (letter_count(std::u32string(base)) < 3 || word.size() <= base.size() - 1) return false;
  auto with_ending = [&](std::u32string_view stem) {
    if (word.size() <= stem.size() || word.substr(0, stem.size()) != stem) return false;
    const std::u32string_view rest = word.substr(stem.size());
    return std::find(kEndings.begin(), kEndings.end(), rest) != kEndings.end();
  };
  if (with_ending(base)) return true;
  const char32_t last = base.back();
  constexpr std::u32string_view kSoft = U"аяоеьйи";
  if (kSoft.find(last) != std::u32string_view::npos) return with_ending(base.substr(0, base.size() - 1));
  return false;
}

// Relational adjectives made from a name: «сбербанковский», «мтсовская», «аэрофлотовские».
constexpr std::array<std::u32string_view, 3> kAdjectiveSuffixes{U"овск", U"евск", U"ск"};
constexpr std::array<std::u32string_view, 13> kAdjectiveEndings{U"ий", U"ый", U"ая", U"ое", U"ие", U"ого", U"ому",
                                                               U"ой", U"ую", U"им", U"ими", U"их", U"ом"};

/// `word` is a relational adjective of `base` (a Cyrillic name of any length).
bool adjective_of(std::u32string_view word, std::u32string_view base) {
  if (base.empty() || word.size() <= base.size() + 3 || word.substr(0, base.size()) != base) return false;
  const std::u32string_view rest = word.substr(base.size());
  for (auto suffix : kAdjectiveSuffixes) {
    if (rest.substr(0, std::min(rest.size(), suffix.size())) != suffix) continue;
    const std::u32string_view ending = rest.substr(suffix.size());
    if (std::find(kAdjectiveEndings.begin(), kAdjectiveEndings.end(), ending) != kAdjectiveEndings.end()) return true;
  }
  return false;
}

// Case endings after an abbreviation written in capitals: «МТСа», «в МТСе», «МТСом».
constexpr std::array<std::u32string_view, 10> kAbbrevEndings{U"а", U"у", U"е", U"ом", U"ы", U"ов", U"ам", U"ами", U"ах", U"ой"};

bool skeleton_inflected(std::string_view word, std::string_view base) {
  if (base.size() < 3 || word.size() <= base.size() || word.substr(0, base.size()) != base) return false;
  const std::string_view rest = word.substr(base.size());
  return std::find(kLatinEndings.begin(), kLatinEndings.end(), rest) != kLatinEndings.end();
}

bool common_word(std::u32string_view w) {
  return std::find(kCommonWords.begin(), kCommonWords.end(), w) != kCommonWords.end();
}

/// The word with a case ending stripped, when it has one and enough is left.
std::vector<std::u32string> without_endings(const std::u32string& w) {
  std::vector<std::u32string> out;
  for (auto e : kEndings)
    if (w.size() > e.size() + 3 && std::u32string_view(w).substr(w.size() - e.size()) == e)
      out.push_back(w.substr(0, w.size() - e.size()));
  return out;
}

bool bigram_overlap(const std::u32string& a, const std::u32string& b) {
  if (a.size() < 2 || b.size() < 2) return true;
  int shared = 0, total = 0;
  for (std::size_t i = 0; i + 1 < b.size(); ++i) {
    ++total;
    for (std::size_t j = 0; j + 1 < a.size(); ++j)
      if (a[j] == b[i] && a[j + 1] == b[i + 1]) {
        ++shared;
        break;
      }
  }
  return shared * 2 >= total - 2;
}

struct Found {
  Rank rank = kTypo;
  int distance = 0;
  std::size_t first = 0, last = 0;  ///< word range [first, last)
};

}  // namespace

int typo_allowance(std::size_t letters) noexcept {
  if (letters <= 4) return 0;
  if (letters <= 7) return 1;
  return 2;
}

int edit_distance(std::u32string_view a, std::u32string_view b, int limit) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > limit) return limit + 1;
  std::vector<std::vector<int>> d(static_cast<std::size_t>(n + 1), std::vector<int>(static_cast<std::size_t>(m + 1)));
  for (int i = 0; i <= n; ++i) d[i][0] = i;
  for (int j = 0; j <= m; ++j) d[0][j] = j;
  for (int i = 1; i <= n; ++i) {
    int row_min = limit + 1;
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > limit) return limit + 1;
  }
  return std::min(d[n][m], limit + 1);
}

struct BrandMatcher::Compiled {
  std::vector<BrandSpec> brands;
  std::vector<Form> forms;
  std::vector<std::vector<std::vector<std::u32string>>> guards;  ///< per brand: phrases as words
  std::vector<std::u32string> exact_words;                       ///< one-word forms of all brands
};

BrandMatcher::BrandMatcher(std::vector<BrandSpec> brands) : compiled_(std::make_unique<Compiled>()) {
  Compiled& c = *compiled_;
  c.brands = std::move(brands);
  c.guards.resize(c.brands.size());
  for (std::size_t b = 0; b < c.brands.size(); ++b) {
    std::vector<std::string> names{c.brands[b].name};
    names.insert(names.end(), c.brands[b].aliases.begin(), c.brands[b].aliases.end());
    for (const auto& n : names) {
      const auto ws = words_of(n);
      if (ws.empty()) continue;
      Form f;
      f.brand = b;
      for (const auto& w : ws) {
        f.words.push_back(w.text);
        f.skeletons.push_back(w.skeleton);
        f.joined += w.text;
        f.joined_skeleton += w.skeleton;
      }
      f.letters = letter_count(f.joined);
      f.latin = is_latin_word(f.joined);
      if (f.words.size() == 1) c.exact_words.push_back(f.words[0]);
      c.forms.push_back(std::move(f));
    }
    for (const auto& g : c.brands[b].guard) {
      std::vector<std::u32string> phrase;
      for (const auto& w : words_of(g)) phrase.push_back(w.text);
      if (!phrase.empty()) c.guards[b].push_back(std::move(phrase));
    }
  }
}

BrandMatcher::~BrandMatcher() = default;

namespace {

/// The best way `f` matches at word `i`, if any.
std::optional<Found> match_form(const Form& f, const BrandSpec& spec, const std::vector<Word>& w, std::size_t i,
                                const std::vector<std::u32string>& exact_words) {
  const std::size_t k = f.words.size();
  const bool short_name = f.letters <= 3;
  // exact and inflection: all but the last word equal, the last equal or inflected.
  if (i + k <= w.size()) {
    bool prefix_equal = true;
    for (std::size_t j = 0; j + 1 < k; ++j)
      if (w[i + j].text != f.words[j]) prefix_equal = false;
    if (prefix_equal) {
      const std::u32string& last = w[i + k - 1].text;
      const std::u32string& base = f.words[k - 1];
      if (last == base && !w[i + k - 1].handle) return Found{kExact, 0, i, i + k};
      if (!f.latin && !w[i + k - 1].handle) {
        if (!short_name && inflected(last, base)) return Found{kInflection, 0, i, i + k};
        if (adjective_of(last, base)) return Found{kInflection, 0, i, i + k};
        // An abbreviation keeps its capitals and takes a lowercase ending: «МТСа», not «мтса».
        if (short_name && last.size() > base.size() && last.substr(0, base.size()) == base &&
            w[i + k - 1].upper == base.size() &&
            std::find(kAbbrevEndings.begin(), kAbbrevEndings.end(), std::u32string_view(last).substr(base.size())) !=
                kAbbrevEndings.end())
          return Found{kInflection, 0, i, i + k};
      }
    }
  }
  // handle: "@tinkoffbank", "@sberbank_help" — an @handle that starts with a name of 4+ letters.
  if (k == 1 && w[i].handle && f.letters >= 4) {
    const std::u32string& h = w[i].text;
    if (h.substr(0, f.joined.size()) == f.joined) return Found{kHandle, 0, i, i + 1};
    if (!f.latin) {
      const std::u32string skel = to_u32(f.joined_skeleton);
      if (to_u32(w[i].skeleton).substr(0, skel.size()) == skel) return Found{kHandle, 0, i, i + 1};
    }
  }
  if (w[i].handle) return std::nullopt;  // a handle names an account, never a typo or a split
  // split: a one-word name as two words, or a several-word name as one word.
  if (!short_name) {
    if (k == 1 && i + 1 < w.size()) {
      const std::u32string joined = w[i].text + w[i + 1].text;
      if (joined == f.joined || (!f.latin && inflected(joined, f.joined))) return Found{kSplit, 0, i, i + 2};
    }
    if (k >= 2 && (w[i].text == f.joined || (!f.latin && inflected(w[i].text, f.joined))))
      return Found{kSplit, 0, i, i + 1};
  }
  // translit: the same skeleton, word by word (the last may be inflected), in the other script.
  if (i + k <= w.size() && w[i].latin != f.latin) {
    bool same = true;
    for (std::size_t j = 0; j < k && same; ++j) {
      const std::string& s = w[i + j].skeleton;
      same = s == f.skeletons[j] || (j + 1 == k && !short_name && skeleton_inflected(s, f.skeletons[j]));
    }
    // "ozone" is an English word, not «Озон» with an ending.
    if (same && !(k == 1 && w[i].skeleton != f.skeletons[0] && common_word(w[i].text))) return Found{kTranslit, 0, i, i + k};
  }
  // typo: one word or two joined against the whole name.
  if (!spec.typos) return std::nullopt;
  const int allowed = typo_allowance(f.letters);
  if (allowed == 0) return std::nullopt;
  std::optional<Found> best;
  for (std::size_t span = 1; span <= 2 && i + span <= w.size(); ++span) {
    std::u32string cand = w[i].text;
    if (span == 2) {
      // «в банке» is not «Т-Банк»: both joined words must be real words, not prepositions.
      if (letter_count(w[i].text) < 3 || letter_count(w[i + 1].text) < 3) continue;
      cand += w[i + 1].text;
    }
    if (letter_count(cand) < 5) continue;  // «банк» is not a misspelt «Т-Банк»
    if (common_word(cand) || (span == 1 && std::find(exact_words.begin(), exact_words.end(), cand) != exact_words.end()))
      continue;
    const bool script_match = is_latin_word(cand) == f.latin;
    std::vector<std::u32string> tries{cand};
    for (auto& s : without_endings(cand)) tries.push_back(std::move(s));
    for (const auto& t : tries) {
      std::u32string a = t, b = f.joined;
      if (!script_match) {
        a = to_u32(latin_skeleton([&] {
          std::string u;
          for (char32_t ch : t) append_utf8(u, ch);
          return u;
        }()));
        b = to_u32(f.joined_skeleton);
      }
      if (a.size() + static_cast<std::size_t>(allowed) < b.size() || a.size() > b.size() + static_cast<std::size_t>(allowed))
        continue;
      // The first letter or the last two must agree: a typo keeps a word's outline.
      const bool outline = a.front() == b.front() ||
                           (a.size() >= 2 && b.size() >= 2 && a[a.size() - 1] == b[b.size() - 1] && a[a.size() - 2] == b[b.size() - 2]);
      if (!outline || !bigram_overlap(a, b)) continue;
      const int d = edit_distance(a, b, allowed);
      if (d == 0 || d > allowed) continue;  // d == 0 was an exact match (found above) or a split
      if (!best || d < best->distance) best = Found{kTypo, d, i, i + span};
    }
  }
  return best;
}

bool guarded(const std::vector<std::vector<std::u32string>>& guards, const std::vector<Word>& w, const Found& m) {
  for (const auto& phrase : guards) {
    const std::size_t k = phrase.size();
    // Every placement of the phrase that overlaps the match.
    const std::size_t from = m.first + 1 >= k ? m.first + 1 - k : 0;
    for (std::size_t s = from; s < m.last && s + k <= w.size(); ++s) {
      bool same = true;
      for (std::size_t j = 0; j < k && same; ++j)
        same = w[s + j].text == phrase[j] || (j + 1 == k && inflected(w[s + j].text, phrase[j]));
      if (same) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<BrandMatch> BrandMatcher::match_all(std::string_view text) const {
  const Compiled& c = *compiled_;
  const std::vector<Word> w = words_of(text);
  std::vector<std::optional<Found>> best(c.brands.size());
  for (std::size_t i = 0; i < w.size(); ++i) {
    for (const Form& f : c.forms) {
      auto m = match_form(f, c.brands[f.brand], w, i, c.exact_words);
      if (!m) continue;
      if (guarded(c.guards[f.brand], w, *m)) continue;
      auto& b = best[f.brand];
      // «Додо Пиццу» over «Додо»: at the same start, a longer exact or inflected form wins.
      const bool longer = b && m->first == b->first && m->last > b->last && m->rank <= kInflection;
      const bool shorter = b && m->first == b->first && m->last < b->last && b->rank <= kInflection;
      if (shorter) continue;
      if (!b || longer || m->rank < b->rank || (m->rank == b->rank && m->distance < b->distance)) b = m;
    }
  }
  std::vector<BrandMatch> out;
  for (std::size_t b = 0; b < best.size(); ++b) {
    if (!best[b]) continue;
    const Found& f = *best[b];
    BrandMatch m;
    m.brand = c.brands[b].name;
    m.begin = w[f.first].begin;
    m.end = w[f.last - 1].end;
    m.form = sanitize_utf8(text.substr(m.begin, m.end - m.begin));
    m.how = std::string(kHow[f.rank]);
    m.distance = f.distance;
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](const BrandMatch& a, const BrandMatch& b) { return a.begin < b.begin; });
  return out;
}

std::optional<BrandMatch> BrandMatcher::match(std::string_view text) const {
  auto all = match_all(text);
  if (all.empty()) return std::nullopt;
  auto rank = [](const BrandMatch& m) {
    return std::find(kHow.begin(), kHow.end(), m.how) - kHow.begin();
  };
  return *std::min_element(all.begin(), all.end(), [&](const BrandMatch& a, const BrandMatch& b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (a.distance != b.distance) return a.distance < b.distance;
    return a.begin < b.begin;
  });
}

}  // namespace otklik::understanding
