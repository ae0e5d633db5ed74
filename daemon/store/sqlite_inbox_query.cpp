#include "daemon/store/sqlite_inbox_query.hpp"

#include "daemon/store/store_detail.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <limits>

namespace otklik::store {
namespace {

constexpr std::int64_t kNoUpperBound = std::numeric_limits<std::int64_t>::max();

/// Sorted, without repeats: a value named twice is one branch (and never a row twice).
std::vector<std::string> distinct(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::string json_array(const std::vector<std::string>& values) {
  boost::json::array a;
  for (const auto& v : values) a.emplace_back(v);
  return boost::json::serialize(a);
}

/// A case state the filter names ("none" is the absence of a case).
bool names_state(const InboxFilter& f) { return !f.case_state.empty() && f.case_state != "none"; }

/// The SQL of one query being built: its parameters are numbered as they are added.
class Builder {
 public:
  std::string param(SqlValue v) {
    params_.push_back(std::move(v));
    return "?" + std::to_string(params_.size());
  }
  SqlQuery done(std::string sql) { return SqlQuery{std::move(sql), std::move(params_)}; }

 private:
  std::vector<SqlValue> params_;
};

const char* from_of(InboxDrive d) {
  // CROSS JOIN keeps the driving table outside: SQLite never reorders it.
  switch (d) {
    case InboxDrive::search: return " FROM mentions_fts f CROSS JOIN mentions m ON m.id = f.rowid";
    case InboxDrive::topic: return " FROM mention_topics t CROSS JOIN mentions m ON m.id = t.mention_id";
    case InboxDrive::case_state: return " FROM cases c CROSS JOIN mentions m ON m.id = c.mention_id";
    default: return " FROM mentions m";
  }
}

/// Where a page of one branch may be: `branch` is the brand or source of this branch (brand and
/// source drives), `ordered` whether the query pages (a count has no cursor and lets the planner
/// pick among the indexes of brand, source and label). A condition on a column whose index must
/// not drive is written `+column`, which SQLite never reads through an index.
std::string where_of(Builder& b, const InboxFilter& f, const std::string& match, InboxDrive d,
                     const std::string* branch, const std::optional<InboxCursor>& after) {
  std::vector<std::string> terms;
  // Every shape has a range on the event time, also the unfiltered one: a keyset page is a range.
  if (after) {
    const std::string at = b.param(to_ms(after->at));
    terms.push_back("m.event_at <= " + at + " AND (m.event_at < " + at + " OR m.id < " + b.param(after->id) + ")");
  } else {
    terms.push_back("m.event_at <= " + b.param(kNoUpperBound));
  }
  if (f.from) terms.push_back("m.event_at >= " + b.param(to_ms(*f.from)));
  if (f.to) terms.push_back("m.event_at < " + b.param(to_ms(*f.to)));

  const auto list = [&](const char* column, const std::vector<std::string>& values, InboxDrive own) {
    if (values.empty()) return;
    if (d == own && branch != nullptr) {
      terms.push_back(std::string("m.") + column + " = " + b.param(*branch));
    } else {
      const std::string plus = d == own ? "" : "+";
      terms.push_back(plus + "m." + column + " IN (SELECT value FROM json_each(" + b.param(json_array(distinct(values))) +
                      "))");
    }
  };
  list("brand", f.brands, InboxDrive::brand);
  list("source", f.sources, InboxDrive::source);
  if (f.label) {
    terms.push_back(std::string(d == InboxDrive::label ? "" : "+") + "m.label = " +
                    b.param(std::string(to_string(*f.label))));
  }
  if (f.min_rating) terms.push_back("m.rating >= " + b.param(*f.min_rating));
  if (f.max_rating) terms.push_back("m.rating <= " + b.param(*f.max_rating));

  if (d == InboxDrive::search) {
    terms.push_back("f.mentions_fts MATCH " + b.param(match));
  } else if (!match.empty()) {
    terms.push_back("+m.id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH " + b.param(match) + ")");
  }
  if (d == InboxDrive::topic) {
    terms.push_back("t.topic = " + b.param(f.topic));
  } else if (!f.topic.empty()) {
    terms.push_back("EXISTS (SELECT 1 FROM mention_topics t WHERE t.mention_id = m.id AND t.topic = " +
                    b.param(f.topic) + ")");
  }
  if (d == InboxDrive::case_state) {
    terms.push_back("c.state = " + b.param(f.case_state));
    if (!f.severity.empty()) terms.push_back("c.severity = " + b.param(f.severity));
  } else if (f.case_state == "none") {
    terms.push_back("NOT EXISTS (SELECT 1 FROM cases c WHERE c.mention_id = m.id)");
  }
  // A severity with "none" matches nothing (no case, no severity): the two conditions say so.
  if (d != InboxDrive::case_state && (names_state(f) || !f.severity.empty())) {
    std::string cond = "EXISTS (SELECT 1 FROM cases c WHERE c.mention_id = m.id";
    if (names_state(f)) cond += " AND c.state = " + b.param(f.case_state);
    if (!f.severity.empty()) cond += " AND c.severity = " + b.param(f.severity);
    terms.push_back(cond + ")");
  }

  std::string out = " WHERE ";
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (i > 0) out += " AND ";
    out += terms[i];
  }
  return out;
}

constexpr const char* kNewestFirst = " ORDER BY m.event_at DESC, m.id DESC LIMIT ";

}  // namespace

InboxDrive choose_drive(const InboxFilter& f, const std::string& match, const FilterSizes& sizes) {
  if (!match.empty() && sizes.few_matches) return InboxDrive::search;
  if (!f.topic.empty() && sizes.few_topic) return InboxDrive::topic;
  if (names_state(f) && sizes.few_state) return InboxDrive::case_state;
  if (!f.brands.empty() && distinct(f.brands).size() <= kMaxBranches) return InboxDrive::brand;
  if (!f.sources.empty() && distinct(f.sources).size() <= kMaxBranches) return InboxDrive::source;
  if (f.label) return InboxDrive::label;
  return InboxDrive::time;
}

InboxDrive choose_count_drive(const InboxFilter& f, const std::string& match, const FilterSizes& sizes) {
  if (!match.empty() && !(sizes.few_topic && !f.topic.empty()) && !(sizes.few_state && names_state(f)))
    return InboxDrive::search;
  return choose_drive(f, match, sizes);
}

SqlQuery inbox_ids_sql(const InboxFilter& f, const std::string& match, InboxDrive drive,
                       const std::optional<InboxCursor>& after, int limit) {
  Builder b;
  const std::vector<std::string> branches = drive == InboxDrive::brand    ? distinct(f.brands)
                                            : drive == InboxDrive::source ? distinct(f.sources)
                                                                          : std::vector<std::string>{};
  if (branches.empty()) {
    std::string sql = std::string("SELECT m.id, m.event_at") + from_of(drive);
    sql += where_of(b, f, match, drive, nullptr, after);
    sql += kNewestFirst + b.param(std::int64_t{limit});
    return b.done(std::move(sql));
  }
  // One branch per value, each newest first on its (value, event_at) index and at most a page;
  // the merge keeps the page's newest.
  std::string sql;
  for (const std::string& value : branches) {
    if (!sql.empty()) sql += " UNION ALL ";
    sql += "SELECT id, at FROM (SELECT m.id AS id, m.event_at AS at FROM mentions m";
    sql += where_of(b, f, match, drive, &value, after);
    sql += kNewestFirst + b.param(std::int64_t{limit}) + ")";
  }
  if (branches.size() > 1) sql += " ORDER BY at DESC, id DESC LIMIT " + b.param(std::int64_t{limit});
  return b.done(std::move(sql));
}

SqlQuery inbox_count_sql(const InboxFilter& f, const std::string& match, InboxDrive drive, std::int64_t cap) {
  Builder b;
  std::string sql = std::string("SELECT count(*) FROM (SELECT 1") + from_of(drive);
  sql += where_of(b, f, match, drive, nullptr, std::nullopt);
  sql += " LIMIT " + b.param(cap + 1) + ")";
  return b.done(std::move(sql));
}

void bind_all(sqlite::Statement& st, const std::vector<SqlValue>& params) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    std::visit([&](const auto& v) { st.bind(index, v); }, params[i]);
  }
}

}  // namespace otklik::store
