#include "daemon/lifecycle/calendar.hpp"

#include <algorithm>
#include <cassert>
#include <chrono>

namespace otklik {
namespace {

using Ticks = TimePoint::duration;
constexpr std::int64_t kSecondsPerDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/// ISO weekday (1 = Monday … 7 = Sunday) of a day since 1970-01-01 (a Thursday).
int iso_weekday(std::int64_t day) noexcept {
  return static_cast<int>(((day % 7) + 7 + 3) % 7) + 1;
}

bool contains(const std::vector<std::int64_t>& sorted, std::int64_t day) {
  return std::binary_search(sorted.begin(), sorted.end(), day);
}

Failure invalid(std::string detail) { return Failure(errc::invalid_input, "calendar: " + std::move(detail)); }

Result<std::vector<std::int64_t>> parse_dates(const std::vector<std::string>& dates, std::string_view what) {
  std::vector<std::int64_t> days;
  days.reserve(dates.size());
  for (const std::string& text : dates) {
    auto day = parse_civil_date(text);
    if (!day) return invalid(std::string(what) + ": '" + text + "' is not a date (YYYY-MM-DD)");
    days.push_back(*day);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

}  // namespace

std::optional<std::int64_t> parse_civil_date(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t len) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = from; i < from + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const auto y = number(0, 4);
  const auto m = number(5, 2);
  const auto d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                                        std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

BusinessCalendar::BusinessCalendar() = default;

Result<BusinessCalendar> BusinessCalendar::create(const CalendarConfig& config, TimeZone zone) {
  BusinessCalendar cal;
  cal.zone_ = std::move(zone);
  if (config.workdays.empty()) return invalid("no working weekdays");
  std::fill(std::begin(cal.workdays_), std::end(cal.workdays_), false);
  for (int d : config.workdays) {
    if (d < 1 || d > 7) return invalid("weekday " + std::to_string(d) + " is not 1 (Monday) … 7 (Sunday)");
    cal.workdays_[d] = true;
  }
  if (config.day_start_minutes < 0 || config.day_end_minutes > 24 * 60 ||
      config.day_start_minutes >= config.day_end_minutes) {
    return invalid("working hours must start before they end, within one day");
  }
  cal.day_start_ = config.day_start_minutes;
  cal.day_end_ = config.day_end_minutes;
  auto holidays = parse_dates(config.holidays, "holidays");
  if (!holidays) return holidays.error();
  auto extra = parse_dates(config.extra_workdays, "extra_workdays");
  if (!extra) return extra.error();
  for (std::int64_t day : *extra) {
    if (contains(*holidays, day)) return invalid("a date is both a holiday and an extra working day");
  }
  cal.holidays_ = std::move(*holidays);
  cal.extra_workdays_ = std::move(*extra);
  return cal;
}

Result<BusinessCalendar> make_calendar(const CalendarConfig& config, const std::filesystem::path& zoneinfo_dir) {
  auto zone = TimeZone::load(config.timezone, zoneinfo_dir);
  if (!zone) return zone.error();
  return BusinessCalendar::create(config, std::move(*zone));
}

bool BusinessCalendar::is_working_day(std::int64_t day) const {
  if (contains(extra_workdays_, day)) return true;
  if (contains(holidays_, day)) return false;
  return workdays_[iso_weekday(day)];
}

std::int64_t BusinessCalendar::local_day(TimePoint t) const {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()) + zone_.offset_at(t);
  return floor_div(secs.count(), kSecondsPerDay);
}

TimePoint BusinessCalendar::local_to_utc(std::int64_t day, int minutes) const {
  const TimePoint local{std::chrono::seconds{day * kSecondsPerDay + std::int64_t{minutes} * 60}};
  // The offset at the local time read as UTC is at most one transition away from the right one.
  const auto off1 = zone_.offset_at(local);
  const TimePoint utc1 = local - off1;
  const auto off2 = zone_.offset_at(utc1);
  if (off2 == off1) return utc1;
  const TimePoint utc2 = local - off2;
  if (zone_.offset_at(utc2) == off2) return utc2;
  // A local time skipped by a forward change (02:30 on a spring-forward night): read it with the
  // offset before the change, i.e. the first instant after the gap's equivalent.
  return std::max(utc1, utc2);
}

BusinessCalendar::Interval BusinessCalendar::hours_of(std::int64_t day) const {
  assert(day_start_ < day_end_);
  return {local_to_utc(day, day_start_), local_to_utc(day, day_end_)};
}

bool BusinessCalendar::is_working(TimePoint t) const {
  const std::int64_t day = local_day(t);
  if (!is_working_day(day)) return false;
  const Interval iv = hours_of(day);
  return iv.begin <= t && t < iv.end;
}

TimePoint BusinessCalendar::next_working_start(TimePoint t) const {
  // Terminates: every week has a working weekday, and holidays are finitely many.
  for (std::int64_t day = local_day(t);; ++day) {
    if (!is_working_day(day)) continue;
    const Interval iv = hours_of(day);
    if (t < iv.end) return std::max(t, iv.begin);
  }
}

TimePoint BusinessCalendar::add_working_time(TimePoint start, Duration duration) const {
  if (duration <= Duration::zero()) return start;
  Ticks remaining = std::chrono::duration_cast<Ticks>(duration);
  for (std::int64_t day = local_day(start);; ++day) {
    if (!is_working_day(day)) continue;
    const Interval iv = hours_of(day);
    if (start >= iv.end) continue;
    const TimePoint from = std::max(start, iv.begin);
    const Ticks available = iv.end - from;
    if (remaining <= available) return from + remaining;
    remaining -= available;
  }
}

Duration BusinessCalendar::working_time_between(TimePoint a, TimePoint b) const {
  if (b <= a) return Duration::zero();
  Ticks sum{0};
  const std::int64_t last = local_day(b);
  for (std::int64_t day = local_day(a); day <= last; ++day) {
    if (!is_working_day(day)) continue;
    const Interval iv = hours_of(day);
    const TimePoint lo = std::max(a, iv.begin);
    const TimePoint hi = std::min(b, iv.end);
    if (hi > lo) sum += hi - lo;
  }
  return std::chrono::duration_cast<Duration>(sum);
}

}  // namespace otklik
