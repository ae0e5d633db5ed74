// The inbox's address: query strings to filters and back, hostile or broken values dropped and
// named, dates as local days of the team's zone.
#include "daemon/web/inbox_query.hpp"

#include <catch2/catch.hpp>

using namespace otklik;
using namespace otklik::web;
using namespace std::chrono;

namespace {

TimePoint utc(int y, unsigned m, unsigned d, int h = 0) {
  return TimePoint{sys_days(year_month_day{year(y), month(m), day(d)}).time_since_epoch() + hours(h)};
}

}  // namespace

TEST_CASE("inbox query: every filter parses", "[web][inbox_query]") {
  const TimeZone moscow = TimeZone::fixed("Europe/Moscow", hours(3));
  auto a = parse_inbox_query(
      "brand=bank&brand=cafe&source=yandex%3Amain&label=negative&severity=high&state=taken&topic=waiting"
      "&rating_min=1&rating_max=2.5&from=2026-11-01&to=2026-11-30&q=%D0%BE%D1%87%D0%B5%D1%80%D0%B5%D0%B4%D1%8C+"
      "%D0%BA%D0%B0%D1%81%D1%81%D0%B0&after=1764950400000.42",
      moscow);
  CHECK(a.problems.empty());
  CHECK(a.filter.brands == std::vector<std::string>{"bank", "cafe"});
  CHECK(a.filter.sources == std::vector<std::string>{"yandex:main"});
  CHECK(a.filter.label == Label::negative);
  CHECK(a.filter.severity == "high");
  CHECK(a.filter.case_state == "taken");
  CHECK(a.filter.topic == "waiting");
  CHECK(a.filter.min_rating == 1.0);
  CHECK(a.filter.max_rating == 2.5);
  // Local days in Moscow: 1 November starts at 21:00 UTC the day before; 30 November ends at
  // 21:00 UTC on the 30th.
  CHECK(a.filter.from == utc(2026, 10, 31, 21));
  CHECK(a.filter.to == utc(2026, 11, 30, 21));
  CHECK(a.filter.text == "очередь касса");
  REQUIRE(a.after);
  CHECK(a.after->at == TimePoint{milliseconds(1764950400000)});
  CHECK(a.after->id == 42);
}

TEST_CASE("inbox query: bad values are dropped and named, the rest kept", "[web][inbox_query]") {
  struct Case {
    std::string_view query;
    std::string_view problem;
  };
  const Case cases[] = {
      {"label=awful", "label:"},
      {"severity=critical", "severity:"},
      {"state=lost", "state:"},
      {"rating_min=9", "rating_min:"},
      {"rating_max=-1", "rating_max:"},
      {"rating_min=1e999", "rating_min:"},
      {"from=2026-13-01", "from:"},
      {"to=yesterday", "to:"},
      {"after=12", "after:"},
      {"after=12.-5", "after:"},
      {"q=%zz", "query:"},
  };
  const TimeZone zone;
  for (const auto& c : cases) {
    INFO(c.query);
    auto a = parse_inbox_query(std::string(c.query) + (c.query.starts_with("q=%zz") ? "" : "&brand=bank"), zone);
    REQUIRE(a.problems.size() == 1);
    CHECK(a.problems[0].starts_with(c.problem));
    if (!c.query.starts_with("q=%zz")) CHECK(a.filter.brands == std::vector<std::string>{"bank"});
  }
}

TEST_CASE("inbox query: hostile values stay plain values", "[web][inbox_query]") {
  const TimeZone zone;
  auto a = parse_inbox_query("brand=%27%3B+DROP+TABLE+mentions%3B+--&q=%22+OR+1%3D1+NEAR%28x%29*&unknown=1", zone);
  CHECK(a.problems.empty());
  CHECK(a.filter.brands == std::vector<std::string>{"'; DROP TABLE mentions; --"});
  CHECK(a.filter.text == "\" OR 1=1 NEAR(x)*");
}

TEST_CASE("inbox query: empty fields are no filter, an empty query is everything", "[web][inbox_query]") {
  const TimeZone zone;
  auto a = parse_inbox_query("brand=&label=&q=&from=", zone);
  CHECK(a.problems.empty());
  CHECK(is_unfiltered(a.filter));
  CHECK(is_unfiltered(parse_inbox_query("", zone).filter));
  CHECK_FALSE(is_unfiltered(parse_inbox_query("label=negative", zone).filter));
}

TEST_CASE("inbox query: written back, it reads the same", "[web][inbox_query]") {
  const TimeZone moscow = TimeZone::fixed("Europe/Moscow", hours(3));
  InboxFilter f;
  f.brands = {"bank & co", "кафе"};
  f.sources = {"two_gis:1"};
  f.label = Label::neutral;
  f.severity = "low";
  f.case_state = "none";
  f.topic = "rudeness";
  f.min_rating = 1.5;
  f.max_rating = 3;
  f.from = utc(2026, 11, 1) - hours(3);
  f.to = utc(2026, 12, 1) - hours(3);
  f.text = "долго ждал + 100% \"плохо\"";
  const InboxCursor cursor{TimePoint{milliseconds(1764950400123)}, 7};
  const std::string q = inbox_query_string(f, cursor, moscow);
  auto back = parse_inbox_query(q, moscow);
  CHECK(back.problems.empty());
  CHECK(back.filter == f);
  REQUIRE(back.after);
  CHECK(*back.after == cursor);
  CHECK(inbox_query_string(InboxFilter{}, std::nullopt, moscow).empty());
}
