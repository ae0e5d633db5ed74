#pragma once
/// When the weekly digest is sent: on `[digest].day` at `[digest].time` in `[digest].timezone`,
/// covering the ISO week before the send moment. Pure: `now` is an argument.
///
/// Robust to clock jumps: the digest due at `now` is the one of the LAST scheduled moment ≤ now.
/// The sender sends it unless the store says that week was already sent, so a clock moved back
/// finds an already-sent week (nothing happens) and a clock moved forward (or a daemon down over
/// the send moment) sends the latest week once, late — weeks skipped entirely are not back-filled.

#include "daemon/config/config.hpp"
#include "daemon/core/time_zone.hpp"
#include "daemon/digest/iso_week.hpp"

namespace otklik::digest {

/// The send moments, from [digest] day/time and its loaded time zone.
struct Schedule {
  int day = 1;              ///< ISO weekday, 1 = Monday … 7 = Sunday
  int time_minutes = 9 * 60;  ///< local time of day, minutes after midnight
  TimeZone zone;

  /// From the config's day and time (the zone is loaded by the caller: it reads a file).
  static Schedule from(const DigestConfig& config, TimeZone zone);
};

/// A digest the schedule asks for.
struct DueDigest {
  IsoWeek week;          ///< the week the digest covers (the one before `scheduled`)
  TimePoint scheduled{}; ///< the send moment that made it due
  friend bool operator==(const DueDigest&, const DueDigest&) = default;
};

/// The send moment that falls in ISO week `w` (on `day` of `w` at `time` local).
TimePoint send_moment_in(IsoWeek w, const Schedule& s) noexcept;

/// The digest due at `now`: the one of the last send moment ≤ now.
DueDigest due_at(const Schedule& s, TimePoint now) noexcept;

/// The first send moment strictly after `now`.
TimePoint next_send_after(const Schedule& s, TimePoint now) noexcept;

}  // namespace otklik::digest
