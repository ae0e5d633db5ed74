#include "daemon/digest/iso_week.hpp"

#include <fmt/format.h>

namespace otklik::digest {
namespace {

using namespace std::chrono;

/// 1 = Monday … 7 = Sunday.
unsigned iso_weekday(sys_days d) noexcept { return weekday{d}.iso_encoding(); }

sys_days monday_of_week1(int iso_year) noexcept {
  const sys_days jan4 = year{iso_year} / January / 4;
  return jan4 - days{iso_weekday(jan4) - 1};
}

}  // namespace

int weeks_in_year(int y) noexcept { return iso_week_of(sys_days{year{y} / December / 28}).week; }

std::optional<IsoWeek> parse_iso_week(std::string_view text) noexcept {
  // YYYY-Www
  if (text.size() < 7 || text.size() > 8 || text[4] != '-' || (text[5] != 'W' && text[5] != 'w')) return std::nullopt;
  int y = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    y = y * 10 + (text[i] - '0');
  }
  int w = 0;
  for (std::size_t i = 6; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    w = w * 10 + (text[i] - '0');
  }
  if (y < 1 || w < 1 || w > weeks_in_year(y)) return std::nullopt;
  return IsoWeek{y, w};
}

std::string to_string(IsoWeek w) { return fmt::format("{:04}-W{:02}", w.year, w.week); }

sys_days monday_of(IsoWeek w) noexcept { return monday_of_week1(w.year) + weeks{w.week - 1}; }

IsoWeek iso_week_of(sys_days day) noexcept {
  // The week belongs to the year of its Thursday.
  const sys_days thursday = day - days{iso_weekday(day)} + days{4};
  const int y = static_cast<int>(year_month_day{thursday}.year());
  const sys_days jan1 = year{y} / January / 1;
  return IsoWeek{y, static_cast<int>((thursday - jan1).count() / 7) + 1};
}

IsoWeek iso_week_containing(TimePoint t, const TimeZone& zone) noexcept {
  const auto local = floor<seconds>(t) + zone.offset_at(t);
  return iso_week_of(floor<days>(local));
}

IsoWeek add_weeks(IsoWeek w, int n) noexcept { return iso_week_of(monday_of(w) + weeks{n}); }
IsoWeek previous_week(IsoWeek w) noexcept { return add_weeks(w, -1); }
IsoWeek next_week(IsoWeek w) noexcept { return add_weeks(w, 1); }

TimePoint local_to_utc(sys_seconds local, const TimeZone& zone) noexcept {
  // Offsets in force a day either side cover any real transition (they are hours apart).
  const seconds before = zone.offset_at(local - days{1});
  const seconds after = zone.offset_at(local + days{1});
  const sys_seconds with_before = local - before;
  const sys_seconds with_after = local - after;
  const bool before_ok = zone.offset_at(with_before) == before;
  const bool after_ok = zone.offset_at(with_after) == after;
  if (before_ok && after_ok) return std::min(with_before, with_after);  // repeated hour: the first
  if (before_ok) return with_before;
  if (after_ok) return with_after;
  return with_before;  // in a gap: as many seconds past the jump as the time is past its start
}

TimeRange week_range(IsoWeek w, const TimeZone& zone) noexcept {
  const sys_days monday = monday_of(w);
  return TimeRange{local_to_utc(sys_seconds{monday}, zone), local_to_utc(sys_seconds{monday + weeks{1}}, zone)};
}

}  // namespace otklik::digest
