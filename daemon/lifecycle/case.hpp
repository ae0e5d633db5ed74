#pragma once
/// The life of an alert as a case: new → taken → answered → resolved, or dismissed as "not
/// negative". Plain values shared by the store (which persists them), the chat integrations (which
/// request actions) and the SLA planner (which reads them). Transitions are pure (transition.hpp).

#include "daemon/core/mention.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace otklik {

enum class CaseState {
  fresh,      ///< "new": alerted, nobody has taken it
  taken,      ///< someone said "Беру" / "I'll take it"
  answered,   ///< the customer got a reply ("Ответили"); the resolve deadline is met
  resolved,   ///< closed after the follow-up ("Решено")
  dismissed,  ///< "Не негатив": not a complaint; kept as feedback for the lexicons
};

enum class CaseAction {
  take,
  answer,
  resolve,
  dismiss,
  reopen,  ///< back to fresh/taken from answered, resolved or dismissed (a mistaken tap)
};

/// Who acted, as the chat platform identifies them.
struct Actor {
  std::string platform;  ///< "telegram", "slack", "cli"
  std::string id;        ///< the platform's user id ("123456", "U012AB3CD")
  std::string name;      ///< shown in the message: "@ivanova" or "Анна Иванова"
  friend bool operator==(const Actor&, const Actor&) = default;
};

/// One step of a case's history (when and who).
struct CaseMark {
  Actor by;
  TimePoint at{};
  friend bool operator==(const CaseMark&, const CaseMark&) = default;
};

/// A case as stored. Times in UTC.
struct CaseRecord {
  std::int64_t mention_id = 0;
  CaseState state = CaseState::fresh;
  std::string severity;           ///< "low" | "medium" | "high", from the alert's route decision
  std::string route;              ///< the first channel the alert went to (SLA policies select on it)
  TimePoint created{};            ///< when the alert was queued (the SLA clock starts here)
  std::optional<CaseMark> taken;
  std::optional<CaseMark> answered;
  std::optional<CaseMark> resolved;
  std::optional<CaseMark> dismissed;
  std::string note;               ///< free text from the last answer/resolve/dismiss
  int take_escalations = 0;       ///< escalation steps already sent for the take deadline
  int resolve_escalations = 0;    ///< … for the resolve deadline
  std::optional<TimePoint> follow_up_sent;  ///< the "ask the customer" reminder went out
  friend bool operator==(const CaseRecord&, const CaseRecord&) = default;
};

/// Why an action was refused. The chat layer translates the code ("already_resolved" →
/// "Уже решено — сначала «Вернуть»" / "Already resolved: reopen it first").
enum class CaseRefusal {
  none,               ///< not refused
  already_answered,   ///< take/dismiss on an answered case
  already_resolved,   ///< take/answer/dismiss on a resolved case
  already_dismissed,  ///< take/answer/resolve on a dismissed case
};

/// The result of a case action: the case after it, and whether anything changed (a double tap or
/// a replayed callback changes nothing and returns changed = false).
struct CaseUpdate {
  CaseRecord record;
  bool changed = false;
  std::string refused;                        ///< non-empty when refused: to_string(refusal)
  CaseRefusal refusal = CaseRefusal::none;    ///< the same as a code
};

/// "new", "taken", "answered", "resolved", "dismissed" (the names stored in the database).
std::string_view to_string(CaseState s) noexcept;
std::optional<CaseState> parse_case_state(std::string_view s) noexcept;
/// "take", "answer", "resolve", "dismiss", "reopen" (callback data, case_events.action).
std::string_view to_string(CaseAction a) noexcept;
std::optional<CaseAction> parse_case_action(std::string_view s) noexcept;
/// "already_answered", "already_resolved", "already_dismissed"; "" for none.
std::string_view to_string(CaseRefusal r) noexcept;

/// True while the customer has no answer yet (fresh or taken): the case still needs someone's work.
inline bool is_open(CaseState s) noexcept {
  return s == CaseState::fresh || s == CaseState::taken;
}

}  // namespace otklik
