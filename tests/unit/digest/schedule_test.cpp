#include "daemon/digest/schedule.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/digest/week_printer.hpp"

using namespace otklik;
using namespace otklik::digest;
using namespace std::chrono;

namespace {

TimePoint utc(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min};
}

Schedule schedule(int day, int h, int m, const char* tz) {
  auto z = TimeZone::load(tz);
  REQUIRE(z);
  DigestConfig c;
  c.day = day;
  c.time_minutes = h * 60 + m;
  return Schedule::from(c, *z);
}

}  // namespace

TEST_CASE("due_at: the week before the last send moment", "[digest][schedule]") {
  const Schedule moscow = schedule(1, 9, 0, "Europe/Moscow");  // Monday 09:00 MSK = 06:00Z
  const Schedule utc_mon = schedule(1, 9, 0, "UTC");
  const Schedule sunday = schedule(7, 20, 30, "UTC");
  struct Case {
    const Schedule* s;
    TimePoint now;
    IsoWeek week;
    TimePoint scheduled;
  };
  const Case cases[] = {
      {&moscow, utc(2026, 11, 23, 6), {2026, 47}, utc(2026, 11, 23, 6)},         // exactly at the moment
      {&moscow, utc(2026, 11, 23, 5, 59), {2026, 46}, utc(2026, 11, 16, 6)},     // a minute before
      {&moscow, utc(2026, 11, 29, 23), {2026, 47}, utc(2026, 11, 23, 6)},        // Sunday night
      {&moscow, utc(2026, 11, 29, 21, 30), {2026, 47}, utc(2026, 11, 23, 6)},    // Monday 00:30 MSK
      {&utc_mon, utc(2027, 1, 4, 9), {2026, 53}, utc(2027, 1, 4, 9)},            // after a 53-week year
      {&utc_mon, utc(2026, 1, 5, 9), {2026, 1}, utc(2026, 1, 5, 9)},
      {&utc_mon, utc(2025, 12, 29, 9), {2025, 52}, utc(2025, 12, 29, 9)},        // W01 starts in December
      {&utc_mon, utc(2025, 12, 29, 8), {2025, 51}, utc(2025, 12, 22, 9)},
      {&sunday, utc(2026, 11, 29, 20, 30), {2026, 47}, utc(2026, 11, 29, 20, 30)},
      {&sunday, utc(2026, 11, 29, 20, 29), {2026, 46}, utc(2026, 11, 22, 20, 30)},
  };
  for (const Case& c : cases) {
    INFO(c.s->zone.name() << " " << c.now.time_since_epoch().count());
    const DueDigest due = due_at(*c.s, c.now);
    CHECK(due.week == c.week);
    CHECK(due.scheduled == c.scheduled);
    CHECK(due.scheduled <= c.now);
    CHECK(next_send_after(*c.s, c.now) > c.now);
    CHECK(next_send_after(*c.s, c.now) - due.scheduled <= hours{24 * 7 + 1});
  }
}

TEST_CASE("next_send_after: strictly after now", "[digest][schedule]") {
  const Schedule moscow = schedule(1, 9, 0, "Europe/Moscow");
  CHECK(next_send_after(moscow, utc(2026, 11, 23, 5, 59)) == utc(2026, 11, 23, 6));
  CHECK(next_send_after(moscow, utc(2026, 11, 23, 6)) == utc(2026, 11, 30, 6));
  CHECK(next_send_after(moscow, utc(2026, 11, 25)) == utc(2026, 11, 30, 6));
  const Schedule friday = schedule(5, 17, 45, "UTC");
  CHECK(next_send_after(friday, utc(2026, 12, 31)) == utc(2027, 1, 1, 17, 45));
}

TEST_CASE("schedule across DST changes keeps the local time", "[digest][schedule]") {
  const Schedule berlin = schedule(1, 9, 0, "Europe/Berlin");
  // Winter: 09:00 CET = 08:00Z; after 29 March 2026: 09:00 CEST = 07:00Z.
  CHECK(next_send_after(berlin, utc(2026, 3, 20)) == utc(2026, 3, 23, 8));
  CHECK(next_send_after(berlin, utc(2026, 3, 23, 8)) == utc(2026, 3, 30, 7));
  CHECK(due_at(berlin, utc(2026, 3, 30, 7)).week == IsoWeek{2026, 13});
  CHECK(due_at(berlin, utc(2026, 3, 30, 6, 59)).week == IsoWeek{2026, 12});
  CHECK(next_send_after(berlin, utc(2026, 10, 20)) == utc(2026, 10, 26, 8));

  // A send time in the skipped hour happens once, right after the jump…
  const Schedule gap = schedule(7, 2, 30, "Europe/Berlin");
  CHECK(send_moment_in({2026, 13}, gap) == utc(2026, 3, 29, 1, 30));
  CHECK(due_at(gap, utc(2026, 3, 29, 1, 30)).week == IsoWeek{2026, 12});
  // …and one in the repeated hour at its first occurrence; the second one finds the same week due.
  CHECK(send_moment_in({2026, 43}, gap) == utc(2026, 10, 25, 0, 30));
  CHECK(due_at(gap, utc(2026, 10, 25, 1, 30)) == DueDigest{{2026, 42}, utc(2026, 10, 25, 0, 30)});
}

TEST_CASE("clock jumps: due is always the latest week, never a back-fill", "[digest][schedule]") {
  const Schedule s = schedule(1, 9, 0, "UTC");
  // The W47 digest went out on 23 November; the clock is set back to Friday the 20th:
  // due is W46 again (the sender finds it already sent and does nothing).
  CHECK(due_at(s, utc(2026, 11, 20, 12)).week == IsoWeek{2026, 46});
  // The clock jumps forward eight weeks: only the latest week is due, once.
  CHECK(due_at(s, utc(2027, 1, 20, 12)).week == IsoWeek{2027, 2});
  // Each instant of a week after its send moment asks for the same digest.
  const DueDigest a = due_at(s, utc(2026, 11, 23, 9));
  for (int h = 0; h < 24 * 7; h += 5) CHECK(due_at(s, utc(2026, 11, 23, 9) + hours{h}) == a);
}
