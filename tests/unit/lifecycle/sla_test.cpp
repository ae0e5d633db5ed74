#include "daemon/lifecycle/sla.hpp"
#include "lifecycle_test_support.hpp"
#include "tests/support/catch_result.hpp"

#include <functional>
#include <map>

using namespace otklik;
using namespace std::chrono_literals;
using test::actor;
using test::office;
using test::utc;

namespace {

/// Defaults 30m / 4h in business hours; high alerts 10m / 1h; the "vip" channel 5m / 30m around
/// the clock. Escalation: at the deadline to "managers", an hour later to "heads".
SlaConfig sample_sla() {
  SlaConfig sla;
  sla.enabled = true;
  sla.defaults.take = 30min;
  sla.defaults.resolve = 4h;
  SlaPolicyConfig high;
  high.min_severity = Severity::high;
  high.take = 10min;
  high.resolve = 1h;
  SlaPolicyConfig vip;
  vip.channels = {"vip"};
  vip.take = 5min;
  vip.resolve = 30min;
  vip.business_hours = false;
  sla.policies = {high, vip};
  sla.escalation = {{0min, "managers", {"@boss"}, 0}, {1h, "heads", {"@ceo"}, 0}};
  return sla;
}

CaseRecord sample_case(TimePoint created, std::string severity = "medium", std::string route = "team") {
  CaseRecord c;
  c.mention_id = 1;
  c.severity = std::move(severity);
  c.route = std::move(route);
  c.created = created;
  return c;
}

using Steps = std::vector<std::pair<DeadlineKind, int>>;

Steps steps_of(const SlaPlan& p) {
  Steps out;
  for (const auto& e : p.escalations) out.emplace_back(e.deadline, e.step);
  return out;
}

constexpr auto take = DeadlineKind::take;
constexpr auto resolve = DeadlineKind::resolve;

}  // namespace

TEST_CASE("the first matching policy applies, else the defaults", "[lifecycle][sla]") {
  const SlaConfig sla = sample_sla();
  struct Row {
    const char* severity;
    const char* route;
    const SlaPolicyConfig* expected;
  };
  const std::vector<Row> rows = {
      {"high", "team", &sla.policies[0]},   {"medium", "team", &sla.defaults}, {"low", "team", &sla.defaults},
      {"low", "vip", &sla.policies[1]},     {"high", "vip", &sla.policies[0]}, {"medium", "vip", &sla.policies[1]},
      {"", "vip", &sla.policies[1]},        {"bogus", "team", &sla.defaults},  {"high", "", &sla.policies[0]},
  };
  for (const Row& r : rows) {
    CAPTURE(r.severity, r.route);
    CHECK(&select_policy(sample_case(TimePoint{}, r.severity, r.route), sla) == r.expected);
  }
  CHECK(case_severity(sample_case(TimePoint{}, "medium")) == Severity::medium);
  CHECK(case_severity(sample_case(TimePoint{}, "")) == Severity::low);
}

TEST_CASE("deadlines in working time or wall time", "[lifecycle][sla]") {
  const SlaConfig sla = sample_sla();
  const BusinessCalendar cal = office();
  // Monday 17:50 UTC: 10 minutes left today.
  const CaseRecord team = sample_case(utc(2026, 11, 23, 17, 50));
  const CaseDeadlines d = deadlines(team, select_policy(team, sla), cal);
  CHECK(d.take_by == utc(2026, 11, 24, 9, 20));
  CHECK(d.resolve_by == utc(2026, 11, 24, 12, 50));
  const CaseRecord vip = sample_case(utc(2026, 11, 23, 17, 50), "low", "vip");
  const CaseDeadlines v = deadlines(vip, select_policy(vip, sla), cal);
  CHECK(v.take_by == utc(2026, 11, 23, 17, 55));
  CHECK(v.resolve_by == utc(2026, 11, 23, 18, 20));
}

TEST_CASE("what is due: escalations, statuses, follow-up and the next wake-up", "[lifecycle][sla]") {
  const SlaConfig sla = sample_sla();
  const BusinessCalendar cal = office();
  const TimePoint created = utc(2026, 11, 23, 10);  // take_by 10:30, resolve_by 14:00
  const CaseMark early{actor(), utc(2026, 11, 23, 10, 20)};
  const CaseMark late{actor(), utc(2026, 11, 23, 10, 40)};
  const CaseMark answered{actor(), utc(2026, 11, 23, 13)};
  using S = DeadlineStatus;

  struct Row {
    const char* name;
    std::function<void(CaseRecord&)> setup;
    TimePoint now;
    Steps due;
    S take_status;
    S resolve_status;
    bool follow_up;
    std::optional<TimePoint> next;
  };
  auto none = [](CaseRecord&) {};
  const std::vector<Row> rows = {
      {"new, before the take deadline", none, utc(2026, 11, 23, 10, 10), {}, S::pending, S::pending, false,
       utc(2026, 11, 23, 10, 30)},
      {"at the take deadline", none, utc(2026, 11, 23, 10, 30), {{take, 1}}, S::missed, S::pending, false,
       utc(2026, 11, 23, 11, 30)},
      {"take step 1 recorded", [](CaseRecord& c) { c.take_escalations = 1; }, utc(2026, 11, 23, 10, 45), {},
       S::missed, S::pending, false, utc(2026, 11, 23, 11, 30)},
      {"take step 2 due", [](CaseRecord& c) { c.take_escalations = 1; }, utc(2026, 11, 23, 11, 30), {{take, 2}},
       S::missed, S::pending, false, utc(2026, 11, 23, 14)},
      {"every take step recorded", [](CaseRecord& c) { c.take_escalations = 2; }, utc(2026, 11, 23, 12), {},
       S::missed, S::pending, false, utc(2026, 11, 23, 14)},
      {"after a downtime everything is due, in order", none, utc(2026, 11, 24, 12),
       {{take, 1}, {take, 2}, {resolve, 1}, {resolve, 2}}, S::missed, S::missed, false, std::nullopt},
      {"after a downtime, recorded steps are not due again",
       [](CaseRecord& c) { c.take_escalations = 2, c.resolve_escalations = 1; }, utc(2026, 11, 24, 12),
       {{resolve, 2}}, S::missed, S::missed, false, std::nullopt},
      {"taken in time", [&](CaseRecord& c) { c.state = CaseState::taken, c.taken = early; },
       utc(2026, 11, 23, 11, 45), {}, S::met, S::pending, false, utc(2026, 11, 23, 14)},
      {"taken late: no more take steps",
       [&](CaseRecord& c) { c.state = CaseState::taken, c.taken = late, c.take_escalations = 1; },
       utc(2026, 11, 23, 11, 45), {}, S::late, S::pending, false, utc(2026, 11, 23, 14)},
      {"reopened after an answer: the resolve clock runs again",
       [&](CaseRecord& c) { c.state = CaseState::taken, c.taken = early; }, utc(2026, 11, 24, 12),
       {{resolve, 1}, {resolve, 2}}, S::met, S::missed, false, std::nullopt},
      {"answered: both met, follow-up tomorrow",
       [&](CaseRecord& c) { c.state = CaseState::answered, c.taken = early, c.answered = answered; },
       utc(2026, 11, 23, 13, 30), {}, S::met, S::met, false, utc(2026, 11, 24, 13)},
      {"answered: follow-up due",
       [&](CaseRecord& c) { c.state = CaseState::answered, c.taken = early, c.answered = answered; },
       utc(2026, 11, 24, 13), {}, S::met, S::met, true, std::nullopt},
      {"answered: follow-up already sent",
       [&](CaseRecord& c) {
         c.state = CaseState::answered, c.taken = early, c.answered = answered;
         c.follow_up_sent = utc(2026, 11, 24, 13);
       },
       utc(2026, 11, 25, 13), {}, S::met, S::met, false, std::nullopt},
      {"resolved: no follow-up",
       [&](CaseRecord& c) { c.state = CaseState::resolved, c.taken = early, c.answered = answered, c.resolved = answered; },
       utc(2026, 11, 25, 13), {}, S::met, S::met, false, std::nullopt},
      {"resolved late from new",
       [](CaseRecord& c) { c.state = CaseState::resolved, c.resolved = CaseMark{actor(), utc(2026, 11, 23, 15, 30)}; },
       utc(2026, 11, 25, 13), {}, S::late, S::late, false, std::nullopt},
      {"dismissed stops every clock",
       [](CaseRecord& c) { c.state = CaseState::dismissed, c.dismissed = CaseMark{actor(), utc(2026, 11, 23, 10, 5)}; },
       utc(2026, 11, 24, 12), {}, S::stopped, S::stopped, false, std::nullopt},
      {"dismissed after taking",
       [&](CaseRecord& c) {
         c.state = CaseState::dismissed, c.taken = early, c.dismissed = CaseMark{actor(), utc(2026, 11, 23, 10, 25)};
       },
       utc(2026, 11, 24, 12), {}, S::met, S::stopped, false, std::nullopt},
  };
  for (const Row& r : rows) {
    CAPTURE(r.name);
    CaseRecord c = sample_case(created);
    r.setup(c);
    const SlaPlan p = plan(c, sla, cal, 24h, r.now);
    CHECK(p.policy == &sla.defaults);
    CHECK(steps_of(p) == r.due);
    CHECK(to_string(p.take) == to_string(r.take_status));
    CHECK(to_string(p.resolve) == to_string(r.resolve_status));
    CHECK(p.follow_up_due == r.follow_up);
    CHECK(p.next_due == r.next);
  }
}

TEST_CASE("escalation details: steps, overdue time in working or wall time", "[lifecycle][sla]") {
  const SlaConfig sla = sample_sla();
  const BusinessCalendar cal = office();
  // Working time: Monday 17:50 → take_by Tuesday 09:20; at 09:50 it is 30 working minutes late.
  const SlaPlan p = plan(sample_case(utc(2026, 11, 23, 17, 50)), sla, cal, 24h, utc(2026, 11, 24, 9, 50));
  REQUIRE(p.escalations.size() == 1);
  CHECK(p.escalations[0].overdue == 30min);
  CHECK(p.escalations[0].config == &sla.escalation[0]);
  CHECK(p.escalations[0].due_at == utc(2026, 11, 24, 9, 20));
  CHECK(p.next_due == utc(2026, 11, 24, 10, 20));

  // Wall time ("vip"): take_by 17:55, resolve_by 18:20; at 18:55 both take steps and resolve step 1.
  const SlaPlan v = plan(sample_case(utc(2026, 11, 23, 17, 50), "low", "vip"), sla, cal, 24h, utc(2026, 11, 23, 18, 55));
  CHECK(steps_of(v) == Steps{{take, 1}, {take, 2}, {resolve, 1}});
  REQUIRE(v.escalations.size() == 3);
  CHECK(v.escalations[0].overdue == 1h);
  CHECK(v.escalations[1].config == &sla.escalation[1]);
  CHECK(v.escalations[2].overdue == 35min);
  CHECK(v.next_due == utc(2026, 11, 23, 19, 20));
}

TEST_CASE("no escalation when SLA is off or no steps, follow-up off at 0", "[lifecycle][sla]") {
  const BusinessCalendar cal = office();
  SlaConfig off = sample_sla();
  off.enabled = false;
  CaseRecord c = sample_case(utc(2026, 11, 23, 10));
  const SlaPlan p = plan(c, off, cal, 24h, utc(2026, 11, 30, 10));
  CHECK(p.escalations.empty());
  CHECK(p.take == DeadlineStatus::missed);
  CHECK_FALSE(p.next_due);

  SlaConfig no_steps = sample_sla();
  no_steps.escalation.clear();
  CHECK(plan(c, no_steps, cal, 24h, utc(2026, 11, 30, 10)).escalations.empty());

  c.state = CaseState::answered;
  c.answered = CaseMark{actor(), utc(2026, 11, 23, 11)};
  CHECK(plan(c, off, cal, 24h, utc(2026, 11, 30, 10)).follow_up_due);
  const SlaPlan no_follow_up = plan(c, off, cal, 0min, utc(2026, 11, 30, 10));
  CHECK_FALSE(no_follow_up.follow_up_due);
  CHECK_FALSE(no_follow_up.next_due);
}

TEST_CASE("a daemon that checks often or sleeps until next_due escalates exactly once per step", "[lifecycle][sla]") {
  const SlaConfig sla = sample_sla();
  const BusinessCalendar cal = office();
  for (bool sleep_until_due : {false, true}) {
    CAPTURE(sleep_until_due);
    CaseRecord c = sample_case(utc(2026, 11, 20, 16));  // a Friday afternoon, over the weekend
    std::map<std::pair<DeadlineKind, int>, int> sent;
    TimePoint now = c.created;
    int checks = 0;
    while (now < utc(2026, 11, 26) && checks < 5000) {
      ++checks;
      const SlaPlan p = plan(c, sla, cal, 24h, now);
      for (const DueEscalation& e : p.escalations) {
        int& done = e.deadline == take ? c.take_escalations : c.resolve_escalations;
        REQUIRE(e.step == done + 1);  // in order, never skipped, never repeated
        done = e.step;
        ++sent[{e.deadline, e.step}];
      }
      if (sleep_until_due) {
        if (!p.next_due) break;
        REQUIRE(*p.next_due > now);
        now = *p.next_due;
      } else {
        now += 7min;
      }
    }
    CHECK(sent == std::map<std::pair<DeadlineKind, int>, int>{
                      {{take, 1}, 1}, {{take, 2}, 1}, {{resolve, 1}, 1}, {{resolve, 2}, 1}});
    if (sleep_until_due) CHECK(checks == 5);  // the start, then one wake-up per step
  }
}
