#include "daemon/lifecycle/quiet_hours.hpp"

namespace otklik {

std::optional<TimePoint> hold_until(const QuietHoursConfig& quiet, const BusinessCalendar& calendar,
                                    Severity severity, TimePoint now) {
  if (!quiet.enabled || severity >= quiet.urgent_severity) return std::nullopt;
  if (calendar.is_working(now)) return std::nullopt;
  return calendar.next_working_start(now);
}

}  // namespace otklik
