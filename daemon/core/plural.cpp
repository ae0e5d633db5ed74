#include "daemon/core/plural.hpp"

namespace otklik {

std::string_view plural_ru(std::int64_t n, std::string_view one, std::string_view few, std::string_view many) noexcept {
  const std::int64_t a = n < 0 ? -n : n;
  const std::int64_t n10 = a % 10, n100 = a % 100;
  if (n10 == 1 && n100 != 11) return one;
  if (n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14)) return few;
  return many;
}

std::string ordinal_en(std::int64_t n) {
  const std::int64_t a = n < 0 ? -n : n;
  const std::int64_t n10 = a % 10, n100 = a % 100;
  const char* suffix = "th";
  if (n100 < 11 || n100 > 13) {
    if (n10 == 1) suffix = "st";
    else if (n10 == 2) suffix = "nd";
    else if (n10 == 3) suffix = "rd";
  }
  return std::to_string(n) + suffix;
}

}  // namespace otklik
