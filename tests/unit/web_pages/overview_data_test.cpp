#include "daemon/web/pages/format.hpp"
#include "daemon/web/pages/overview_data.hpp"
#include "daemon/web/pages/views.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using namespace otklik;
using namespace otklik::web;
using namespace std::chrono_literals;

namespace {
const TimePoint kNoon{std::chrono::seconds{1796558400}};  // 2026-12-06 12:00 UTC = 15:00 in UTC+3
const TimeZone kMoscow = TimeZone::fixed("Europe/Moscow", 3h);
}  // namespace

TEST_CASE("hours are grouped into the team's local days", "[web][overview]") {
  // 2026-12-05 21:00 UTC is already 2026-12-06 00:00 in Moscow; 20:00 UTC is still the 5th.
  const TimePoint midnight_utc = kNoon - 12h;
  const std::vector<HourCount> hours{
      {"rocket", "", midnight_utc - 3h, 2},   // 21:00 UTC on the 5th: the 6th locally
      {"rocket", "", midnight_utc - 4h, 5},   // 20:00 UTC: the 5th locally
      {"rocket", "waiting", midnight_utc - 3h, 100},  // a topic row: not a brand bar
      {"acme", "", kNoon, 1},
      {"rocket", "", kNoon - 24h * 10, 9},    // outside the 3 days
      {"rocket", "", kNoon + 24h, 9},         // after now's day
  };
  const auto days = negatives_per_day(hours, kNoon, kMoscow, 3, 8, "others");
  CHECK(days.days == 3);
  REQUIRE(days.brands.size() == 2);
  CHECK(days.brands[0].brand == "rocket");
  CHECK(days.brands[0].per_day == std::vector<std::int64_t>{0, 5, 2});
  CHECK(days.brands[0].total == 7);
  CHECK(days.brands[1].brand == "acme");
  CHECK(days.brands[1].per_day == std::vector<std::int64_t>{0, 0, 1});

  const auto utc = negatives_per_day(hours, kNoon, TimeZone{}, 3, 8, "others");
  CHECK(utc.brands[0].per_day == std::vector<std::int64_t>{0, 7, 0});
}

TEST_CASE("brands beyond the limit are summed as others", "[web][overview]") {
  std::vector<HourCount> hours;
  for (int b = 0; b < 5; ++b) hours.push_back({"b" + std::to_string(b), "", kNoon, b + 1});
  const auto days = negatives_per_day(hours, kNoon, kMoscow, 1, 2, "others");
  REQUIRE(days.brands.size() == 3);
  CHECK(days.brands[0].brand == "b4");
  CHECK(days.brands[1].brand == "b3");
  CHECK(days.brands[2].brand == "others");
  CHECK(days.brands[2].total == 1 + 2 + 3);
}

TEST_CASE("no hours, no series", "[web][overview]") {
  const auto days = negatives_per_day({}, kNoon, kMoscow, 28, 7, "others");
  CHECK(days.brands.empty());
  CHECK(days.days == 28);
  CHECK(top_topics({}, kNoon, kMoscow, 7, 10).empty());
}

TEST_CASE("top topics of the last days, summed over brands", "[web][overview]") {
  const std::vector<HourCount> hours{
      {"a", "waiting", kNoon, 3},      {"b", "waiting", kNoon - 24h, 4}, {"a", "staff", kNoon, 5},
      {"a", "", kNoon, 50},            {"a", "fees", kNoon - 24h * 8, 90}, {"a", "app", kNoon, 1},
  };
  const auto top = top_topics(hours, kNoon, kMoscow, 7, 2);
  REQUIRE(top.size() == 2);
  CHECK(top[0].topic == "waiting");
  CHECK(top[0].n == 7);
  CHECK(top[1].topic == "staff");
}

TEST_CASE("median and p90 by nearest rank", "[web][overview]") {
  CHECK_FALSE(summarise_durations({}).median);
  const auto one = summarise_durations({5min});
  CHECK(one.median == Duration(5min));
  CHECK(one.p90 == Duration(5min));
  std::vector<Duration> ten;
  for (int i = 10; i >= 1; --i) ten.push_back(std::chrono::minutes(i));
  const auto f = summarise_durations(ten);
  CHECK(f.count == 10);
  CHECK(f.median == Duration(5min));
  CHECK(f.p90 == Duration(9min));
}

TEST_CASE("brand rows are grouped into the team's local weeks, Monday to Sunday", "[web][overview]") {
  // kNoon is Sunday 2026-12-06 in Moscow: its week began on Monday 2026-11-30.
  const TimePoint monday_local = kNoon - 6 * 24h - 15h;  // 2026-11-30 00:00 in Moscow = 11-29 21:00 UTC
  const std::vector<HourCount> hours{
      {"rocket", "", monday_local, 2},               // the first hour of this week
      {"rocket", "", monday_local - 1h, 3},          // Sunday 23:00 locally: the week before
      {"rocket", "", kNoon, 1},
      {"acme", "", monday_local - 7 * 24h, 4},       // Monday of the week before
      {"acme", "waiting", kNoon, 50},                // a topic row: not a brand bar
      {"rocket", "", monday_local - 14 * 24h - 1h, 9},  // three weeks back: outside 2 weeks
  };
  const auto weeks = negatives_per_week(hours, kNoon, kMoscow, 2, 8, "others");
  CHECK(weeks.days == 2);
  CHECK(weeks.step_days == 7);
  CHECK(weeks.first_day == local_day(monday_local, kMoscow) - 7);
  REQUIRE(weeks.brands.size() == 2);
  CHECK(weeks.brands[0].brand == "rocket");
  CHECK(weeks.brands[0].per_day == std::vector<std::int64_t>{3, 3});
  CHECK(weeks.brands[1].brand == "acme");
  CHECK(weeks.brands[1].per_day == std::vector<std::int64_t>{4, 0});

  // Asked on the Monday itself, the one week shown still starts on that Monday, and the Sunday
  // before it falls outside.
  const auto on_monday = negatives_per_week(hours, monday_local + 12h, kMoscow, 1, 8, "others");
  CHECK(on_monday.first_day == local_day(monday_local, kMoscow));
  REQUIRE(on_monday.brands.size() == 1);
  CHECK(on_monday.brands[0].per_day == std::vector<std::int64_t>{2 + 1});
}

TEST_CASE("topic rows per local day, summed over brands, the rest as others", "[web][overview]") {
  const std::vector<HourCount> hours{
      {"a", "waiting", kNoon, 3}, {"b", "waiting", kNoon - 24h, 4}, {"a", "staff", kNoon, 5},
      {"a", "", kNoon, 50},       {"a", "fees", kNoon - 24h, 1},    {"a", "app", kNoon - 24h * 9, 7},
  };
  const auto days = topics_per_day(hours, kNoon, kMoscow, 2, 2, "others");
  CHECK(days.step_days == 1);
  REQUIRE(days.brands.size() == 3);
  CHECK(days.brands[0].brand == "waiting");
  CHECK(days.brands[0].per_day == std::vector<std::int64_t>{4, 3});
  CHECK(days.brands[1].brand == "staff");
  CHECK(days.brands[1].per_day == std::vector<std::int64_t>{0, 5});
  CHECK(days.brands[2].brand == "others");
  CHECK(days.brands[2].per_day == std::vector<std::int64_t>{1, 0});  // fees; app is outside the 2 days
}
