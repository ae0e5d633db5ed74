#include "daemon/app/sla_task.hpp"

#include "daemon/app/status_updates.hpp"
#include "daemon/lifecycle/sla.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <algorithm>

namespace otklik {
namespace {

namespace json = boost::json;

std::int64_t seconds_of(Duration d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); }

std::int64_t unix_seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

void earliest(std::optional<TimePoint>& into, std::optional<TimePoint> t) {
  if (t && (!into || *t < *into)) into = t;
}

/// Queues a "status" row for every channel that shows this mention's alert, so that the
/// original messages show the new mark.
void mark_posted(OutboxStore& store, std::int64_t mention_id, TimePoint now, SlaPassResult& out, spdlog::logger& log) {
  auto queued = queue_status_updates(store, mention_id, now);
  if (!queued) {
    log.warn("sla: cannot queue the status updates of mention {}: {}", mention_id, queued.error().message());
    ++out.failures;
    return;
  }
  out.channels.insert(queued->begin(), queued->end());
}

}  // namespace

std::string escalation_payload(std::string_view deadline, int step, const EscalationStepConfig& config,
                               Duration overdue, TimePoint deadline_at) {
  json::array mention;
  for (const auto& m : config.mention) mention.emplace_back(m);
  json::object o;
  o["deadline"] = deadline;
  o["step"] = step;
  o["mention"] = std::move(mention);
  o["overdue_s"] = seconds_of(overdue);
  o["due_by"] = unix_seconds(deadline_at);
  return json::serialize(o);
}

SlaPassResult run_sla_pass(CaseStore& store, OutboxStore& outbox, const Config& config,
                           const BusinessCalendar& calendar, TimePoint now, spdlog::logger& log, SlaScope scope,
                           int limit) {
  SlaPassResult out;
  auto cases = scope == SlaScope::all ? store.active_cases() : store.due_cases(now, limit);
  if (!cases) {
    log.error("sla: cannot read the open cases: {}", cases.error().message());
    ++out.failures;
    return out;
  }
  out.looked_at = static_cast<int>(cases->size());
  out.more = scope == SlaScope::due && out.looked_at >= limit;
  for (const CaseRecord& c : *cases) {
    const bool open = c.state == CaseState::fresh || c.state == CaseState::taken || c.state == CaseState::answered;
    if (!open) {
      (void)store.plan_case_check(c.mention_id, std::nullopt);
      continue;
    }
    bool failed = false;
    SlaPlan plan = otklik::plan(c, config.sla, calendar, config.lifecycle.follow_up, now);
    bool marked = false;
    for (const DueEscalation& due : plan.escalations) {
      if (due.config == nullptr) continue;
      const TimePoint deadline_at = due.deadline == DeadlineKind::take ? plan.deadlines.take_by
                                                                        : plan.deadlines.resolve_by;
      AlertRequest request{due.config->channel, "escalation",
                           escalation_payload(to_string(due.deadline), due.step, *due.config, due.overdue, deadline_at),
                           std::nullopt};
      auto r = store.record_escalation(c.mention_id, to_string(due.deadline), due.step, request, now);
      if (!r) {
        log.error("sla: cannot record escalation step {} ({}) of mention {}: {}", due.step,
                  to_string(due.deadline), c.mention_id, r.error().message());
        ++out.failures;
        failed = true;
        break;  // later steps need this one recorded first
      }
      if (!*r) continue;  // already recorded (another pass, a restart)
      ++out.escalations;
      if (due.deadline == DeadlineKind::take) ++out.take_escalations;
      out.channels.insert(due.config->channel);
      log.warn("sla: mention {} missed its {} deadline by {}; escalation step {} to {}", c.mention_id,
               to_string(due.deadline), format_duration(due.overdue), due.step, due.config->channel);
      marked = true;
    }
    if (marked) mark_posted(outbox, c.mention_id, now, out, log);

    if (plan.follow_up_due && !c.route.empty()) {
      AlertRequest request{c.route, "follow_up", "{}", std::nullopt};
      auto r = store.record_follow_up(c.mention_id, request, now);
      if (!r) {
        log.error("sla: cannot record the follow-up of mention {}: {}", c.mention_id, r.error().message());
        ++out.failures;
        failed = true;
      } else if (*r) {
        ++out.follow_ups;
        out.channels.insert(c.route);
        log.info("sla: follow-up reminder for mention {} to {}", c.mention_id, c.route);
      }
    }
    // When this case needs a look again: its next deadline or follow-up; after a store failure,
    // at the next pass; none: nothing more is due unless somebody acts on it.
    std::optional<TimePoint> again = failed ? std::optional<TimePoint>(now + config.sla.check_interval) : plan.next_due;
    if (auto r = store.plan_case_check(c.mention_id, again); !r) {
      log.error("sla: cannot plan the next check of mention {}: {}", c.mention_id, r.error().message());
      ++out.failures;
    }
    earliest(out.next_due, again);
  }
  if (auto next = store.next_case_check(); next && *next) earliest(out.next_due, *next);
  return out;
}

boost::asio::awaitable<void> run_sla_checks(StoreExecutor& store, const Config& config,
                                            const BusinessCalendar& calendar, AppEvents& events, const Clock& clock,
                                            std::shared_ptr<spdlog::logger> log) {
  namespace asio = boost::asio;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const Duration interval = std::max<Duration>(config.sla.check_interval, std::chrono::seconds(1));
  SlaScope scope = SlaScope::all;  // the first pass plans every open case under this config
  for (;;) {
    const TimePoint now = clock.now();
    SlaPassResult r = co_await store.run(
        [&](Store& s) { return run_sla_pass(s, s, config, calendar, now, *log, scope); });
    // Cancelled while the store worked (shutdown, reload, leadership lost): the signal found no
    // wait to end, so the next one would not be ended either.
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) co_return;
    scope = SlaScope::due;
    for (int i = 0; i < r.failures; ++i) events.sla_check_failed();
    for (const auto& ch : r.channels) events.notify_channel(ch);
    for (int i = 0; i < r.follow_ups; ++i) events.followed_up();
    for (int i = 0; i < r.take_escalations; ++i) events.escalated("take");
    for (int i = r.take_escalations; i < r.escalations; ++i) events.escalated("resolve");
    if (r.more) continue;  // more cases are due: the next slice at once (other store jobs go between)

    // New cases are due at once: a pass at least every interval sees them.
    Duration wait = interval;
    if (r.next_due) {
      auto until = std::chrono::duration_cast<Duration>(*r.next_due - now);
      wait = std::clamp<Duration>(until, Duration(0), interval);
    }
    timer.expires_after(wait);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted) co_return;
  }
}

}  // namespace otklik
