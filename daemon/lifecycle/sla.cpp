#include "daemon/lifecycle/sla.hpp"

#include <algorithm>

namespace otklik {
namespace {

TimePoint after(TimePoint from, Duration d, const SlaPolicyConfig& policy, const BusinessCalendar& calendar) {
  if (policy.business_hours) return calendar.add_working_time(from, d);
  return d > Duration::zero() ? from + d : from;
}

Duration elapsed(TimePoint from, TimePoint to, const SlaPolicyConfig& policy, const BusinessCalendar& calendar) {
  if (to <= from) return Duration::zero();
  if (policy.business_hours) return calendar.working_time_between(from, to);
  return std::chrono::duration_cast<Duration>(to - from);
}

void earliest(std::optional<TimePoint>& slot, TimePoint t) {
  if (!slot || t < *slot) slot = t;
}

DeadlineStatus status_of(const CaseRecord& c, DeadlineKind kind, TimePoint deadline, TimePoint now) {
  if (auto met = met_at(c, kind)) return *met <= deadline ? DeadlineStatus::met : DeadlineStatus::late;
  if (c.state == CaseState::dismissed) return DeadlineStatus::stopped;
  return now >= deadline ? DeadlineStatus::missed : DeadlineStatus::pending;
}

}  // namespace

std::string_view to_string(DeadlineKind k) noexcept {
  return k == DeadlineKind::take ? "take" : "resolve";
}

std::optional<DeadlineKind> parse_deadline_kind(std::string_view s) noexcept {
  if (s == "take") return DeadlineKind::take;
  if (s == "resolve") return DeadlineKind::resolve;
  return std::nullopt;
}

std::string_view to_string(DeadlineStatus s) noexcept {
  switch (s) {
    case DeadlineStatus::pending: return "pending";
    case DeadlineStatus::met: return "met";
    case DeadlineStatus::late: return "late";
    case DeadlineStatus::missed: return "missed";
    case DeadlineStatus::stopped: return "stopped";
  }
  return "";
}

Severity case_severity(const CaseRecord& c) noexcept {
  return parse_severity(c.severity).value_or(Severity::low);
}

const SlaPolicyConfig& select_policy(const CaseRecord& c, const SlaConfig& sla) noexcept {
  const Severity severity = case_severity(c);
  for (const SlaPolicyConfig& p : sla.policies) {
    if (severity < p.min_severity) continue;
    if (p.channels.empty() || std::find(p.channels.begin(), p.channels.end(), c.route) != p.channels.end()) {
      return p;
    }
  }
  return sla.defaults;
}

CaseDeadlines deadlines(const CaseRecord& c, const SlaPolicyConfig& policy, const BusinessCalendar& calendar) {
  return {after(c.created, policy.take, policy, calendar), after(c.created, policy.resolve, policy, calendar)};
}

std::optional<TimePoint> met_at(const CaseRecord& c, DeadlineKind kind) noexcept {
  std::optional<TimePoint> at;
  auto consider = [&](const std::optional<CaseMark>& mark) {
    if (mark) earliest(at, mark->at);
  };
  if (kind == DeadlineKind::take) consider(c.taken);
  consider(c.answered);
  consider(c.resolved);
  return at;
}

SlaPlan plan(const CaseRecord& c, const SlaConfig& sla, const BusinessCalendar& calendar, Duration follow_up,
             TimePoint now) {
  SlaPlan out;
  const SlaPolicyConfig& policy = select_policy(c, sla);
  out.policy = &policy;
  out.deadlines = deadlines(c, policy, calendar);
  out.take = status_of(c, DeadlineKind::take, out.deadlines.take_by, now);
  out.resolve = status_of(c, DeadlineKind::resolve, out.deadlines.resolve_by, now);

  if (sla.enabled) {
    auto walk = [&](DeadlineKind kind, DeadlineStatus status, TimePoint deadline, int done) {
      if (status != DeadlineStatus::pending && status != DeadlineStatus::missed) return;
      const int steps = static_cast<int>(sla.escalation.size());
      for (int i = std::max(done, 0); i < steps; ++i) {
        const EscalationStepConfig& step = sla.escalation[static_cast<std::size_t>(i)];
        const TimePoint due_at = after(deadline, step.after, policy, calendar);
        if (due_at > now) {
          earliest(out.next_due, due_at);
          return;
        }
        out.escalations.push_back({kind, i + 1, &step, elapsed(deadline, now, policy, calendar), due_at});
      }
    };
    walk(DeadlineKind::take, out.take, out.deadlines.take_by, c.take_escalations);
    walk(DeadlineKind::resolve, out.resolve, out.deadlines.resolve_by, c.resolve_escalations);
  }

  if (follow_up > Duration::zero() && c.state == CaseState::answered && c.answered && !c.follow_up_sent) {
    const TimePoint at = c.answered->at + follow_up;
    if (at <= now) {
      out.follow_up_due = true;
    } else {
      earliest(out.next_due, at);
    }
  }
  return out;
}

}  // namespace otklik
