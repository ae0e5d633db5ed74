#include "daemon/lifecycle/transition.hpp"
#include "lifecycle_test_support.hpp"
#include "tests/support/catch_result.hpp"

using namespace otklik;
using namespace std::chrono_literals;
using test::actor;
using test::utc;

namespace {

const TimePoint kCreated = utc(2026, 11, 23, 9, 0);
const TimePoint kNow = utc(2026, 11, 23, 12, 0);

/// A case brought into `state` by the usual path; `taker` false skips the take (resolved or
/// dismissed straight from new).
CaseRecord record_in(CaseState state, bool taker = true) {
  CaseRecord r;
  r.mention_id = 7;
  r.severity = "medium";
  r.route = "team";
  r.created = kCreated;
  const CaseMark earlier{actor("1", "@boris"), kCreated + 10min};
  if (taker && state != CaseState::fresh) r.taken = earlier;
  switch (state) {
    case CaseState::fresh:
    case CaseState::taken: break;
    case CaseState::answered: r.answered = earlier; break;
    case CaseState::resolved:
      if (taker) r.answered = earlier;
      r.resolved = earlier;
      break;
    case CaseState::dismissed: r.dismissed = earlier; break;
  }
  r.state = state;
  return r;
}

struct Row {
  CaseState from;
  bool taker;
  CaseAction action;
  CaseState to;
  bool changed;
  CaseRefusal refusal;
};

constexpr auto fresh = CaseState::fresh;
constexpr auto taken = CaseState::taken;
constexpr auto answered = CaseState::answered;
constexpr auto resolved = CaseState::resolved;
constexpr auto dismissed = CaseState::dismissed;
constexpr auto none = CaseRefusal::none;

}  // namespace

TEST_CASE("every action in every state", "[lifecycle][transition]") {
  using A = CaseAction;
  const std::vector<Row> rows = {
      {fresh, false, A::take, taken, true, none},
      {fresh, false, A::answer, answered, true, none},
      {fresh, false, A::resolve, resolved, true, none},
      {fresh, false, A::dismiss, dismissed, true, none},
      {fresh, false, A::reopen, fresh, false, none},

      {taken, true, A::take, taken, false, none},
      {taken, true, A::answer, answered, true, none},
      {taken, true, A::resolve, resolved, true, none},
      {taken, true, A::dismiss, dismissed, true, none},
      {taken, true, A::reopen, taken, false, none},

      {answered, true, A::take, answered, false, CaseRefusal::already_answered},
      {answered, true, A::answer, answered, false, none},
      {answered, true, A::resolve, resolved, true, none},
      {answered, true, A::dismiss, answered, false, CaseRefusal::already_answered},
      {answered, true, A::reopen, taken, true, none},

      {resolved, true, A::take, resolved, false, CaseRefusal::already_resolved},
      {resolved, true, A::answer, resolved, false, CaseRefusal::already_resolved},
      {resolved, true, A::resolve, resolved, false, none},
      {resolved, true, A::dismiss, resolved, false, CaseRefusal::already_resolved},
      {resolved, true, A::reopen, taken, true, none},
      {resolved, false, A::reopen, fresh, true, none},

      {dismissed, false, A::take, dismissed, false, CaseRefusal::already_dismissed},
      {dismissed, false, A::answer, dismissed, false, CaseRefusal::already_dismissed},
      {dismissed, false, A::resolve, dismissed, false, CaseRefusal::already_dismissed},
      {dismissed, false, A::dismiss, dismissed, false, none},
      {dismissed, false, A::reopen, fresh, true, none},
      {dismissed, true, A::reopen, taken, true, none},
  };
  for (const Row& row : rows) {
    CAPTURE(to_string(row.from), row.taker, to_string(row.action));
    const CaseRecord before = record_in(row.from, row.taker);
    const CaseUpdate u = apply_action(before, row.action, actor(), "", kNow);
    CHECK(u.record.state == row.to);
    CHECK(u.changed == row.changed);
    CHECK(u.refusal == row.refusal);
    CHECK(u.refused == to_string(row.refusal));
    CHECK(u.record.mention_id == before.mention_id);
    if (!u.changed) {
      // Unchanged or refused: every field as before (a double tap moves no timestamp).
      CHECK(u.record.state == before.state);
      CHECK(u.record.taken.has_value() == before.taken.has_value());
      CHECK(u.record.answered.has_value() == before.answered.has_value());
      CHECK(u.record.resolved.has_value() == before.resolved.has_value());
      CHECK(u.record.dismissed.has_value() == before.dismissed.has_value());
      CHECK(u.record.note == before.note);
    }
  }
}

TEST_CASE("a double tap changes nothing and keeps the first actor", "[lifecycle][transition]") {
  using A = CaseAction;
  for (A action : {A::take, A::answer, A::resolve, A::dismiss}) {
    CAPTURE(to_string(action));
    const CaseUpdate first = apply_action(record_in(fresh, false), action, actor("1", "@anna"), "", kNow);
    REQUIRE(first.changed);
    const CaseUpdate second = apply_action(first.record, action, actor("2", "@boris"), "", kNow + 1s);
    CHECK_FALSE(second.changed);
    CHECK(second.refused.empty());
    CHECK(second.record.state == first.record.state);
    const auto& mark = action == A::take      ? second.record.taken
                       : action == A::answer  ? second.record.answered
                       : action == A::resolve ? second.record.resolved
                                              : second.record.dismissed;
    REQUIRE(mark);
    CHECK(mark->by.id == "1");
    CHECK(mark->at == kNow);
  }
}

TEST_CASE("answer from new makes the actor the taker, from taken keeps the taker", "[lifecycle][transition]") {
  const CaseUpdate from_new = apply_action(record_in(fresh), CaseAction::answer, actor("9", "@vera"), "", kNow);
  REQUIRE(from_new.record.taken);
  CHECK(from_new.record.taken->by.id == "9");
  CHECK(from_new.record.taken->at == kNow);
  REQUIRE(from_new.record.answered);
  CHECK(from_new.record.answered->by.name == "@vera");

  const CaseUpdate from_taken = apply_action(record_in(taken), CaseAction::answer, actor("9", "@vera"), "", kNow);
  REQUIRE(from_taken.record.taken);
  CHECK(from_taken.record.taken->by.id == "1");
  CHECK(from_taken.record.answered->by.id == "9");
}

TEST_CASE("reopen clears the later marks and keeps the counters", "[lifecycle][transition]") {
  CaseRecord r = record_in(resolved);
  r.take_escalations = 1;
  r.resolve_escalations = 2;
  r.follow_up_sent = kNow - 1h;
  const CaseUpdate u = apply_action(r, CaseAction::reopen, actor(), "", kNow);
  REQUIRE(u.changed);
  CHECK(u.record.state == taken);
  CHECK(u.record.taken);
  CHECK_FALSE(u.record.answered);
  CHECK_FALSE(u.record.resolved);
  CHECK_FALSE(u.record.dismissed);
  CHECK(u.record.take_escalations == 1);
  CHECK(u.record.resolve_escalations == 2);
  CHECK(u.record.follow_up_sent == r.follow_up_sent);
}

TEST_CASE("notes come from answer, resolve and dismiss, an empty note keeps the last one", "[lifecycle][transition]") {
  CaseRecord r = record_in(fresh);
  r = apply_action(r, CaseAction::take, actor(), "take keeps no note", kNow).record;
  CHECK(r.note.empty());
  r = apply_action(r, CaseAction::answer, actor(), "called the customer", kNow).record;
  CHECK(r.note == "called the customer");
  r = apply_action(r, CaseAction::resolve, actor(), "", kNow).record;
  CHECK(r.note == "called the customer");
  r = apply_action(r, CaseAction::reopen, actor(), "", kNow).record;
  r = apply_action(r, CaseAction::dismiss, actor(), "positive", kNow).record;
  CHECK(r.state == dismissed);
  CHECK(r.note == "positive");
}

TEST_CASE("buttons per state", "[lifecycle][transition]") {
  using A = CaseAction;
  CHECK(available_actions(fresh) == std::vector<A>{A::take, A::answer, A::dismiss});
  CHECK(available_actions(taken) == std::vector<A>{A::answer, A::dismiss});
  CHECK(available_actions(answered) == std::vector<A>{A::resolve});
  CHECK(available_actions(resolved) == std::vector<A>{A::reopen});
  CHECK(available_actions(dismissed) == std::vector<A>{A::reopen});
  // Every offered action is allowed (changes the case) in its state.
  for (CaseState s : {fresh, taken, answered, resolved, dismissed}) {
    for (A a : available_actions(s)) {
      CAPTURE(to_string(s), to_string(a));
      CHECK(apply_action(record_in(s), a, actor(), "", kNow).changed);
    }
  }
}
