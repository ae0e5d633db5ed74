#pragma once
/// The team's working time in its own time zone: working days (ISO weekdays), daily hours,
/// holidays and extra working days (e.g. Russian transferred Saturdays). SLA clocks count only
/// working time; quiet hours are everything else. Pure arithmetic over TimeZone::offset_at, so it
/// is right across DST changes; long spans are walked a day at a time.

#include "daemon/config/config.hpp"
#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/core/time_zone.hpp"

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace otklik {

/// Parses "YYYY-MM-DD" into days since 1970-01-01; nullopt for anything else (incl. 2026-02-30).
std::optional<std::int64_t> parse_civil_date(std::string_view text) noexcept;

class BusinessCalendar {
 public:
  /// Every minute of every day is working time, in UTC (for policies without business hours).
  BusinessCalendar();

  /// Validates `config` (weekdays 1..7, at least one; 0 <= day_start < day_end <= 24:00; dates
  /// "YYYY-MM-DD"; no date both a holiday and an extra working day) and builds the calendar in
  /// `zone` (config.timezone is not read here). Fails with errc::invalid_input.
  static Result<BusinessCalendar> create(const CalendarConfig& config, TimeZone zone);

  /// True when `t` is inside a working interval [day start, day end) of a working day.
  [[nodiscard]] bool is_working(TimePoint t) const;
  /// `t` itself when it is working time, else the start of the next working interval.
  [[nodiscard]] TimePoint next_working_start(TimePoint t) const;
  /// The instant when `duration` of working time has passed since `start` (a deadline). A zero
  /// or negative duration returns `start` unchanged.
  [[nodiscard]] TimePoint add_working_time(TimePoint start, Duration duration) const;
  /// Working time inside [a, b); zero when b <= a.
  [[nodiscard]] Duration working_time_between(TimePoint a, TimePoint b) const;
  /// True when local day `day` (days since 1970-01-01) is a working day.
  [[nodiscard]] bool is_working_day(std::int64_t day) const;

  [[nodiscard]] const TimeZone& zone() const noexcept { return zone_; }

 private:
  struct Interval {
    TimePoint begin;
    TimePoint end;
  };
  /// The local day that contains `t`.
  [[nodiscard]] std::int64_t local_day(TimePoint t) const;
  /// The UTC instants of local day `day`'s working hours (valid for any day, working or not).
  [[nodiscard]] Interval hours_of(std::int64_t day) const;
  /// The UTC instant of local `day` + `minutes`.
  [[nodiscard]] TimePoint local_to_utc(std::int64_t day, int minutes) const;

  TimeZone zone_;
  bool workdays_[8] = {false, true, true, true, true, true, true, true};  ///< [iso weekday]
  int day_start_ = 0;
  int day_end_ = 24 * 60;
  std::vector<std::int64_t> holidays_;        ///< sorted days
  std::vector<std::int64_t> extra_workdays_;  ///< sorted days
};

/// Loads config.timezone from `zoneinfo_dir` and builds the calendar (BusinessCalendar::create).
Result<BusinessCalendar> make_calendar(const CalendarConfig& config,
                                       const std::filesystem::path& zoneinfo_dir = "/usr/share/zoneinfo");

}  // namespace otklik
