#include "daemon/replies/reply_date.hpp"

#include <array>
#include <chrono>

namespace otklik::replies {
namespace {

constexpr std::array<std::string_view, 12> kRu = {"января", "февраля", "марта",    "апреля",  "мая",    "июня",
                                                  "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
constexpr std::array<std::string_view, 12> kEn = {"January", "February", "March",     "April",   "May",      "June",
                                                  "July",    "August",   "September", "October", "November", "December"};

std::chrono::year_month_day local_day(std::int64_t ms, const TimeZone& zone) {
  const TimePoint t{std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms))};
  const auto local = std::chrono::time_point_cast<std::chrono::seconds>(t) + zone.offset_at(t);
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(local)};
}

}  // namespace

std::string reply_date(std::int64_t at_ms, std::int64_t now_ms, const TimeZone& zone, std::string_view locale) {
  const auto day = local_day(at_ms, zone);
  const bool en = locale.substr(0, 2) == "en";
  const unsigned month = static_cast<unsigned>(day.month()) - 1;
  std::string out = std::to_string(static_cast<unsigned>(day.day())) + " " +
                    std::string(en ? kEn[month % 12] : kRu[month % 12]);
  if (now_ms != 0 && local_day(now_ms, zone).year() != day.year()) {
    out += " " + std::to_string(static_cast<int>(day.year()));
    if (!en) out += " года";
  }
  return out;
}

}  // namespace otklik::replies
