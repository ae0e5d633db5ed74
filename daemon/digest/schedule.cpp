#include "daemon/digest/schedule.hpp"

namespace otklik::digest {

using namespace std::chrono;

Schedule Schedule::from(const DigestConfig& config, TimeZone zone) {
  return Schedule{config.day, config.time_minutes, std::move(zone)};
}

TimePoint send_moment_in(IsoWeek w, const Schedule& s) noexcept {
  const int day = s.day < 1 || s.day > 7 ? 1 : s.day;
  const sys_seconds local = sys_days{monday_of(w) + days{day - 1}} + minutes{s.time_minutes};
  return local_to_utc(local, s.zone);
}

DueDigest due_at(const Schedule& s, TimePoint now) noexcept {
  IsoWeek w = iso_week_containing(now, s.zone);
  TimePoint moment = send_moment_in(w, s);
  if (moment > now) {
    w = previous_week(w);
    moment = send_moment_in(w, s);
  }
  return DueDigest{previous_week(w), moment};
}

TimePoint next_send_after(const Schedule& s, TimePoint now) noexcept {
  const IsoWeek w = iso_week_containing(now, s.zone);
  const TimePoint moment = send_moment_in(w, s);
  return moment > now ? moment : send_moment_in(next_week(w), s);
}

}  // namespace otklik::digest
