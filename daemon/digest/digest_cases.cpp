// Time to take and to answer, share within SLA, and the overdue list, from the cases table.
#include "daemon/digest/query_detail.hpp"
#include "daemon/lifecycle/sla.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace otklik::digest::detail {
namespace {

constexpr const char* kCaseColumns =
    "c.mention_id, c.state, c.severity, c.route, c.created_at, "
    "c.taken_by_platform, c.taken_by_id, c.taken_by_name, c.taken_at, "
    "c.answered_by_platform, c.answered_by_id, c.answered_by_name, c.answered_at, "
    "c.resolved_by_platform, c.resolved_by_id, c.resolved_by_name, c.resolved_at, "
    "c.dismissed_by_platform, c.dismissed_by_id, c.dismissed_by_name, c.dismissed_at, "
    "c.note, c.take_escalations, c.resolve_escalations, c.follow_up_sent_at, "
    "m.brand, m.source, m.url, m.title, m.text";

std::optional<CaseMark> read_mark(const sqlite::Statement& st, int first) {
  if (st.is_null(first + 3)) return std::nullopt;
  return CaseMark{Actor{st.text(first), st.text(first + 1), st.text(first + 2)}, from_ms(st.int64(first + 3))};
}

CaseRecord read_case(const sqlite::Statement& st) {
  CaseRecord c;
  c.mention_id = st.int64(0);
  c.state = parse_case_state(st.text(1)).value_or(CaseState::fresh);
  c.severity = st.text(2);
  c.route = st.text(3);
  c.created = from_ms(st.int64(4));
  c.taken = read_mark(st, 5);
  c.answered = read_mark(st, 9);
  c.resolved = read_mark(st, 13);
  c.dismissed = read_mark(st, 17);
  c.note = st.text(21);
  c.take_escalations = static_cast<int>(st.int64(22));
  c.resolve_escalations = static_cast<int>(st.int64(23));
  if (auto ms = st.optional_int64(24)) c.follow_up_sent = from_ms(*ms);
  return c;
}

/// Elapsed time between two instants under `policy`: working time when it counts business hours.
Duration elapsed(const SlaPolicyConfig& policy, const BusinessCalendar& calendar, TimePoint a, TimePoint b) {
  if (b <= a) return Duration{0};
  if (policy.business_hours) return calendar.working_time_between(a, b);
  return std::chrono::floor<Duration>(b - a);
}

/// One deadline's numbers for the cases opened in the week.
struct Tally {
  ResponseStats stats;
  std::vector<Duration> times;

  void add(const CaseRecord& c, DeadlineKind kind, TimePoint deadline, bool judge, const SlaPolicyConfig& policy,
           const BusinessCalendar& calendar, TimePoint now) {
    ++stats.cases;
    const std::optional<TimePoint> met = met_at(c, kind);
    if (met) {
      ++stats.done;
      times.push_back(elapsed(policy, calendar, c.created, *met));
    }
    if (!judge) return;
    if (met && *met <= deadline) {
      ++stats.within_sla;
      ++stats.judged;
    } else if (met || now > deadline) {
      ++stats.judged;
    }
  }

  ResponseStats finish() {
    stats.median = percentile(times, 50);
    stats.p90 = percentile(times, 90);
    return stats;
  }
};

}  // namespace

Result<void> query_cases(sqlite::Database& db, const ReportOptions& o, DigestReport& r) {
  // Cases opened in the week (for the stats) and every case still open (for the overdue list).
  auto st = db.prepare(fmt::format(
      "SELECT {0} FROM cases c JOIN mentions m ON m.id = c.mention_id "
      "WHERE ((c.created_at >= ?1 AND c.created_at < ?2) OR c.state IN ('new', 'taken')) AND {1} "
      "ORDER BY c.created_at, c.mention_id",
      kCaseColumns, brand_condition("?3")));
  if (!st) return st.error();
  st->bind(1, to_ms(r.range.begin));
  st->bind(2, to_ms(r.range.end));
  st->bind(3, json_array(o.brands));

  Tally take, answer;
  std::vector<OverdueCase> overdue;
  const BusinessCalendar wall;  // every minute counts: policies without business hours
  for (;;) {
    auto more = st->step();
    if (!more) return more.error();
    if (!*more) break;
    const CaseRecord c = read_case(*st);
    const SlaPolicyConfig& policy = o.sla.enabled ? select_policy(c, o.sla) : o.sla.defaults;
    const BusinessCalendar& calendar = o.sla.enabled && policy.business_hours ? o.calendar : wall;
    const CaseDeadlines due = deadlines(c, policy, calendar);

    if (r.range.contains(c.created) && c.state != CaseState::dismissed) {
      take.add(c, DeadlineKind::take, due.take_by, o.sla.enabled, policy, calendar, o.now);
      answer.add(c, DeadlineKind::resolve, due.resolve_by, o.sla.enabled, policy, calendar, o.now);
    }
    if (!o.sla.enabled || !is_open(c.state)) continue;
    const bool take_missed = !met_at(c, DeadlineKind::take) && o.now > due.take_by;
    const bool answer_missed = !met_at(c, DeadlineKind::resolve) && o.now > due.resolve_by;
    if (!take_missed && !answer_missed) continue;
    OverdueCase oc;
    oc.mention_id = c.mention_id;
    oc.brand = st->text(25);
    oc.source = st->text(26);
    oc.url = st->text(27);
    oc.excerpt = excerpt(st->text(28), st->text(29), 120);
    oc.state = std::string(to_string(c.state));
    oc.deadline = take_missed ? "take" : "answer";
    oc.taken_by = c.taken ? c.taken->by.name : "";
    oc.overdue = elapsed(policy, calendar, take_missed ? due.take_by : due.resolve_by, o.now);
    overdue.push_back(std::move(oc));
  }
  r.take = take.finish();
  r.answer = answer.finish();
  std::stable_sort(overdue.begin(), overdue.end(),
                   [](const OverdueCase& a, const OverdueCase& b) { return a.overdue > b.overdue; });
  r.overdue_total = static_cast<std::int64_t>(overdue.size());
  const auto max_list = static_cast<std::size_t>(std::max(0, o.max_list));
  if (overdue.size() > max_list) overdue.resize(max_list);
  r.overdue = std::move(overdue);
  return {};
}

}  // namespace otklik::digest::detail
