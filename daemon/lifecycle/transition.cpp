#include "daemon/lifecycle/transition.hpp"

namespace otklik {
namespace {

CaseRefusal refusal_for(CaseState state) noexcept {
  switch (state) {
    case CaseState::answered: return CaseRefusal::already_answered;
    case CaseState::resolved: return CaseRefusal::already_resolved;
    case CaseState::dismissed: return CaseRefusal::already_dismissed;
    case CaseState::fresh:
    case CaseState::taken: break;
  }
  return CaseRefusal::none;  // not reached: fresh and taken never block an action
}

void set_note(CaseRecord& r, std::string_view note) {
  if (!note.empty()) r.note = std::string(note);
}

}  // namespace

CaseUpdate apply_action(const CaseRecord& record, CaseAction action, const Actor& actor, std::string_view note,
                        TimePoint now) {
  CaseUpdate out;
  out.record = record;
  CaseRecord& r = out.record;
  const CaseState s = record.state;
  const CaseMark mark{actor, now};

  auto refuse = [&] {
    out.refusal = refusal_for(s);
    out.refused = std::string(to_string(out.refusal));
    return out;
  };
  auto change = [&] {
    out.changed = true;
    return out;
  };

  switch (action) {
    case CaseAction::take:
      if (s == CaseState::taken) return out;
      if (s != CaseState::fresh) return refuse();
      r.state = CaseState::taken;
      r.taken = mark;
      return change();

    case CaseAction::answer:
      if (s == CaseState::answered) return out;
      if (s != CaseState::fresh && s != CaseState::taken) return refuse();
      if (s == CaseState::fresh) r.taken = mark;
      r.state = CaseState::answered;
      r.answered = mark;
      set_note(r, note);
      return change();

    case CaseAction::resolve:
      if (s == CaseState::resolved) return out;
      if (s == CaseState::dismissed) return refuse();
      r.state = CaseState::resolved;
      r.resolved = mark;
      set_note(r, note);
      return change();

    case CaseAction::dismiss:
      if (s == CaseState::dismissed) return out;
      if (s != CaseState::fresh && s != CaseState::taken) return refuse();
      r.state = CaseState::dismissed;
      r.dismissed = mark;
      set_note(r, note);
      return change();

    case CaseAction::reopen:
      if (s == CaseState::fresh || s == CaseState::taken) return out;
      r.state = r.taken ? CaseState::taken : CaseState::fresh;
      r.answered.reset();
      r.resolved.reset();
      r.dismissed.reset();
      set_note(r, note);
      return change();
  }
  return out;
}

std::vector<CaseAction> available_actions(CaseState state) {
  switch (state) {
    case CaseState::fresh: return {CaseAction::take, CaseAction::answer, CaseAction::dismiss};
    case CaseState::taken: return {CaseAction::answer, CaseAction::dismiss};
    case CaseState::answered: return {CaseAction::resolve};
    case CaseState::resolved:
    case CaseState::dismissed: return {CaseAction::reopen};
  }
  return {};
}

}  // namespace otklik
