#pragma once
/// SLA deadlines of a case and what is due for it now: escalation steps (once per step, in order,
/// all of them after a downtime) and the follow-up reminder. Pure: the daemon asks plan() every
/// check, sends what is due through Store::record_escalation / record_follow_up (which make each
/// exactly-once), then sleeps until plan().next_due.
///
/// Rules (issue 4):
/// - Policy: the first [[sla.policy]] whose min_severity <= the case's severity and whose channels
///   are empty or contain the case's route; else the [sla] defaults.
/// - take_by = created + take, resolve_by = created + resolve; in working time of the calendar
///   when the policy's business_hours, else wall time.
/// - "take" is met by taken, answered or resolved; "resolve" by answered or resolved; dismissed
///   stops both clocks. A met deadline never escalates.
/// - Step N (1-based, sla.escalation[N-1]) of a deadline is due when the deadline is not met and
///   now >= deadline + step.after (after in working time when business_hours), and steps 1..N-1
///   are recorded (take_escalations / resolve_escalations count the recorded steps).
/// - Follow-up: due at answered.at + follow_up (wall time) while the case is answered and no
///   follow-up was sent; follow_up = 0 turns it off.

#include "daemon/config/config.hpp"
#include "daemon/core/duration.hpp"
#include "daemon/lifecycle/calendar.hpp"
#include "daemon/lifecycle/case.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace otklik {

enum class DeadlineKind { take, resolve };

/// "take" / "resolve" (Store::record_escalation's `deadline`, the escalation payload).
std::string_view to_string(DeadlineKind k) noexcept;
std::optional<DeadlineKind> parse_deadline_kind(std::string_view s) noexcept;

/// The case's severity as stored ("low" | "medium" | "high"); low when empty or unknown.
Severity case_severity(const CaseRecord& c) noexcept;

/// The policy that applies to `c` (a reference into `sla`).
const SlaPolicyConfig& select_policy(const CaseRecord& c, const SlaConfig& sla) noexcept;

struct CaseDeadlines {
  TimePoint take_by{};
  TimePoint resolve_by{};
};

/// The case's deadlines under `policy`.
CaseDeadlines deadlines(const CaseRecord& c, const SlaPolicyConfig& policy, const BusinessCalendar& calendar);

enum class DeadlineStatus {
  pending,  ///< not met yet, not past
  met,      ///< met at or before the deadline
  late,     ///< met, but after the deadline
  missed,   ///< not met and past (escalations apply)
  stopped,  ///< the case was dismissed before meeting it
};

std::string_view to_string(DeadlineStatus s) noexcept;

/// When a deadline was met: the earliest mark that meets it (nullopt when not met).
std::optional<TimePoint> met_at(const CaseRecord& c, DeadlineKind kind) noexcept;

/// An escalation step due now.
struct DueEscalation {
  DeadlineKind deadline = DeadlineKind::take;
  int step = 1;                              ///< 1-based: index in sla.escalation + 1
  const EscalationStepConfig* config = nullptr;  ///< points into the SlaConfig given to plan()
  Duration overdue{};                        ///< now − deadline (working time when business_hours)
  TimePoint due_at{};                        ///< deadline + step.after
};

struct SlaPlan {
  const SlaPolicyConfig* policy = nullptr;   ///< points into the SlaConfig given to plan()
  CaseDeadlines deadlines;
  DeadlineStatus take = DeadlineStatus::pending;
  DeadlineStatus resolve = DeadlineStatus::pending;
  std::vector<DueEscalation> escalations;    ///< due now: take steps in order, then resolve steps
  bool follow_up_due = false;
  /// The earliest future time at which something else becomes due (next step or follow-up);
  /// nullopt when nothing more can become due without a change to the case.
  std::optional<TimePoint> next_due;
};

/// What is due for `c` at `now`. `follow_up` is lifecycle.follow_up (0: off). When SLA is
/// disabled (sla.enabled false) no escalation is planned, only the follow-up.
SlaPlan plan(const CaseRecord& c, const SlaConfig& sla, const BusinessCalendar& calendar, Duration follow_up,
             TimePoint now);

}  // namespace otklik
