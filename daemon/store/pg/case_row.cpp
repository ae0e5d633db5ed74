#include "daemon/store/pg/case_row.hpp"

#include "daemon/store/store_detail.hpp"

namespace otklik::store::pg {
namespace {

/// A mark stored as four columns from `first` (platform, id, name, at); absent when `at` is NULL.
std::optional<CaseMark> read_mark(Row& row, int first) {
  const auto at = row.optional_int64(first + 3);
  if (!at) return std::nullopt;
  return CaseMark{Actor{row.text(first), row.text(first + 1), row.text(first + 2)}, from_ms(*at)};
}

}  // namespace

Result<CaseRecord> read_case_row(Row& row, int first) {
  CaseRecord c;
  c.mention_id = row.int64(first);
  const std::string state = row.text(first + 1);
  c.severity = row.text(first + 2);
  c.route = row.text(first + 3);
  c.created = from_ms(row.int64(first + 4));
  c.taken = read_mark(row, first + 5);
  c.answered = read_mark(row, first + 9);
  c.resolved = read_mark(row, first + 13);
  c.dismissed = read_mark(row, first + 17);
  c.note = row.text(first + 21);
  c.take_escalations = static_cast<int>(row.int64(first + 22));
  c.resolve_escalations = static_cast<int>(row.int64(first + 23));
  c.follow_up_sent = from_ms(row.optional_int64(first + 24));
  OTKLIK_STORE_CHECK(row.status());
  const auto parsed = parse_case_state(state);
  if (!parsed) {
    return Failure(errc::store_failed, "case " + std::to_string(c.mention_id) + ": unknown state '" + state + "'");
  }
  c.state = *parsed;
  return c;
}

}  // namespace otklik::store::pg
