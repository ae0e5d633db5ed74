#pragma once
/// ISO 8601 weeks ("2026-W47": Monday to Sunday, week 1 holds the year's first Thursday) and their
/// bounds in a team's time zone. Pure functions: no clock, no global time-zone state.

#include "daemon/core/mention.hpp"
#include "daemon/core/time_zone.hpp"

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace otklik::digest {

/// One ISO week. Valid when 1 ≤ week ≤ weeks_in_year(year).
struct IsoWeek {
  int year = 1970;
  int week = 1;

  friend auto operator<=>(const IsoWeek&, const IsoWeek&) = default;
};

/// A half-open interval of instants [begin, end).
struct TimeRange {
  TimePoint begin{};
  TimePoint end{};

  [[nodiscard]] bool contains(TimePoint t) const noexcept { return begin <= t && t < end; }
  friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

/// 52 or 53: years whose 1 January is a Thursday, or a Wednesday in a leap year, have 53 weeks.
int weeks_in_year(int year) noexcept;

/// Parses "2026-W47" (also "2026-w47"; week of one or two digits padded to two). Refuses weeks
/// outside 1..weeks_in_year(year) and years outside 1..9999.
std::optional<IsoWeek> parse_iso_week(std::string_view text) noexcept;

/// "2026-W47".
std::string to_string(IsoWeek w);

/// The Monday that starts `w`.
std::chrono::sys_days monday_of(IsoWeek w) noexcept;

/// The ISO week of a calendar day.
IsoWeek iso_week_of(std::chrono::sys_days day) noexcept;

/// The ISO week that holds instant `t` in `zone` (by its local date).
IsoWeek iso_week_containing(TimePoint t, const TimeZone& zone) noexcept;

IsoWeek previous_week(IsoWeek w) noexcept;
IsoWeek next_week(IsoWeek w) noexcept;
/// `w` moved by `n` weeks (negative: back).
IsoWeek add_weeks(IsoWeek w, int n) noexcept;

/// The instant a local wall-clock time (seconds since the epoch, as if the zone were UTC) happens
/// in `zone`. A time skipped by a DST jump forward maps to the instant after the jump by the same
/// amount (02:30 in a 02:00→03:00 gap becomes 03:30); a repeated time maps to its first occurrence.
TimePoint local_to_utc(std::chrono::sys_seconds local, const TimeZone& zone) noexcept;

/// [Monday 00:00, next Monday 00:00) of `w` in local time of `zone`, as instants.
TimeRange week_range(IsoWeek w, const TimeZone& zone) noexcept;

}  // namespace otklik::digest
