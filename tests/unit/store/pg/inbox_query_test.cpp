// The SQL of the PostgreSQL inbox (daemon/store/pg/inbox_query.hpp), without a server: every
// filter value is a parameter (never in the text), each filter adds its condition, lists of two to
// kMaxBranches values are one branch each, and a search is read the way its drive says.
#include "daemon/store/pg/inbox_query.hpp"

#include "daemon/store/store_detail.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace otklik;
using namespace otklik::store::pg;

namespace {

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

bool has_param(const Sql& q, const std::string& value) {
  return std::any_of(q.params.begin(), q.params.end(), [&](const Param& p) { return p.text == value; });
}

/// The highest $n the text uses.
std::size_t highest_placeholder(const std::string& text) {
  std::size_t high = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$') continue;
    std::size_t n = 0, j = i + 1;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') n = n * 10 + static_cast<std::size_t>(text[j++] - '0');
    high = std::max(high, n);
  }
  return high;
}

}  // namespace

TEST_CASE("inbox SQL: each filter is a condition on a parameter", "[store][pg][inbox]") {
  const std::string hostile = "x'); DROP TABLE mentions; --";
  struct Case {
    const char* name;
    InboxFilter filter;
    std::string condition;  ///< a piece of the statement the filter adds
    std::string value;      ///< a parameter it binds ("" none)
  };
  const Case cases[] = {
      {"label", {.label = Label::negative}, "m.label = $", "negative"},
      {"one brand", {.brands = {hostile}}, "m.brand = $", hostile},
      {"brands over the branch limit",
       {.brands = {"a", "b", "c", "d", "e", "f", "g", "h", "i"}},
       "m.brand = ANY($",
       R"({"a","b","c","d","e","f","g","h","i"})"},
      {"one source", {.sources = {"maps"}}, "m.source = $", "maps"},
      {"severity", {.severity = hostile}, "c.severity = $", hostile},
      {"case state", {.case_state = "taken"}, "c.state = $", "taken"},
      {"no case", {.case_state = "none"}, "NOT EXISTS (SELECT 1 FROM cases c WHERE c.mention_id = m.id)", ""},
      {"topic", {.topic = hostile}, "t.topic = $", hostile},
      {"min rating", {.min_rating = 2.5}, "m.rating >= $", "2.5"},
      {"max rating", {.max_rating = 4.0}, "m.rating <= $", "4"},
      {"from", {.from = store::from_ms(1000)}, "m.event_at >= $", "1000"},
      {"to", {.to = store::from_ms(2000)}, "m.event_at < $", "2000"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const Sql page = inbox_page_sql(c.filter, "", SearchDrive::walk, std::nullopt, 51);
    const Sql count = inbox_count_sql(c.filter, "", SearchDrive::walk, 100);
    for (const Sql* q : {&page, &count}) {
      CHECK(q->text.find(c.condition) != std::string::npos);
      if (!c.value.empty()) CHECK(has_param(*q, c.value));
      CHECK(q->text.find("DROP") == std::string::npos);
      CHECK(highest_placeholder(q->text) == q->params.size());
    }
    CHECK(has_param(count, "101"));  // cap + 1
  }
}

TEST_CASE("inbox SQL: newest first after a keyset cursor, lists as merged branches", "[store][pg][inbox]") {
  const Sql first = inbox_page_sql({}, "", SearchDrive::walk, std::nullopt, 51);
  CHECK(first.text.find("ORDER BY m.event_at DESC, m.id DESC LIMIT $") != std::string::npos);
  CHECK(first.text.find("(m.event_at, m.id) <") == std::string::npos);
  const Sql next = inbox_page_sql({}, "", SearchDrive::walk, InboxCursor{store::from_ms(5000), 42}, 51);
  CHECK(next.text.find("(m.event_at, m.id) < ($1, $2)") != std::string::npos);
  CHECK(next.params.at(0).text == "5000");
  CHECK(next.params.at(1).text == "42");

  // Two to kMaxBranches values: a branch each (a value named twice is one branch).
  const Sql brands = inbox_page_sql({.brands = {"b", "a", "b"}, .label = Label::negative}, "", SearchDrive::walk,
                                    std::nullopt, 51);
  CHECK(occurrences(brands.text, "UNION ALL") == 1);
  CHECK(occurrences(brands.text, "m.brand = $") == 2);
  CHECK(occurrences(brands.text, "m.label = $") == 2);  // the shared conditions in every branch
  CHECK(has_param(brands, "a"));
  CHECK(has_param(brands, "b"));
  const Sql sources = inbox_page_sql({.sources = {"1", "2", "3"}}, "", SearchDrive::walk, std::nullopt, 51);
  CHECK(occurrences(sources.text, "UNION ALL") == 2);
  // Counts need no order: a list is one condition.
  const Sql count = inbox_count_sql({.brands = {"a", "b"}}, "", SearchDrive::walk, 10);
  CHECK(count.text.find("UNION") == std::string::npos);
  CHECK(count.text.find("m.brand = ANY($") != std::string::npos);
}

TEST_CASE("inbox SQL: a search through its GIN index or walking the event order", "[store][pg][inbox][search]") {
  const std::string q = "'очеред':* & 'касс':*";
  const Sql few = inbox_page_sql({.brands = {"a", "b"}}, q, SearchDrive::index, std::nullopt, 51);
  CHECK(few.text.find("m.search @@ $") != std::string::npos);
  CHECK(few.text.find("ORDER BY m.event_at + 0 DESC") != std::string::npos);  // sorted from the matches
  CHECK(few.text.find("UNION") == std::string::npos);
  CHECK(has_param(few, q));
  const Sql many = inbox_page_sql({}, q, SearchDrive::walk, std::nullopt, 51);
  CHECK(many.text.find("COALESCE(m.search, ''::tsvector) @@ $") != std::string::npos);  // not the GIN index's
  CHECK(many.text.find("ORDER BY m.event_at DESC, m.id DESC") != std::string::npos);
  // A count of few matches counts them all (the caller caps); of many, up to cap + 1.
  const Sql few_count = inbox_count_sql({}, q, SearchDrive::index, 100);
  CHECK(few_count.text.find("LIMIT") == std::string::npos);
  const Sql many_count = inbox_count_sql({}, q, SearchDrive::walk, 100);
  CHECK(many_count.text.find("LIMIT $") != std::string::npos);
  // No search: no condition on the search column, whatever the drive.
  CHECK(inbox_page_sql({}, "", SearchDrive::index, std::nullopt, 51).text.find("search") == std::string::npos);
}
