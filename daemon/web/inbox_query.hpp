#pragma once
/// The inbox's address: a query string ↔ a filter and a page cursor. Pure. Unknown parameters are
/// ignored (an old bookmark keeps working); values that do not parse are dropped from the filter
/// and named in `problems`, so the page shows what it did not understand instead of failing.
///
///   /?brand=bank&brand=cafe&label=negative&state=new&q=очередь&from=2026-11-01&to=2026-12-01
///     &source=S&severity=high&topic=waiting&rating_min=1&rating_max=2&after=1764950400000.42

#include "daemon/core/mention.hpp"
#include "daemon/core/time_zone.hpp"
#include "daemon/store/inbox_store.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::web {

struct InboxAddress {
  InboxFilter filter;
  std::optional<InboxCursor> after;
  std::vector<std::string> problems;   ///< "from: expected a date YYYY-MM-DD" …
};

/// Parses the query string (without '?', percent-encoded). Dates are local days in `zone`: from
/// is the start of that day, to the end of it (the range includes both days).
InboxAddress parse_inbox_query(std::string_view query, const TimeZone& zone);

/// The query string (without '?') of `filter` and, when set, the cursor `after`; dates written
/// back as local days of `zone`. parse_inbox_query(inbox_query_string(f, a, z), z) gives f and a.
std::string inbox_query_string(const InboxFilter& filter, const std::optional<InboxCursor>& after,
                               const TimeZone& zone);

/// True when the filter selects everything (the newest page takes live updates).
bool is_unfiltered(const InboxFilter& filter) noexcept;

}  // namespace otklik::web
