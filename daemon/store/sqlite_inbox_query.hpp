#pragma once
/// The SQL of the inbox's pages and counts in the SQLite store, built from which filters are set
/// (every value a bound parameter). A page is newest first by (event_at, id); which index it is
/// read through (the "drive") is chosen so that a page costs about the same at any history size:
/// a filter that matches few rows drives through its own index (its rows are read and sorted); a
/// filter that matches many lets the event-time order find a page soon; brands, sources and the
/// label have indexes in event-time order, one branch per value, merged.

#include "daemon/store/inbox_store.hpp"
#include "daemon/store/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace otklik::store {

/// The index a page or count is read through.
enum class InboxDrive {
  time,        ///< mentions_event; every filter checked per row
  search,      ///< the words' matches in mentions_fts (few)
  topic,       ///< the topic's rows in mention_topics_topic (few)
  case_state,  ///< the cases in that state, cases_state (few)
  brand,       ///< mentions_brand_event, one branch per brand
  source,      ///< mentions_source_event, one branch per source
  label,       ///< mentions_label_event
};

/// Below this many rows a filter's own index drives (its rows are read and sorted). At or above
/// it the filter matches at least one mention in 500 of a million, so the event-time order meets
/// a page of them soon.
inline constexpr std::int64_t kFewRows = 2000;
/// At most this many brand or source branches; a longer list is checked per row instead.
inline constexpr std::size_t kMaxBranches = 8;

/// How many rows each filter with an index of its own matches, each known only up to kFewRows.
struct FilterSizes {
  bool few_matches = false;  ///< the search's words match fewer than kFewRows mentions
  bool few_topic = false;    ///< the topic has fewer than kFewRows mentions
  bool few_state = false;    ///< fewer than kFewRows cases are in the filter's state
};

/// The drive of a filter: its most selective index (search, topic, case state when they match
/// few), else its ordered indexes (brand, source, label), else the event time. `match` is the FTS
/// MATCH expression of the search ("" none).
InboxDrive choose_drive(const InboxFilter& f, const std::string& match, const FilterSizes& sizes);

/// The drive of a count: as choose_drive, but a search drives whenever no topic or case state
/// matches few. A count needs no order and stops at its cap, so walking the words' matches stops
/// early when they are many; the event-time drive would first collect every match.
InboxDrive choose_count_drive(const InboxFilter& f, const std::string& match, const FilterSizes& sizes);

using SqlValue = std::variant<std::int64_t, double, std::string>;

struct SqlQuery {
  std::string sql;
  std::vector<SqlValue> params;  ///< ?1, ?2, … in order
};

/// The ids and event times (columns 0, 1) of one page: rows after `after`, newest first, at most
/// `limit`.
SqlQuery inbox_ids_sql(const InboxFilter& f, const std::string& match, InboxDrive drive,
                       const std::optional<InboxCursor>& after, int limit);

/// One number: how many rows match, counting no further than `cap` + 1.
SqlQuery inbox_count_sql(const InboxFilter& f, const std::string& match, InboxDrive drive, std::int64_t cap);

void bind_all(sqlite::Statement& st, const std::vector<SqlValue>& params);

}  // namespace otklik::store
