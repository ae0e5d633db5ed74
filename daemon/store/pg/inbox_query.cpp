#include "daemon/store/pg/inbox_query.hpp"

#include "daemon/store/pg/text_array.hpp"
#include "daemon/store/store_detail.hpp"

#include <algorithm>

namespace otklik::store::pg {
namespace {

/// Sorted, without repeats: a value named twice is one branch (and never a row twice).
std::vector<std::string> distinct(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

/// The parameters of one statement being built, numbered as they are added.
class Builder {
 public:
  std::string add(Param p) {
    params_.push_back(std::move(p));
    return "$" + std::to_string(params_.size());
  }
  Sql done(std::string text) { return Sql{std::move(text), std::move(params_)}; }

 private:
  std::vector<Param> params_;
};

/// Which list is cut into branches, if any.
enum class Branching { none, brands, sources };

Branching branching_of(const InboxFilter& f) {
  const auto fits = [](const std::vector<std::string>& v) {
    const auto n = distinct(v).size();
    return n >= 2 && n <= kMaxBranches;
  };
  if (fits(f.brands)) return Branching::brands;
  if (fits(f.sources)) return Branching::sources;
  return Branching::none;
}

/// `m.column = $n` for one value (an equality the column's index can page on), `= ANY` for more.
void add_list(Builder& b, std::vector<std::string>& terms, const char* column, const std::vector<std::string>& values) {
  const auto v = distinct(values);
  if (v.empty()) return;
  if (v.size() == 1) {
    terms.push_back(std::string("m.") + column + " = " + b.add(v.front()));
  } else {
    terms.push_back(std::string("m.") + column + " = ANY(" + b.add(text_array(v)) + "::text[])");
  }
}

/// The conditions of `f` (and of the cursor), the branched list's aside.
std::vector<std::string> terms_of(Builder& b, const InboxFilter& f, const std::string& tsquery, SearchDrive drive,
                                  const std::optional<InboxCursor>& after, Branching branching) {
  std::vector<std::string> terms;
  if (after) {
    const std::string at = b.add(to_ms(after->at));  // numbered in order: the operands of + are not sequenced
    const std::string id = b.add(after->id);
    terms.push_back("(m.event_at, m.id) < (" + at + ", " + id + ")");
  }
  if (f.from) terms.push_back("m.event_at >= " + b.add(to_ms(*f.from)));
  if (f.to) terms.push_back("m.event_at < " + b.add(to_ms(*f.to)));
  if (branching != Branching::brands) add_list(b, terms, "brand", f.brands);
  if (branching != Branching::sources) add_list(b, terms, "source", f.sources);
  if (f.label) terms.push_back("m.label = " + b.add(std::string(to_string(*f.label))));
  if (f.min_rating) terms.push_back("m.rating >= " + b.add(*f.min_rating));
  if (f.max_rating) terms.push_back("m.rating <= " + b.add(*f.max_rating));
  if (!tsquery.empty()) {
    // COALESCE(search, …) is not the indexed expression: the GIN index cannot read it, so the
    // planner walks an ordered index and checks each row.
    terms.push_back(std::string(drive == SearchDrive::walk ? "COALESCE(m.search, ''::tsvector)" : "m.search") +
                    " @@ " + b.add(tsquery) + "::tsquery");
  }
  if (!f.topic.empty()) {
    terms.push_back("EXISTS (SELECT 1 FROM mention_topics t WHERE t.mention_id = m.id AND t.topic = " +
                    b.add(f.topic) + ")");
  }
  // A severity with "none" matches nothing (no case, no severity): the two conditions say so.
  if (f.case_state == "none") terms.push_back("NOT EXISTS (SELECT 1 FROM cases c WHERE c.mention_id = m.id)");
  const bool state = !f.case_state.empty() && f.case_state != "none";
  if (state || !f.severity.empty()) {
    std::string cond = "EXISTS (SELECT 1 FROM cases c WHERE c.mention_id = m.id";
    if (state) cond += " AND c.state = " + b.add(f.case_state);
    if (!f.severity.empty()) cond += " AND c.severity = " + b.add(f.severity);
    terms.push_back(cond + ")");
  }
  return terms;
}

std::string where_of(const std::vector<std::string>& terms) {
  std::string out;
  for (const auto& t : terms) out += (out.empty() ? " WHERE " : " AND ") + t;
  return out;
}

constexpr const char* kFrom = " FROM mentions m";
constexpr const char* kNewestFirst = " ORDER BY m.event_at DESC, m.id DESC LIMIT ";

}  // namespace

std::string inbox_rows_sql(std::string_view inner, std::string_view order_by) {
  return "SELECT p.id, p.source, p.brand, p.url, p.author, p.title, p.text, p.rating, p.label, p.score, p.event_at, "
         "COALESCE(c.state, ''), COALESCE(c.severity, ''), "
         "(SELECT r.label FROM relabels r WHERE r.mention_id = p.id ORDER BY r.at DESC, r.id DESC LIMIT 1) "
         "FROM (" +
         std::string(inner) + ") AS p LEFT JOIN cases c ON c.mention_id = p.id ORDER BY " + std::string(order_by);
}

Sql inbox_page_sql(const InboxFilter& f, const std::string& tsquery, SearchDrive drive,
                   const std::optional<InboxCursor>& after, int limit) {
  Builder b;
  const bool sort_matches = !tsquery.empty() && drive == SearchDrive::index;
  // Few matches: sorted from the GIN index's matches. The order by an expression no index has
  // keeps the planner from walking the event-time order in the hope of meeting them.
  const Branching branching = sort_matches ? Branching::none : branching_of(f);
  const std::vector<std::string> terms = terms_of(b, f, tsquery, drive, after, branching);
  const std::string lim = b.add(std::int64_t{limit});
  const std::string select = std::string("SELECT ") + kInnerColumns + kFrom;
  std::string inner;
  if (sort_matches) {
    inner = select + where_of(terms) + " ORDER BY m.event_at + 0 DESC, m.id DESC LIMIT " + lim;
  } else if (branching == Branching::none) {
    inner = select + where_of(terms) + kNewestFirst + lim;
  } else {
    // One branch per value, each a page of its (value, event_at, id) index; the outer query keeps
    // the newest `limit` of them.
    const char* column = branching == Branching::brands ? "m.brand" : "m.source";
    for (const std::string& value : distinct(branching == Branching::brands ? f.brands : f.sources)) {
      std::vector<std::string> branch = terms;
      branch.push_back(std::string(column) + " = " + b.add(value));
      if (!inner.empty()) inner += " UNION ALL ";
      inner += "(" + select + where_of(branch) + kNewestFirst + lim + ")";
    }
  }
  return b.done(inbox_rows_sql(inner, "p.event_at DESC, p.id DESC LIMIT " + lim));
}

Sql inbox_count_sql(const InboxFilter& f, const std::string& tsquery, SearchDrive drive, std::int64_t cap) {
  Builder b;
  const std::vector<std::string> terms = terms_of(b, f, tsquery, drive, std::nullopt, Branching::none);
  // Few matches: all of them are counted (fewer than kManyMatches); a LIMIT would tempt the
  // planner to scan in the hope of meeting them early.
  if (!tsquery.empty() && drive == SearchDrive::index)
    return b.done("SELECT count(*)" + std::string(kFrom) + where_of(terms));
  return b.done("SELECT count(*) FROM (SELECT 1" + std::string(kFrom) + where_of(terms) + " LIMIT " +
                b.add(cap + 1) + ") AS s");
}

}  // namespace otklik::store::pg
