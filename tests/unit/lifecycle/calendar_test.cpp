#include "daemon/lifecycle/calendar.hpp"
#include "lifecycle_test_support.hpp"
#include "tests/support/catch_result.hpp"

using namespace otklik;
using namespace std::chrono_literals;
using test::office;
using test::utc;

// Dates: 2026-11-23 is a Monday; 2026-11-04 a Wednesday (a Russian holiday); 2026-11-28 a Saturday.
// Berlin: summer time from 2026-03-29 01:00 UTC to 2026-10-25 01:00 UTC. Moscow: UTC+3 all year.

TEST_CASE("parse_civil_date", "[lifecycle][calendar]") {
  CHECK(parse_civil_date("1970-01-01") == 0);
  CHECK(parse_civil_date("1970-01-02") == 1);
  CHECK(parse_civil_date("1969-12-31") == -1);
  CHECK(parse_civil_date("2024-02-29").has_value());
  for (std::string_view bad : {"", "2026-02-29", "2026-13-01", "2026-1-05", "2026/01/05", "2026-01-05 ", "abcd-ef-gh",
                               "2026-00-10", "2026-04-31"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_civil_date(bad));
  }
}

TEST_CASE("make_calendar refuses bad settings", "[lifecycle][calendar]") {
  struct Bad {
    const char* name;
    CalendarConfig cfg;
    errc code;
  };
  auto with = [](auto change) {
    CalendarConfig c;
    change(c);
    return c;
  };
  const std::vector<Bad> cases = {
      {"end before start", with([](CalendarConfig& c) { c.day_start_minutes = 18 * 60, c.day_end_minutes = 9 * 60; }),
       errc::invalid_input},
      {"empty day", with([](CalendarConfig& c) { c.day_end_minutes = c.day_start_minutes; }), errc::invalid_input},
      {"past midnight", with([](CalendarConfig& c) { c.day_end_minutes = 25 * 60; }), errc::invalid_input},
      {"no weekdays", with([](CalendarConfig& c) { c.workdays.clear(); }), errc::invalid_input},
      {"weekday 0", with([](CalendarConfig& c) { c.workdays = {0, 1}; }), errc::invalid_input},
      {"weekday 8", with([](CalendarConfig& c) { c.workdays = {8}; }), errc::invalid_input},
      {"bad holiday", with([](CalendarConfig& c) { c.holidays = {"2026-02-30"}; }), errc::invalid_input},
      {"bad extra day", with([](CalendarConfig& c) { c.extra_workdays = {"28.11.2026"}; }), errc::invalid_input},
      {"holiday and extra", with([](CalendarConfig& c) { c.holidays = c.extra_workdays = {"2026-11-28"}; }),
       errc::invalid_input},
  };
  for (const Bad& b : cases) {
    CAPTURE(b.name);
    auto cal = make_calendar(b.cfg);
    REQUIRE_FALSE(cal);
    CHECK(cal.error().code == make_error_code(b.code));
  }
  CalendarConfig unknown_zone;
  unknown_zone.timezone = "Europe/Atlantis";
  CHECK_FALSE(make_calendar(unknown_zone));
  CHECK(make_calendar(CalendarConfig{}));
}

TEST_CASE("is_working and next_working_start", "[lifecycle][calendar]") {
  const BusinessCalendar msk = office("Europe/Moscow", {"2026-11-04"}, {"2026-11-28"});
  struct Row {
    const char* name;
    TimePoint t;
    bool working;
    TimePoint next;
  };
  // Moscow = UTC+3: 09:00 MSK = 06:00 UTC, 18:00 MSK = 15:00 UTC.
  const std::vector<Row> rows = {
      {"monday morning before hours", utc(2026, 11, 23, 5, 59), false, utc(2026, 11, 23, 6)},
      {"monday at the start", utc(2026, 11, 23, 6), true, utc(2026, 11, 23, 6)},
      {"monday noon", utc(2026, 11, 23, 9), true, utc(2026, 11, 23, 9)},
      {"monday at the end (exclusive)", utc(2026, 11, 23, 15), false, utc(2026, 11, 24, 6)},
      {"monday night (UTC still monday)", utc(2026, 11, 23, 22), false, utc(2026, 11, 24, 6)},
      {"friday evening", utc(2026, 11, 20, 16), false, utc(2026, 11, 23, 6)},
      {"sunday", utc(2026, 11, 22, 9), false, utc(2026, 11, 23, 6)},
      {"tuesday before a holiday wednesday", utc(2026, 11, 3, 16), false, utc(2026, 11, 5, 6)},
      {"the holiday itself", utc(2026, 11, 4, 9), false, utc(2026, 11, 5, 6)},
      {"friday evening before an extra saturday", utc(2026, 11, 27, 16), false, utc(2026, 11, 28, 6)},
      {"the extra saturday", utc(2026, 11, 28, 9), true, utc(2026, 11, 28, 9)},
      {"just before Moscow midnight on sunday", utc(2026, 11, 22, 20, 59), false, utc(2026, 11, 23, 6)},
  };
  for (const Row& r : rows) {
    CAPTURE(r.name);
    CHECK(msk.is_working(r.t) == r.working);
    CHECK(msk.next_working_start(r.t) == r.next);
  }
}

TEST_CASE("add_working_time and working_time_between", "[lifecycle][calendar]") {
  const BusinessCalendar msk = office("Europe/Moscow", {"2026-11-04"}, {"2026-11-28"});
  const BusinessCalendar berlin = office("Europe/Berlin");
  struct Row {
    const char* name;
    const BusinessCalendar* cal;
    TimePoint start;
    Duration d;
    TimePoint deadline;
  };
  const std::vector<Row> rows = {
      {"inside one day", &msk, utc(2026, 11, 23, 7), 30min, utc(2026, 11, 23, 7, 30)},
      {"zero returns start, even at night", &msk, utc(2026, 11, 23, 22), 0min, utc(2026, 11, 23, 22)},
      {"negative returns start", &msk, utc(2026, 11, 23, 7), -5min, utc(2026, 11, 23, 7)},
      {"ends exactly at day end", &msk, utc(2026, 11, 23, 14), 1h, utc(2026, 11, 23, 15)},
      {"over the evening", &msk, utc(2026, 11, 23, 14, 45), 30min, utc(2026, 11, 24, 6, 15)},
      {"over the weekend", &msk, utc(2026, 11, 20, 14, 45), 30min, utc(2026, 11, 23, 6, 15)},
      {"started on saturday", &msk, utc(2026, 11, 21, 9), 1h, utc(2026, 11, 23, 7)},
      {"started before hours", &msk, utc(2026, 11, 23, 4), 1h, utc(2026, 11, 23, 7)},
      {"over a holiday", &msk, utc(2026, 11, 3, 14, 30), 1h, utc(2026, 11, 5, 6, 30)},
      {"onto an extra saturday", &msk, utc(2026, 11, 27, 14, 30), 1h, utc(2026, 11, 28, 6, 30)},
      {"a whole working week", &msk, utc(2026, 11, 23, 6), 45h, utc(2026, 11, 27, 15)},
      {"two weeks with an extra saturday", &msk, utc(2026, 11, 23, 6), 91h, utc(2026, 12, 4, 7)},
      // Berlin, spring forward on Sunday 2026-03-29: Friday 17:00 CET = 16:00 UTC; Monday 10:00 CEST = 08:00 UTC.
      {"berlin over spring forward", &berlin, utc(2026, 3, 27, 16), 2h, utc(2026, 3, 30, 8)},
      // Fall back on Sunday 2026-10-25: Friday 17:00 CEST = 15:00 UTC; Monday 10:00 CET = 09:00 UTC.
      {"berlin over fall back", &berlin, utc(2026, 10, 23, 15), 2h, utc(2026, 10, 26, 9)},
      {"berlin summer day", &berlin, utc(2026, 7, 1, 7), 9h, utc(2026, 7, 1, 16)},
      {"berlin winter day", &berlin, utc(2026, 1, 7, 8), 9h, utc(2026, 1, 7, 17)},
  };
  for (const Row& r : rows) {
    CAPTURE(r.name);
    CHECK(r.cal->add_working_time(r.start, r.d) == r.deadline);
    if (r.d > 0min) {
      CHECK(r.cal->working_time_between(r.start, r.deadline) == r.d);
    }
  }
  CHECK(msk.working_time_between(utc(2026, 11, 23, 9), utc(2026, 11, 23, 8)) == 0min);
  CHECK(msk.working_time_between(utc(2026, 11, 21, 0), utc(2026, 11, 23, 0)) == 0min);
  CHECK(msk.working_time_between(utc(2026, 11, 2, 0), utc(2026, 11, 9, 0)) == 36h);  // holiday week
  CHECK(msk.working_time_between(utc(2026, 11, 23, 0), utc(2026, 11, 30, 0)) == 54h);  // extra saturday
}

TEST_CASE("a round-the-clock calendar counts the short and the long DST days", "[lifecycle][calendar]") {
  CalendarConfig cfg;
  cfg.timezone = "Europe/Berlin";
  cfg.workdays = {1, 2, 3, 4, 5, 6, 7};
  cfg.day_start_minutes = 0;
  cfg.day_end_minutes = 24 * 60;
  auto cal = make_calendar(cfg);
  REQUIRE(cal);
  // Saturday 00:00 CET → Monday 00:00 CEST: 47 hours.
  CHECK(cal->working_time_between(utc(2026, 3, 27, 23), utc(2026, 3, 29, 22)) == 47h);
  CHECK(cal->add_working_time(utc(2026, 3, 27, 23), 47h) == utc(2026, 3, 29, 22));
  // Saturday 00:00 CEST → Monday 00:00 CET: 49 hours.
  CHECK(cal->working_time_between(utc(2026, 10, 23, 22), utc(2026, 10, 25, 23)) == 49h);
  CHECK(cal->is_working(utc(2026, 3, 29, 1, 30)));

  const BusinessCalendar always;
  CHECK(always.is_working(utc(2026, 11, 22, 3)));
  CHECK(always.add_working_time(utc(2026, 11, 22, 3), 50h) == utc(2026, 11, 24, 5));
  CHECK(always.working_time_between(utc(2026, 11, 22, 3), utc(2026, 11, 24, 5)) == 50h);
}

TEST_CASE("long spans: deadline and elapsed time agree", "[lifecycle][calendar]") {
  const BusinessCalendar berlin = office("Europe/Berlin", {"2026-12-24", "2026-12-25", "2027-01-01"});
  for (TimePoint start : {utc(2026, 1, 5, 3), utc(2026, 3, 27, 15, 17), utc(2026, 10, 24, 12), utc(2026, 12, 23, 16)}) {
    for (Duration d : {Duration{1ms}, Duration{8h + 59min}, Duration{9h}, Duration{100h}, Duration{2000h}}) {
      CAPTURE(start, d.count());
      const TimePoint deadline = berlin.add_working_time(start, d);
      CHECK(berlin.working_time_between(start, deadline) == d);
      CHECK(berlin.is_working(deadline - 1ms));
    }
  }
}
