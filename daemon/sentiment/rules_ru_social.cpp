// Russian social-text rules: forms that no lexicon can list one by one.
#include "daemon/sentiment/rules_internal.hpp"

namespace otklik::sentiment::rules {

bool russian_laughter(std::string_view norm) {
  // Letters are two bytes each in Cyrillic UTF-8: а = D0 B0, х = D1 85, п = D0 BF, б = D0 B1.
  constexpr std::string_view a = "\xD0\xB0";
  constexpr std::string_view kh = "\xD1\x85";
  if (norm.size() % 2 != 0) return false;
  std::size_t i = 0;
  // «пхахах», «бахаха»: a snort or a burst before the laugh.
  if (norm.size() >= 2 && (norm.substr(0, 2) == "\xD0\xBF" || norm.substr(0, 2) == "\xD0\xB1")) i = 2;
  int as = 0;
  int khs = 0;
  bool a_then_kh = false;  // «ах» somewhere
  bool kh_then_a = false;  // «ха» somewhere
  char last = 0;
  for (; i < norm.size(); i += 2) {
    const std::string_view c = norm.substr(i, 2);
    char cur = 0;
    if (c == a) {
      cur = 'a';
      ++as;
    } else if (c == kh) {
      cur = 'h';
      ++khs;
    } else {
      return false;
    }
    if (last == 'a' && cur == 'h') a_then_kh = true;
    if (last == 'h' && cur == 'a') kh_then_a = true;
    last = cur;
  }
  // At least two of each letter and both turns: «ахах», «хаха», «ахха»; not «ах», «аха», «хах».
  return as >= 2 && khs >= 2 && a_then_kh && kh_then_a;
}

}  // namespace otklik::sentiment::rules
