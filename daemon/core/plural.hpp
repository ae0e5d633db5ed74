#pragma once
/// Word forms after a number, for the texts people read (alerts, notices, the digest).

#include <cstdint>
#include <string>
#include <string_view>

namespace otklik {

/// The Russian form after `n`: `one` for 1, 21, 101…; `few` for 2–4, 22–24…; `many` for 0, 5–20,
/// 25–30… ("1 отзыв", "3 отзыва", "11 отзывов").
std::string_view plural_ru(std::int64_t n, std::string_view one, std::string_view few, std::string_view many) noexcept;

/// An English ordinal: "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "112th".
std::string ordinal_en(std::int64_t n);

}  // namespace otklik
