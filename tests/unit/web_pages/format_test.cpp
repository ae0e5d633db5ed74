#include "daemon/web/pages/format.hpp"
#include "daemon/web/pages/ui_text.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <limits>

using namespace otklik;
using namespace otklik::web;
using namespace std::chrono_literals;

TEST_CASE("numbers are grouped per locale", "[web][format]") {
  struct Case {
    std::int64_t n;
    const char* ru;
    const char* en;
  };
  const Case cases[] = {
      {0, "0", "0"},
      {999, "999", "999"},
      {1000, "1000", "1,000"},
      {10000, "10\u00A0000", "10,000"},
      {1234567, "1\u00A0234\u00A0567", "1,234,567"},
      {-12345, "-12\u00A0345", "-12,345"},
      {std::numeric_limits<std::int64_t>::min(), "-9\u00A0223\u00A0372\u00A0036\u00A0854\u00A0775\u00A0808",
       "-9,223,372,036,854,775,808"},
  };
  for (const auto& c : cases) {
    INFO(c.n);
    CHECK(format_int(c.n, Locale::ru) == c.ru);
    CHECK(format_int(c.n, Locale::en) == c.en);
  }
  CHECK(format_count({"", 10000, true}, Locale::ru) == "10\u00A0000+");
  CHECK(format_count({"", 10000, true}, Locale::en) == "10,000+");
  CHECK(format_count({"", 42, false}, Locale::en) == "42");
}

TEST_CASE("times are shown in the team's zone", "[web][format]") {
  const TimePoint t{std::chrono::seconds{1796558400}};  // 2026-12-06 12:00 UTC
  const auto moscow = TimeZone::fixed("Europe/Moscow", 3h);
  CHECK(format_time(t, moscow, Locale::ru) == "06.12.2026 15:00");
  CHECK(format_time(t, moscow, Locale::en) == "2026-12-06 15:00");
  CHECK(iso_utc(t) == "2026-12-06T12:00:00Z");
  CHECK(iso_date(t + 9h, moscow) == "2026-12-07");
  CHECK(iso_date(t + 9h, TimeZone{}) == "2026-12-06");
  CHECK(local_day(t + 9h, moscow) == local_day(t, moscow) + 1);
  const auto la = TimeZone::fixed("America/Los_Angeles", -8h);
  CHECK(format_time(t - 13h, la, Locale::en) == "2026-12-05 15:00");
  CHECK(short_day(local_day(t, moscow), Locale::ru) == "06.12");
  CHECK(short_day(local_day(t, moscow), Locale::en) == "Dec 6");
}

TEST_CASE("durations read short", "[web][format]") {
  CHECK(format_span(40s, Locale::en) == "40s");
  CHECK(format_span(5min, Locale::en) == "5m");
  CHECK(format_span(80min, Locale::en) == "1h 20m");
  CHECK(format_span(2h, Locale::en) == "2h");
  CHECK(format_span(50h, Locale::en) == "2d 2h");
  CHECK(format_span(72h, Locale::en) == "3d");
  CHECK(format_span(80min, Locale::ru) == "1\u00A0ч 20\u00A0мин");
  CHECK(format_span(-5s, Locale::en) == "0s");
}

TEST_CASE("ratings and excerpts", "[web][format]") {
  CHECK(stars(4) == "★★★★☆");
  CHECK(stars(0) == "☆☆☆☆☆");
  CHECK(stars(4.6) == "★★★★★");
  CHECK(stars(9) == "★★★★★");
  CHECK(rating_number(4) == "4");
  CHECK(rating_number(3.5) == "3.5");
  CHECK(shorten("short", 10) == "short");
  CHECK(shorten("очередь в кассе", 7) == "очередь…");
  CHECK(shorten("очередь в кассе", 9) == "очередь в…");
  CHECK(shorten(std::string(300, 'x'), 280) == std::string(280, 'x') + "…");
  // The cut never splits a character: 3 letters of 2 bytes each.
  CHECK(shorten("ааааа", 3) == "ааа…");
}

TEST_CASE("every UI text exists in both languages", "[web][format]") {
  for (int i = 0; i < static_cast<int>(Text::count_); ++i) {
    INFO(i);
    CHECK_FALSE(tr(Locale::ru, static_cast<Text>(i)).empty());
    CHECK_FALSE(tr(Locale::en, static_cast<Text>(i)).empty());
  }
  CHECK(count_mentions(Locale::ru, 1) == "1 упоминание");
  CHECK(count_mentions(Locale::ru, 3) == "3 упоминания");
  CHECK(count_mentions(Locale::ru, 11) == "11 упоминаний");
  CHECK(count_mentions(Locale::en, 1) == "1 mention");
  CHECK(count_mentions(Locale::en, 1000) == "1,000 mentions");
  CHECK(repeat_summary(Locale::ru, 1, 30) == "1 негативный отзыв за 30 дней");
  CHECK(repeat_summary(Locale::ru, 22, 1) == "22 негативных отзыва за 1 день");
  CHECK(repeat_summary(Locale::en, 1, 7) == "1 negative mention in 7 days");
  CHECK(repeat_summary(Locale::en, 5, 1) == "5 negative mentions in 1 day");
  CHECK(parse_locale("ru") == Locale::ru);
  CHECK(parse_locale("de") == Locale::en);
}
