#pragma once
/// The day of an earlier complaint as a reply says it: «12 ноября», "12 November", with the year
/// when it is not the year of `now` («12 ноября 2025 года», "12 November 2025").

#include "daemon/core/time_zone.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace otklik::replies {

/// `at_ms` (ms since the epoch) as a day in `zone`, in `locale` ("en…" → English, else Russian).
/// `now_ms` 0 never adds the year.
std::string reply_date(std::int64_t at_ms, std::int64_t now_ms, const TimeZone& zone, std::string_view locale);

}  // namespace otklik::replies
