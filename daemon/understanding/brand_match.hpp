#pragma once
/// Brand matching for sources whose text may be about anything (social search, news alerts):
/// which configured brand a text names, and in what form. Each brand's name and aliases are
/// matched, in order of confidence:
///   exact       the name or an alias, any case, ё = е                («СБЕР», "Ozon.ru")
///   inflection  Russian case endings on the last word           («Рокетбанка», «в Тинькоффе»,
///                                                                  «Додо Пиццу»)
///   split       a one-word name written as two words, or the reverse («рокет банк», «додопицца»)
///   translit    the same Latin skeleton in the other script      (Sber / «Сбер», «Тинькоф» /
///                                                                  "Tinkoff"; translit.hpp)
///   typo        Damerau–Levenshtein distance within a bound scaled to the name's length: names of
///               up to 4 letters exact only, 5–7 letters 1 edit, 8 and more 2 edits; also on the
///               joined form of two words of three letters or more («Покер банк» → «покербанк» ~
///               «рокетбанк», but not «в банке» ~ «Т-Банк») and after a case ending is stripped
///               («Рокербанка»)
/// Guards: a match inside one of the brand's guard phrases does not count («запах озона»), and a
/// typo match (or a transliteration with an ending: "ozone") never hits a common word — a
/// built-in list of frequent ru/en words that sit one or two edits from everyday brand-like
/// names — nor a word that another brand matches exactly.
/// Short names and aliases (≤ 3 letters, «МТС») match whole words only. Linear in the text.

#include "daemon/understanding/understanding.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::understanding {

struct BrandSpec {
  std::string name;
  std::vector<std::string> aliases;
  std::vector<std::string> guard;
  bool typos = true;
};

class BrandMatcher {
 public:
  explicit BrandMatcher(std::vector<BrandSpec> brands);
  ~BrandMatcher();
  BrandMatcher(const BrandMatcher&) = delete;
  BrandMatcher& operator=(const BrandMatcher&) = delete;

  /// The most confident match (then the earliest), or none.
  [[nodiscard]] std::optional<BrandMatch> match(std::string_view text) const;
  /// The best match of each brand that is named, in text order.
  [[nodiscard]] std::vector<BrandMatch> match_all(std::string_view text) const;

  struct Compiled;

 private:
  std::unique_ptr<Compiled> compiled_;
};

/// Damerau–Levenshtein (optimal string alignment) distance between two code-point strings,
/// giving up above `limit` (returns limit + 1).
int edit_distance(std::u32string_view a, std::u32string_view b, int limit);

/// The typo allowance for a name of `letters` letters: 0, 1 or 2.
int typo_allowance(std::size_t letters) noexcept;

}  // namespace otklik::understanding
