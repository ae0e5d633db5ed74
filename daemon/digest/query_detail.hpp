#pragma once
/// Helpers shared by the parts of build_report (not part of the public API).

#include "daemon/digest/digest_data.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace otklik::digest::detail {

/// One line from a title and a text: spaces collapsed, at most `max_chars` code points, cut
/// after a whole word with "…".
std::string excerpt(std::string_view title, std::string_view text, std::size_t max_chars = 200);

/// The week's range as the reports role takes it.
inline ReportRange range_of(const TimeRange& r) { return ReportRange{r.begin, r.end}; }

/// Fills take/answer stats and the overdue list.
Result<void> query_cases(ReportStore& reports, const ReportOptions& o, DigestReport& r);
/// Fills repeat_complainers.
Result<void> query_repeat_complainers(ReportStore& reports, const ReportOptions& o, DigestReport& r);

}  // namespace otklik::digest::detail
