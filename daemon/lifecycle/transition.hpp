#pragma once
/// Case transitions as a pure function: the chat integrations and the store share one table of
/// what each action does in each state.
///
///   take:    fresh → taken
///   answer:  fresh | taken → answered (from fresh the actor also becomes the taker)
///   resolve: fresh | taken | answered → resolved
///   dismiss: fresh | taken → dismissed
///   reopen:  answered | resolved | dismissed → taken (if it had a taker) else fresh; clears the
///            answered/resolved/dismissed marks
///
/// An action whose result is already the state (take on taken, reopen on an open case, a double
/// tap) changes nothing and is not refused. Any other action is refused with a CaseRefusal that
/// names the state in the way.

#include "daemon/lifecycle/case.hpp"

#include <string_view>
#include <vector>

namespace otklik {

/// Applies `action` by `actor` at `now` to `record`. `note` (may be empty) replaces the case's
/// note on answer, resolve and dismiss when non-empty. Never fails: refusals are values.
CaseUpdate apply_action(const CaseRecord& record, CaseAction action, const Actor& actor, std::string_view note,
                        TimePoint now);

/// The actions offered as buttons in `state`, in display order:
/// fresh: take, answer, dismiss; taken: answer, dismiss; answered: resolve;
/// resolved, dismissed: reopen.
std::vector<CaseAction> available_actions(CaseState state);

}  // namespace otklik
