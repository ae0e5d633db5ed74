#include "daemon/store/sqlite_case_row.hpp"

#include "daemon/store/store_detail.hpp"

#include <array>

namespace otklik::store {
namespace {

constexpr std::array<const char*, kCaseColumnCount> kColumns{
    "mention_id", "state", "severity", "route", "created_at",
    "taken_by_platform", "taken_by_id", "taken_by_name", "taken_at",
    "answered_by_platform", "answered_by_id", "answered_by_name", "answered_at",
    "resolved_by_platform", "resolved_by_id", "resolved_by_name", "resolved_at",
    "dismissed_by_platform", "dismissed_by_id", "dismissed_by_name", "dismissed_at",
    "note", "take_escalations", "resolve_escalations", "follow_up_sent_at"};

/// A mark stored as four columns from `first` (platform, id, name, at); absent when `at` is NULL.
std::optional<CaseMark> read_mark(const sqlite::Statement& st, int first) {
  const auto at = st.optional_int64(first + 3);
  if (!at) return std::nullopt;
  return CaseMark{Actor{st.text(first), st.text(first + 1), st.text(first + 2)}, from_ms(*at)};
}

}  // namespace

std::string case_columns(std::string_view prefix) {
  std::string out;
  for (const char* c : kColumns) {
    if (!out.empty()) out += ", ";
    out += prefix;
    out += c;
  }
  return out;
}

Result<CaseRecord> read_case_row(const sqlite::Statement& st, int first) {
  CaseRecord c;
  c.mention_id = st.int64(first);
  const std::string state = st.text(first + 1);
  const auto parsed = parse_case_state(state);
  if (!parsed) {
    return Failure(errc::store_failed, "case " + std::to_string(c.mention_id) + ": unknown state '" + state + "'");
  }
  c.state = *parsed;
  c.severity = st.text(first + 2);
  c.route = st.text(first + 3);
  c.created = from_ms(st.int64(first + 4));
  c.taken = read_mark(st, first + 5);
  c.answered = read_mark(st, first + 9);
  c.resolved = read_mark(st, first + 13);
  c.dismissed = read_mark(st, first + 17);
  c.note = st.text(first + 21);
  c.take_escalations = static_cast<int>(st.int64(first + 22));
  c.resolve_escalations = static_cast<int>(st.int64(first + 23));
  c.follow_up_sent = from_ms(st.optional_int64(first + 24));
  return c;
}

}  // namespace otklik::store
