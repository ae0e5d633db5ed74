#pragma once
/// Quiet hours: outside the team's working time non-urgent alerts are held and released at the
/// start of the next working interval; urgent ones (severity >= urgent_severity) go through.

#include "daemon/config/config.hpp"
#include "daemon/lifecycle/calendar.hpp"

#include <optional>

namespace otklik {

/// The time to hold an alert of `severity` until (AlertRequest::not_before), or nullopt when it
/// goes out now: quiet hours off, urgent, or `now` is working time.
std::optional<TimePoint> hold_until(const QuietHoursConfig& quiet, const BusinessCalendar& calendar,
                                    Severity severity, TimePoint now);

}  // namespace otklik
