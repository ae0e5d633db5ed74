#include "daemon/lifecycle/quiet_hours.hpp"
#include "lifecycle_test_support.hpp"
#include "tests/support/catch_result.hpp"

using namespace otklik;
using namespace std::chrono_literals;
using test::office;
using test::utc;

TEST_CASE("quiet hours hold non-urgent alerts until the working day starts", "[lifecycle][quiet]") {
  // Moscow, Mon–Fri 09:00–18:00 (06:00–15:00 UTC), 2026-11-04 a holiday.
  const BusinessCalendar msk = office("Europe/Moscow", {"2026-11-04"});
  QuietHoursConfig on;
  on.enabled = true;
  QuietHoursConfig off;
  QuietHoursConfig medium_urgent = on;
  medium_urgent.urgent_severity = Severity::medium;

  struct Row {
    const char* name;
    const QuietHoursConfig* quiet;
    Severity severity;
    TimePoint now;
    std::optional<TimePoint> held_until;
  };
  const std::vector<Row> rows = {
      {"working time: goes now", &on, Severity::low, utc(2026, 11, 23, 9), std::nullopt},
      {"night: held to the morning", &on, Severity::low, utc(2026, 11, 23, 20), utc(2026, 11, 24, 6)},
      {"early morning: held to 09:00", &on, Severity::medium, utc(2026, 11, 24, 3), utc(2026, 11, 24, 6)},
      {"friday night: held to monday", &on, Severity::medium, utc(2026, 11, 20, 19), utc(2026, 11, 23, 6)},
      {"saturday: held to monday", &on, Severity::low, utc(2026, 11, 21, 10), utc(2026, 11, 23, 6)},
      {"holiday: held to the next working day", &on, Severity::low, utc(2026, 11, 4, 10), utc(2026, 11, 5, 6)},
      {"urgent at night: goes now", &on, Severity::high, utc(2026, 11, 23, 20), std::nullopt},
      {"urgent on saturday: goes now", &on, Severity::high, utc(2026, 11, 21, 10), std::nullopt},
      {"lower urgency threshold", &medium_urgent, Severity::medium, utc(2026, 11, 23, 20), std::nullopt},
      {"below the lower threshold", &medium_urgent, Severity::low, utc(2026, 11, 23, 20), utc(2026, 11, 24, 6)},
      {"quiet hours off", &off, Severity::low, utc(2026, 11, 23, 20), std::nullopt},
      {"exactly at day end", &on, Severity::low, utc(2026, 11, 23, 15), utc(2026, 11, 24, 6)},
  };
  for (const Row& r : rows) {
    CAPTURE(r.name);
    CHECK(hold_until(*r.quiet, msk, r.severity, r.now) == r.held_until);
  }
}
