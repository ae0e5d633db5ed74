#pragma once
/// Numbers, times and durations as the pages print them (plain text: escape before writing).

#include "daemon/core/duration.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/core/time_zone.hpp"
#include "daemon/store/inbox_store.hpp"
#include "daemon/web/pages/views.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace otklik::web {

/// 12345 → "12 345" (ru, with a no-break space) or "12,345" (en).
std::string format_int(std::int64_t n, Locale locale);

/// A bounded count: "42", or "10 000+" when capped.
std::string format_count(const BoundedCount& c, Locale locale);

/// The local time of `t` in `zone`: "06.12.2026 18:06" (ru) or "2026-12-06 18:06" (en).
std::string format_time(TimePoint t, const TimeZone& zone, Locale locale);

/// `t` in UTC for a datetime attribute: "2026-12-06T15:06:00Z".
std::string iso_utc(TimePoint t);

/// The local calendar date of `t` for an <input type="date">: "2026-12-06".
std::string iso_date(TimePoint t, const TimeZone& zone);

/// The local day of `t` as days since 1970-01-01 (what the overview groups by).
std::int64_t local_day(TimePoint t, const TimeZone& zone);

/// A local day as "06.12" (ru) / "Dec 6" (en) for chart axes.
std::string short_day(std::int64_t day, Locale locale);

/// "1 ч 20 мин" / "1h 20m"; under a minute "40 с" / "40s"; days beyond 48 hours.
std::string format_span(Duration d, Locale locale);

/// A rating as stars: "★★★★☆" (rounded to whole stars, 0..5).
std::string stars(double rating);

/// A rating as a number: "4", "3.5".
std::string rating_number(double rating);

/// `s` cut to at most `max_chars` code points (at a space when one is near the end) with "…"
/// appended when cut; never splits a UTF-8 sequence.
std::string shorten(std::string_view s, std::size_t max_chars);

}  // namespace otklik::web
