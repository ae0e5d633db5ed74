#pragma once
/// Date parsing for feeds and pages: RFC 822 (RSS), RFC 3339 (Atom, dc:date), unix time, and a
/// small strptime-like format for HTML/JSON sources. Pure; all results are UTC time points.

#include "daemon/core/mention.hpp"

#include <optional>
#include <string_view>

namespace otklik {

/// RFC 822 / RFC 1123 / RFC 2822 dates as used by RSS pubDate: "Tue, 10 Jun 2003 04:00:00 GMT",
/// optional weekday and seconds, 2- or 4-digit year, numeric zones (+0300) and the named ones
/// (UT, GMT, UTC, Z, EST/EDT, CST/CDT, MST/MDT, PST/PDT, military letters). Unknown zone = UTC.
std::optional<TimePoint> parse_rfc822_date(std::string_view text);

/// RFC 3339 / ISO 8601: "2003-12-13T18:30:02Z", fractions, "+03:00"/"+0300", a space instead of
/// "T", and a bare date "2003-12-13" (midnight UTC). No zone = UTC.
std::optional<TimePoint> parse_iso8601_date(std::string_view text);

/// Any of: ISO 8601, RFC 822, unix seconds or milliseconds (all digits), "DD.MM.YYYY[ HH:MM[:SS]]".
std::optional<TimePoint> parse_date_auto(std::string_view text);

/// A strptime-like format: %Y %y %m %d %e %H %M %S %b %B (English and Russian month names,
/// full or abbreviated), %z, %% ; a space matches any run of whitespace; other characters match
/// themselves. Leading/trailing whitespace of `text` is ignored; the whole text must match.
std::optional<TimePoint> parse_date_format(std::string_view text, std::string_view format);

/// True when `format` uses only the conversions parse_date_format knows (for config checks).
bool valid_date_format(std::string_view format);

/// The UTC time point of a civil date and time at `offset_minutes` east of UTC; nullopt when
/// a field is out of range or the year is before 1970.
std::optional<TimePoint> make_utc(int year, int month, int day, int hour = 0, int minute = 0,
                                  int second = 0, int offset_minutes = 0);

}  // namespace otklik
