#include "daemon/digest/iso_week.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/digest/week_printer.hpp"

#include <chrono>

using namespace otklik;
using namespace otklik::digest;
using namespace std::chrono;

namespace {

sys_days ymd(int y, unsigned m, unsigned d) { return year{y} / month{m} / day{d}; }

TimePoint utc(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
  return sys_days{ymd(y, m, d)} + hours{h} + minutes{min};
}

TimeZone zone(const char* name) {
  auto z = TimeZone::load(name);
  REQUIRE(z);
  return *z;
}

}  // namespace

TEST_CASE("iso_week_of: days near year boundaries and in 53-week years", "[digest][iso_week]") {
  struct Case {
    sys_days day;
    IsoWeek week;
  };
  const Case cases[] = {
      {ymd(2026, 11, 23), {2026, 48}}, {ymd(2026, 1, 1), {2026, 1}},   {ymd(2025, 12, 29), {2026, 1}},
      {ymd(2025, 12, 28), {2025, 52}}, {ymd(2026, 12, 31), {2026, 53}}, {ymd(2027, 1, 3), {2026, 53}},
      {ymd(2027, 1, 4), {2027, 1}},    {ymd(2020, 12, 31), {2020, 53}}, {ymd(2021, 1, 3), {2020, 53}},
      {ymd(2021, 1, 4), {2021, 1}},    {ymd(2024, 12, 30), {2025, 1}},  {ymd(2008, 12, 29), {2009, 1}},
      {ymd(2010, 1, 3), {2009, 53}},   {ymd(2005, 1, 1), {2004, 53}},   {ymd(2007, 1, 1), {2007, 1}},
      {ymd(2008, 12, 28), {2008, 52}}, {ymd(2015, 12, 31), {2015, 53}}, {ymd(2016, 1, 3), {2015, 53}},
      {ymd(2032, 12, 31), {2032, 53}}, {ymd(2000, 2, 29), {2000, 9}},
  };
  for (const Case& c : cases) {
    INFO(c.day.time_since_epoch().count());
    CHECK(iso_week_of(c.day) == c.week);
    // The week's Monday is at most six days before, and maps back to the same week.
    const sys_days monday = monday_of(c.week);
    CHECK(weekday{monday} == Monday);
    CHECK(c.day - monday >= days{0});
    CHECK(c.day - monday <= days{6});
  }
}

TEST_CASE("weeks_in_year: 53 when 1 January is a Thursday (or a Wednesday in a leap year)", "[digest][iso_week]") {
  const std::pair<int, int> cases[] = {{2004, 53}, {2009, 53}, {2015, 53}, {2020, 53}, {2021, 52},
                                       {2025, 52}, {2026, 53}, {2032, 53}, {2037, 53}, {2100, 52}};
  for (auto [y, n] : cases) {
    INFO(y);
    CHECK(weeks_in_year(y) == n);
  }
}

TEST_CASE("parse_iso_week and to_string", "[digest][iso_week]") {
  const std::pair<const char*, std::optional<IsoWeek>> cases[] = {
      {"2026-W47", IsoWeek{2026, 47}}, {"2026-w47", IsoWeek{2026, 47}}, {"2026-W01", IsoWeek{2026, 1}},
      {"2026-W1", IsoWeek{2026, 1}},   {"2026-W53", IsoWeek{2026, 53}}, {"2025-W53", std::nullopt},
      {"2026-W00", std::nullopt},      {"2026-W54", std::nullopt},      {"2026W47", std::nullopt},
      {"26-W47", std::nullopt},        {"2026-47", std::nullopt},       {"2026-W4x", std::nullopt},
      {"2026-W047", std::nullopt},     {"", std::nullopt},              {"0000-W01", std::nullopt},
      {" 2026-W47", std::nullopt},
  };
  for (const auto& [text, want] : cases) {
    INFO(text);
    CHECK(parse_iso_week(text) == want);
  }
  CHECK(to_string(IsoWeek{2026, 7}) == "2026-W07");
  CHECK(to_string(IsoWeek{2020, 53}) == "2020-W53");
}

TEST_CASE("previous and next weeks cross year boundaries", "[digest][iso_week]") {
  CHECK(previous_week({2026, 1}) == IsoWeek{2025, 52});
  CHECK(previous_week({2027, 1}) == IsoWeek{2026, 53});
  CHECK(next_week({2026, 52}) == IsoWeek{2026, 53});
  CHECK(next_week({2026, 53}) == IsoWeek{2027, 1});
  CHECK(next_week({2025, 52}) == IsoWeek{2026, 1});
  CHECK(previous_week({2026, 47}) == IsoWeek{2026, 46});
  CHECK(add_weeks({2026, 47}, -52) == IsoWeek{2025, 47});
  CHECK(add_weeks({2026, 2}, 60) == IsoWeek{2027, 9});
}

TEST_CASE("week_range: local Monday midnight to the next, across DST", "[digest][iso_week]") {
  const TimeZone moscow = zone("Europe/Moscow");
  const TimeZone berlin = zone("Europe/Berlin");
  const TimeZone new_york = zone("America/New_York");
  struct Case {
    IsoWeek week;
    const TimeZone* tz;
    TimePoint begin, end;
  };
  const Case cases[] = {
      {{2026, 47}, &moscow, utc(2026, 11, 15, 21), utc(2026, 11, 22, 21)},
      {{2026, 53}, &moscow, utc(2026, 12, 27, 21), utc(2027, 1, 3, 21)},
      // Berlin leaves summer time on 25 October 2026: the week is 169 hours long.
      {{2026, 43}, &berlin, utc(2026, 10, 18, 22), utc(2026, 10, 25, 23)},
      // …and enters it on 29 March 2026: 167 hours.
      {{2026, 13}, &berlin, utc(2026, 3, 22, 23), utc(2026, 3, 29, 22)},
      {{2026, 11}, &new_york, utc(2026, 3, 9, 4), utc(2026, 3, 16, 4)},
  };
  for (const Case& c : cases) {
    INFO(to_string(c.week) << " " << c.tz->name());
    const TimeRange r = week_range(c.week, *c.tz);
    CHECK(r.begin == c.begin);
    CHECK(r.end == c.end);
    CHECK(iso_week_containing(r.begin, *c.tz) == c.week);
    CHECK(iso_week_containing(r.end - seconds{1}, *c.tz) == c.week);
    CHECK(iso_week_containing(r.end, *c.tz) == next_week(c.week));
  }
  // The UTC week differs from the Moscow one on Sunday evening.
  CHECK(iso_week_containing(utc(2026, 11, 22, 22), TimeZone{}) == IsoWeek{2026, 47});
  CHECK(iso_week_containing(utc(2026, 11, 22, 22), moscow) == IsoWeek{2026, 48});
}

TEST_CASE("local_to_utc: skipped and repeated local times", "[digest][iso_week]") {
  const TimeZone berlin = zone("Europe/Berlin");
  const auto local = [](int y, unsigned m, unsigned d, int h, int min) {
    return sys_seconds{sys_days{ymd(y, m, d)}} + hours{h} + minutes{min};
  };
  // 29 March 2026 02:30 does not exist in Berlin (02:00 → 03:00): the instant 03:30 CEST.
  CHECK(local_to_utc(local(2026, 3, 29, 2, 30), berlin) == utc(2026, 3, 29, 1, 30));
  // 25 October 2026 02:30 happens twice: the first one (CEST).
  CHECK(local_to_utc(local(2026, 10, 25, 2, 30), berlin) == utc(2026, 10, 25, 0, 30));
  CHECK(local_to_utc(local(2026, 7, 1, 9, 0), berlin) == utc(2026, 7, 1, 7, 0));
  CHECK(local_to_utc(local(2026, 1, 1, 9, 0), berlin) == utc(2026, 1, 1, 8, 0));
}
