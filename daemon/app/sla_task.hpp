#pragma once
/// The deadline checker: asks the SLA planner what is due for the cases whose planned check has
/// come (CaseStore::due_cases: a new case, one somebody acted on, one whose next deadline or
/// follow-up is here), sends each due escalation step and follow-up exactly once
/// (record_escalation / record_follow_up), marks the original alert messages ("status" rows),
/// records when each case needs a look again, and sleeps until the earliest of those. A pass
/// reads the cases due, never the whole history; at start (and after a reload, whose SLA may
/// differ) one pass plans every open case.

#include "daemon/app/app_events.hpp"
#include "daemon/config/config.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/lifecycle/calendar.hpp"
#include "daemon/store/store_executor.hpp"

#include <boost/asio/awaitable.hpp>

#include <spdlog/logger.h>

#include <memory>
#include <optional>
#include <set>
#include <string>

namespace otklik {

/// What one pass did.
struct SlaPassResult {
  int escalations = 0;                 ///< steps recorded and queued by this pass
  int take_escalations = 0;            ///< … of them for the take deadline (the rest: resolve)
  int follow_ups = 0;
  int failures = 0;                    ///< store errors (logged; the pass goes on with other cases)
  std::optional<TimePoint> next_due;   ///< earliest future time something becomes due
  std::set<std::string> channels;      ///< channels that got new outbox rows
  int looked_at = 0;                   ///< cases read by the pass
  bool more = false;                   ///< the pass stopped at its limit: more cases are due now
};

/// Which cases a pass reads: those due now, or every open case (start-up, reload).
enum class SlaScope { due, all };

/// The escalation notice's payload: {"deadline","step","mention":[…],"overdue_s","due_by"}.
std::string escalation_payload(std::string_view deadline, int step, const EscalationStepConfig& config,
                               Duration overdue, TimePoint deadline_at);

/// One pass at `now` over the cases due (at most `limit`), or over every open case. Pure apart
/// from the store (cases and outbox roles: run it in a store job); safe to repeat (every send is
/// exactly-once in the store).
SlaPassResult run_sla_pass(CaseStore& cases, OutboxStore& outbox, const Config& config, const BusinessCalendar& calendar,
                           TimePoint now, spdlog::logger& log, SlaScope scope = SlaScope::due, int limit = 500);

/// The checker's loop for the daemon: a pass, then sleep until the next due time, at most
/// config.sla.check_interval (30 s by default; new cases appear between passes). Runs while
/// the runtime runs; arguments by value (a coroutine).
boost::asio::awaitable<void> run_sla_checks(StoreExecutor& store, const Config& config, const BusinessCalendar& calendar,
                                            AppEvents& events, const Clock& clock,
                                            std::shared_ptr<spdlog::logger> log);

}  // namespace otklik
