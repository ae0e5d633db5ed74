#pragma once
/// The SQL of the inbox's pages and counts in the PostgreSQL store, built from which filters are
/// set; every value is a bound parameter. A page is newest first by (event_at, id), a keyset range
/// of an index whose key ends with (event_at, id): mentions_event for no filter, and one per label,
/// brand and source (migrations.cpp, version 8). A list of two to kMaxBranches brands (or sources)
/// is one branch per value, each a page of its own index, merged: a page still reads about a page
/// per value. The other filters (case state and severity through cases, a topic through
/// mention_topics, a search through the GIN index of mentions.search) are left to the planner,
/// which reads the rows they match and sorts them when they are few, or walks the event-time
/// order checking each row when they are many; a count stops after cap + 1 rows.

#include "daemon/store/inbox_store.hpp"
#include "daemon/store/pg/param.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::store::pg {

/// At most this many brand or source branches; a longer list is checked per row instead.
inline constexpr std::size_t kMaxBranches = 8;

/// A statement and its parameters ($1, $2… in order).
struct Sql {
  std::string text;
  std::vector<Param> params;
};

/// The columns of an inbox row, in order, as read_inbox_rows() (pg_store_web.cpp) expects them:
/// id, source, brand, url, author, title, text (marked BYTEA), rating, label, score, event_at,
/// case state ('' without a case), severity ('' without a case), the latest relabel (NULL: none).
/// `inner` is a query over `mentions m LEFT JOIN cases c` selecting kInnerColumns; the relabel is
/// looked up for its rows only.
std::string inbox_rows_sql(std::string_view inner, std::string_view order_by);

/// What `inner` of inbox_rows_sql() selects.
inline constexpr const char* kInnerColumns =
    "m.id, m.source, m.brand, m.url, m.author, m.title, m.text, m.rating, m.label, m.score, m.event_at, "
    "c.state, c.severity";

/// One page of `f`: the rows after `after`, newest first, at most `limit`. `tsquery` is
/// prefix_query() of the search's words ("" for no search).
Sql inbox_page_sql(const InboxFilter& f, const std::string& tsquery, const std::optional<InboxCursor>& after,
                   int limit);

/// One number: how many rows match `f`, counting no further than `cap` + 1.
Sql inbox_count_sql(const InboxFilter& f, const std::string& tsquery, std::int64_t cap);

}  // namespace otklik::store::pg
