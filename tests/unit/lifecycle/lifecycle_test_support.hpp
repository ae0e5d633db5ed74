#pragma once
/// Helpers for the lifecycle tests: UTC instants written as dates, calendars, sample cases.

#include "daemon/lifecycle/calendar.hpp"
#include "daemon/lifecycle/case.hpp"

#include <catch2/catch.hpp>

#include <chrono>

namespace otklik::test {

/// y-m-d h:mi UTC.
inline TimePoint utc(int y, unsigned m, unsigned d, int h = 0, int mi = 0) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{mi};
}

/// Mon–Fri 09:00–18:00 in `zone` (loaded from the system's zoneinfo), plus holidays and extra days.
inline BusinessCalendar office(const std::string& zone = "UTC", std::vector<std::string> holidays = {},
                               std::vector<std::string> extra = {}) {
  CalendarConfig cfg;
  cfg.timezone = zone;
  cfg.holidays = std::move(holidays);
  cfg.extra_workdays = std::move(extra);
  auto cal = make_calendar(cfg);
  REQUIRE(cal);
  return std::move(*cal);
}

inline Actor actor(std::string id = "42", std::string name = "@anna") {
  return Actor{"telegram", std::move(id), std::move(name)};
}

}  // namespace otklik::test
