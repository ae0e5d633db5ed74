#pragma once
/// Helpers shared by the digest's queries (not part of the public API).

#include "daemon/digest/digest_data.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace otklik::digest::detail {

/// The time a mention belongs to: published when the site gives it, else first seen.
inline constexpr const char* kMentionTime = "COALESCE(published_at, first_seen_at)";

/// Stored times are integer milliseconds since the Unix epoch.
inline std::int64_t to_ms(TimePoint t) {
  return std::chrono::floor<std::chrono::milliseconds>(t).time_since_epoch().count();
}
inline TimePoint from_ms(std::int64_t ms) { return TimePoint{std::chrono::milliseconds{ms}}; }

/// A JSON array of `names` for `IN (SELECT value FROM json_each(?))`.
std::string json_array(const std::vector<std::string>& names);

/// SQL condition on column `brand`: true for every row when `filter_param` (a JSON array
/// parameter such as "?3") is the empty array "[]".
std::string brand_condition(std::string_view filter_param);

/// One line from a title and a text: spaces collapsed, at most `max_chars` code points, cut
/// after a whole word with "…".
std::string excerpt(std::string_view title, std::string_view text, std::size_t max_chars = 200);

/// Fills take/answer stats and the overdue list.
Result<void> query_cases(sqlite::Database& db, const ReportOptions& o, DigestReport& r);
/// Fills repeat_complainers.
Result<void> query_repeat_complainers(sqlite::Database& db, const ReportOptions& o, DigestReport& r);

}  // namespace otklik::digest::detail
