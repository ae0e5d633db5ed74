#pragma once
/// Local time for dates shown in alerts, without the process-global TZ/tzset state.
/// GCC 12's libstdc++ has no std::chrono::locate_zone, so this reads the system's compiled TZif
/// files (/usr/share/zoneinfo, RFC 8536) itself. Times after the file's last transition use the
/// last transition's offset: Debian ships "fat" files with transitions up to 2037, so this only
/// matters for dates beyond that.

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

/// A loaded IANA time zone: its UTC offset at any instant. Cheap to copy; immutable.
class TimeZone {
 public:
  /// UTC.
  TimeZone() = default;

  /// Loads `name` ("Europe/Moscow", "UTC") from `zoneinfo_dir`. Fails with invalid_input for a
  /// name that is not a plain relative path or io_error/parse_failed for a missing or bad file.
  static Result<TimeZone> load(std::string_view name,
                               const std::filesystem::path& zoneinfo_dir = "/usr/share/zoneinfo");
  /// Parses TZif bytes (exposed for tests).
  static Result<TimeZone> parse(std::string_view name, std::string_view tzif);
  /// A fixed offset (tests, and the UTC fallback).
  static TimeZone fixed(std::string name, std::chrono::seconds offset);

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// Offset from UTC in effect at `t`.
  [[nodiscard]] std::chrono::seconds offset_at(TimePoint t) const noexcept;

 private:
  std::string name_ = "UTC";
  std::vector<std::int64_t> transitions_;  ///< seconds since the epoch, ascending
  std::vector<std::int32_t> offsets_;      ///< offset after each transition
  std::int32_t initial_offset_ = 0;        ///< before the first transition
};

/// "23.11.2026 18:06 (UTC+03:00)" style: day.month.year hours:minutes and the offset.
/// `day_first` false gives "2026-11-23 18:06 (UTC+03:00)".
std::string format_local_time(TimePoint t, const TimeZone& zone, bool day_first);

}  // namespace otklik
