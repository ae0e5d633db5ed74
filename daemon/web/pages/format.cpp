#include "daemon/web/pages/format.hpp"

#include "daemon/core/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace otklik::web {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr std::array<const char*, 12> kMonthsEn{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/// The local wall clock of `t` as a UTC time point (offset added).
std::chrono::sys_seconds local_clock(TimePoint t, const TimeZone& zone) {
  return floor<seconds>(t) + zone.offset_at(t);
}

}  // namespace

std::string format_int(std::int64_t n, Locale locale) {
  const bool negative = n < 0;
  const auto magnitude = negative ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  const std::string digits = std::to_string(magnitude);
  // Russian groups from five digits ("1000", "10 000") with a no-break space, so that a number
  // never splits over two lines; English from four ("1,000").
  const bool ru = locale == Locale::ru;
  const bool group = digits.size() > (ru ? 4u : 3u);
  std::string out = negative ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (group && i != 0 && (digits.size() - i) % 3 == 0) out += ru ? "\u00A0" : ",";
    out.push_back(digits[i]);
  }
  return out;
}

std::string format_count(const BoundedCount& c, Locale locale) {
  return format_int(c.n, locale) + (c.capped ? "+" : "");
}

std::string format_time(TimePoint t, const TimeZone& zone, Locale locale) {
  const auto local = local_clock(t, zone);
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const auto hms = std::chrono::hh_mm_ss{local - day};
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month()), d = static_cast<unsigned>(ymd.day());
  if (locale == Locale::ru)
    return fmt::format("{:02}.{:02}.{} {:02}:{:02}", d, m, y, hms.hours().count(), hms.minutes().count());
  return fmt::format("{}-{:02}-{:02} {:02}:{:02}", y, m, d, hms.hours().count(), hms.minutes().count());
}

std::string iso_utc(TimePoint t) {
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const auto hms = std::chrono::hh_mm_ss{secs - day};
  return fmt::format("{}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

std::string iso_date(TimePoint t, const TimeZone& zone) {
  const year_month_day ymd{floor<days>(local_clock(t, zone))};
  return fmt::format("{}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

std::int64_t local_day(TimePoint t, const TimeZone& zone) {
  return floor<days>(local_clock(t, zone)).time_since_epoch().count();
}

std::string short_day(std::int64_t day, Locale locale) {
  const year_month_day ymd{sys_days{days{day}}};
  const unsigned m = static_cast<unsigned>(ymd.month()), d = static_cast<unsigned>(ymd.day());
  if (locale == Locale::ru) return fmt::format("{:02}.{:02}", d, m);
  return fmt::format("{} {}", kMonthsEn[(m + 11) % 12], d);
}

std::string format_span(Duration d, Locale locale) {
  const bool ru = locale == Locale::ru;
  const std::int64_t total = std::max<std::int64_t>(0, std::chrono::duration_cast<seconds>(d).count());
  if (total < 60) return fmt::format(fmt::runtime(ru ? "{}\u00A0с" : "{}s"), total);
  const std::int64_t minutes = total / 60;
  if (minutes < 60) return fmt::format(fmt::runtime(ru ? "{}\u00A0мин" : "{}m"), minutes);
  const std::int64_t hours = minutes / 60, rest = minutes % 60;
  if (hours < 48) {
    if (rest == 0) return fmt::format(fmt::runtime(ru ? "{}\u00A0ч" : "{}h"), hours);
    return fmt::format(fmt::runtime(ru ? "{}\u00A0ч {}\u00A0мин" : "{}h {}m"), hours, rest);
  }
  const std::int64_t day_count = hours / 24, rest_hours = hours % 24;
  if (rest_hours == 0) return fmt::format(fmt::runtime(ru ? "{}\u00A0д" : "{}d"), day_count);
  return fmt::format(fmt::runtime(ru ? "{}\u00A0д {}\u00A0ч" : "{}d {}h"), day_count, rest_hours);
}

std::string stars(double rating) {
  const int full = std::clamp(static_cast<int>(std::lround(rating)), 0, 5);
  std::string out;
  for (int i = 0; i < 5; ++i) out += i < full ? "★" : "☆";
  return out;
}

std::string rating_number(double rating) {
  const double r = std::round(rating * 10) / 10;
  if (r == std::floor(r)) return fmt::format("{}", static_cast<long long>(r));
  return fmt::format("{:.1f}", r);
}

std::string shorten(std::string_view s, std::size_t max_chars) {
  std::size_t i = 0, chars = 0, last_space = std::string_view::npos, space_chars = 0;
  while (i < s.size() && chars < max_chars) {
    if (s[i] == ' ' || s[i] == '\n') last_space = i, space_chars = chars;
    decode_utf8(s, i);
    ++chars;
  }
  if (i >= s.size()) return std::string(s);
  // A word cut in half reads worse than a slightly shorter excerpt.
  std::size_t end = i;
  if (last_space != std::string_view::npos && space_chars * 5 >= max_chars * 4) end = last_space;
  std::string out(s.substr(0, end));
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  return out + "…";
}

}  // namespace otklik::web
