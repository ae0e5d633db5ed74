#pragma once
/// The SQL of the inbox's pages and counts in the PostgreSQL store, built from which filters are
/// set; every value is a bound parameter. A page is newest first by (event_at, id), a keyset range
/// of an index whose key ends with (event_at, id): mentions_event for no filter, and one per label,
/// brand and source (migrations.cpp, version 8). A list of two to kMaxBranches brands (or sources)
/// is one branch per value, each a page of its own index, merged: a page still reads about a page
/// per value. The case state and severity (EXISTS through cases) and the topic (through
/// mention_topics) are left to the planner, which reads the rows they match and sorts them when
/// its statistics say they are few, or walks the event-time order checking each row; a search is
/// read as SearchDrive says. A count stops after cap + 1 rows.

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

/// Fewer matches than this and a search reads its matches through the GIN index and sorts them;
/// this many or more and it walks the event-time order (or its filters' ordered indexes) and
/// checks each row, which meets a page soon: at a million mentions, one in fifty matches.
inline constexpr std::int64_t kManyMatches = 20000;

/// How a search is read. PostgreSQL estimates a prefix query at a fixed share of the rows whatever
/// its words, so its own choice would walk the whole history for a rare word (or sort every match
/// of two common words that rarely meet): the store counts the matches first, up to
/// kManyMatches, through the GIN index alone (PgStore::inbox), and says which way to read.
enum class SearchDrive {
  index,  ///< few matches: the GIN index finds them all, the page is sorted from them
  walk,   ///< many: the condition is written so that the GIN index cannot serve it
};

/// A statement and its parameters ($1, $2… in order).
struct Sql {
  std::string text;
  std::vector<Param> params;
};

/// The columns of an inbox row, in order, as read_inbox_rows() (pg_store_web.cpp) expects them:
/// id, source, brand, url, author, title, text (marked BYTEA), rating, label, score, event_at,
/// case state ('' without a case), severity ('' without a case), the latest relabel (NULL: none).
/// `inner` is a query over `mentions m` selecting kInnerColumns; the case and the relabel are
/// looked up for its rows only (by primary key and relabels_mention).
std::string inbox_rows_sql(std::string_view inner, std::string_view order_by);

/// What `inner` of inbox_rows_sql() selects.
inline constexpr const char* kInnerColumns =
    "m.id, m.source, m.brand, m.url, m.author, m.title, m.text, m.rating, m.label, m.score, m.event_at";

/// One page of `f`: the rows after `after`, newest first, at most `limit`. `tsquery` is
/// prefix_query() of the search's words ("" for no search), read as `drive` says.
Sql inbox_page_sql(const InboxFilter& f, const std::string& tsquery, SearchDrive drive,
                   const std::optional<InboxCursor>& after, int limit);

/// One number: how many rows match `f`, counting no further than `cap` + 1 (with a search read
/// through its index: all of its fewer than kManyMatches matches, the caller caps).
Sql inbox_count_sql(const InboxFilter& f, const std::string& tsquery, SearchDrive drive, std::int64_t cap);

/// How many mentions `tsquery` matches, counting no further than kManyMatches, through the GIN
/// index alone: run with sequential and plain index scans off (the statement's transaction sets
/// them), since a LIMIT tempts the planner to scan in the hope of meeting them early.
inline constexpr const char* kSearchMatchesSql =
    "SELECT count(*) FROM (SELECT 1 FROM mentions WHERE search @@ $1::tsquery LIMIT $2) AS s";

/// How many cases are in state $1, counting no further than $2 (through cases_state; the
/// statistics of a column of five values are exact enough for the planner to choose well).
inline constexpr const char* kStateCasesSql =
    "SELECT count(*) FROM (SELECT 1 FROM cases WHERE state = $1 LIMIT $2) AS s";

}  // namespace otklik::store::pg
