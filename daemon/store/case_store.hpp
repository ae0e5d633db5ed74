#pragma once
/// The cases role: the alert lifecycle (a case per alerted mention), its history, the SLA
/// timer's exactly-once escalation and follow-up records, and the team's "not negative" marks.

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/lifecycle/case.hpp"
#include "daemon/store/alert_request.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

/// A correction by the team, for `otklik feedback export`: a case dismissed as "not negative",
/// or a relabel from the web inbox (label_store.hpp).
struct FeedbackItem {
  std::int64_t mention_id = 0;
  std::string label;                 ///< what the team says it is: "negative", "neutral" or "positive"
  std::string text;
  TimePoint at{};
  std::string by;                    ///< who said so (the actor's name)
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;
  virtual Result<std::optional<CaseRecord>> case_of(std::int64_t mention_id) = 0;
  /// In one write transaction: reads the case, applies `action` (lifecycle/transition.hpp), stores
  /// the result and appends to the case's history (also refused and unchanged actions). Idempotent:
  /// repeating an action changes nothing. Fails with errc::not_found when the mention has no case.
  virtual Result<CaseUpdate> apply_case_action(std::int64_t mention_id, CaseAction action, const Actor& actor,
                                               const std::string& note, TimePoint now) = 0;
  /// Cases the SLA timer must look at now: open (new, taken, or answered and waiting for its
  /// follow-up) and due at or before `now` (a new case is due at once; after each look the timer
  /// records when it needs the case again: plan_case_check). Oldest first, at most `limit`.
  virtual Result<std::vector<CaseRecord>> due_cases(TimePoint now, int limit) = 0;
  /// Every open case (new, taken, answered), oldest first: start-up and reload re-plan them all.
  virtual Result<std::vector<CaseRecord>> active_cases() = 0;
  /// When the SLA timer needs the case again (none: nothing more will be due unless someone acts).
  virtual Result<void> plan_case_check(std::int64_t mention_id, std::optional<TimePoint> at) = 0;
  /// The earliest planned check of an open case, if any.
  virtual Result<std::optional<TimePoint>> next_case_check() = 0;
  /// Exactly once per step: in one transaction, if the case's escalation count for `deadline`
  /// ("take" or "resolve") equals step − 1, sets it to `step` and queues `request` (mention_id set).
  /// Returns false when that step was already recorded (another run, a restart). Fails with
  /// invalid_input for another deadline or a step < 1, and with not_found without a case.
  virtual Result<bool> record_escalation(std::int64_t mention_id, std::string_view deadline, int step,
                                         const AlertRequest& request, TimePoint now) = 0;
  /// Exactly once: marks the follow-up sent and queues `request`; false if it was already sent.
  virtual Result<bool> record_follow_up(std::int64_t mention_id, const AlertRequest& request, TimePoint now) = 0;
  /// The team's corrections since `since`, oldest first, one per mention (its latest): cases
  /// dismissed as "not negative" (label: the dismiss note when it names a label, "positive" or
  /// "neutral", else "neutral") and relabels (label_store.hpp; a relabel later than a dismissal
  /// wins). text: the mention's text (its title when the text is empty).
  virtual Result<std::vector<FeedbackItem>> feedback(TimePoint since) = 0;
};

}  // namespace otklik
