// Time to take and to answer, share within SLA, and the overdue list, from the cases table.
#include "daemon/digest/query_detail.hpp"
#include "daemon/lifecycle/sla.hpp"


#include <algorithm>

namespace otklik::digest::detail {
namespace {

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

Result<void> query_cases(ReportStore& reports, const ReportOptions& o, DigestReport& r) {
  // Cases opened in the week (for the stats) and every case still open (for the overdue list).
  auto rows = reports.report_cases(range_of(r.range), o.brands);
  if (!rows) return rows.error();

  Tally take, answer;
  std::vector<OverdueCase> overdue;
  const BusinessCalendar wall;  // every minute counts: policies without business hours
  for (const ReportCase& row : *rows) {
    const CaseRecord& c = row.record;
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
    oc.brand = row.brand;
    oc.source = row.source;
    oc.url = row.url;
    oc.excerpt = excerpt(row.title, row.text, 120);
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
