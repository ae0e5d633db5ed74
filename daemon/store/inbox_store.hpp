#pragma once
/// The inbox role: what the web inbox reads (docs/web.md). Mentions newest first under filters
/// with keyset paging (a page costs the same at the millionth mention as at the first), bounded
/// counts, full-text search over title and text, a case's history, the negatives per hour for the
/// overview's charts, the digests sent, and the alerts opened since a point (the live feed).
/// Every filter value is a bound parameter; time is the mention's event time (mention_store.hpp:
/// event_time).

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/lifecycle/case.hpp"
#include "daemon/sentiment/scorer.hpp"
#include "daemon/store/ledger_store.hpp"
#include "daemon/store/report_store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace otklik {

/// What the inbox shows; every field empty / unset = no filter. Fields combine with AND; the
/// values of one list field combine with OR.
struct InboxFilter {
  std::vector<std::string> brands;
  std::vector<std::string> sources;
  std::optional<Label> label;          ///< the scorer's label
  std::string severity;                ///< "low" | "medium" | "high": the case's severity
  /// "new" | "taken" | "answered" | "resolved" | "dismissed" (lifecycle/case.hpp), or "none":
  /// mentions without a case.
  std::string case_state;
  std::string topic;                   ///< a topic id ("waiting")
  std::optional<double> min_rating;    ///< rating >= this (mentions without a rating excluded)
  std::optional<double> max_rating;    ///< rating <= this
  std::optional<TimePoint> from;       ///< event time >= from
  std::optional<TimePoint> to;         ///< event time < to
  /// Full-text search over title and text: words (letters and digits; anything else separates
  /// them), each matched as a word prefix, all of them required ("очеред касс" finds «в очереди у
  /// кассы»). Case-insensitive. Empty or no words: no search.
  std::string text;
  friend bool operator==(const InboxFilter&, const InboxFilter&) = default;
};

/// Where a page starts: after the row with this event time and id (rows are ordered by event
/// time, then id, both descending).
struct InboxCursor {
  TimePoint at{};
  std::int64_t id = 0;
  friend bool operator==(const InboxCursor&, const InboxCursor&) = default;
};

struct InboxQuery {
  InboxFilter filter;
  std::optional<InboxCursor> after;    ///< none: the newest page
  int limit = 50;                      ///< 1..200
};

/// One row of the inbox.
struct InboxRow {
  std::int64_t id = 0;
  std::string source;
  std::string brand;
  std::string url;
  std::string author;
  std::string title;
  std::string text;                    ///< the whole text (the page shortens it)
  std::optional<double> rating;
  Label label = Label::neutral;        ///< the scorer's label
  double score = 0;
  TimePoint at{};                      ///< event time
  std::string case_state;              ///< "" when the mention has no case
  std::string severity;                ///< the case's; "" without a case
  std::vector<std::string> topics;     ///< topic ids
  std::optional<Label> team_label;     ///< the team's latest relabel, if any (label_store.hpp)
  friend bool operator==(const InboxRow&, const InboxRow&) = default;
};

struct InboxPage {
  std::vector<InboxRow> rows;
  std::optional<InboxCursor> next;     ///< the cursor of the next (older) page; none: last page
};

/// A count that stops at a cap: work per count stays bounded at any history size.
struct BoundedCount {
  std::string value;                   ///< the facet's value ("negative", "taken"); "" for a total
  std::int64_t n = 0;                  ///< exact when !capped, else == the cap
  bool capped = false;                 ///< more than the cap match
  friend bool operator==(const BoundedCount&, const BoundedCount&) = default;
};

/// How many rows match the filter, and how many would match with each label and each case state
/// in place of the filter's own (the counts next to the filter's choices).
struct InboxCounts {
  BoundedCount total;
  std::vector<BoundedCount> labels;    ///< "negative", "neutral", "positive"
  std::vector<BoundedCount> states;    ///< "new", "taken", "answered", "resolved", "dismissed", "none"
};

/// One step of a case's history (every action, also refused and repeated ones: changed says).
struct CaseEvent {
  std::string action;                  ///< "open", "take", "answer", "resolve", "dismiss", "reopen",
                                       ///< "escalate:take:1", "follow_up"… as the store records them
  Actor by;
  std::string note;
  bool changed = true;
  TimePoint at{};
  friend bool operator==(const CaseEvent&, const CaseEvent&) = default;
};

/// Negatives of one brand and topic in one hour (topic "" = all topics of the brand).
struct HourCount {
  std::string brand;
  std::string topic;
  TimePoint hour{};                    ///< the hour's start, UTC
  std::int64_t n = 0;
  friend bool operator==(const HourCount&, const HourCount&) = default;
};

class InboxStore {
 public:
  virtual ~InboxStore() = default;
  /// One page of mentions matching query.filter, newest first, after query.after.
  virtual Result<InboxPage> inbox(const InboxQuery& query) = 0;
  /// The counts for `filter`, each stopping at `cap`.
  virtual Result<InboxCounts> inbox_counts(const InboxFilter& filter, std::int64_t cap) = 0;
  /// The inbox row of one mention (none when it is not stored).
  virtual Result<std::optional<InboxRow>> inbox_row(std::int64_t mention_id) = 0;
  /// The history of a mention's case, oldest first (empty without a case).
  virtual Result<std::vector<CaseEvent>> case_events(std::int64_t mention_id) = 0;
  /// Negatives per brand, topic and hour in `range` (from the per-minute spike counts: bounded by
  /// the range, not by the history).
  virtual Result<std::vector<HourCount>> negatives_by_hour(ReportRange range) = 0;
  /// The digest ledger, newest week first, at most `limit` rows.
  virtual Result<std::vector<DigestRow>> digest_rows(int limit) = 0;
  /// Mentions whose case was opened after `after` (created time, then mention id), oldest first,
  /// at most `limit`: what the live feed pushes to open pages.
  virtual Result<std::vector<InboxRow>> opened_since(const InboxCursor& after, int limit) = 0;
};

}  // namespace otklik
