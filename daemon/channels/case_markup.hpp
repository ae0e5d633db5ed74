#pragma once
/// How a case (daemon/lifecycle/case.hpp) shows in a chat: the button labels, the status line of
/// an alert ("🟡 Взял @ivanova в 14:05"), the short answers to a tap, and the data a button carries
/// back. Pure functions: no clock, no I/O.
///
/// Button data is versioned and validated strictly on the way back, because a chat client can
/// send anything: Telegram callback_data "otk1:<action>:<mention id>" (1–64 bytes), Slack
/// action_id "otk1_<action>" with value "<mention id>".

#include "daemon/core/time_zone.hpp"
#include "daemon/lifecycle/case.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::channels {

/// The words of the case markup in one language. One constant table per locale.
struct CaseWords {
  std::string_view locale;
  // Button labels.
  std::string_view take, answer, dismiss, resolve, reopen;
  // Status lines: "<marker> <prefix> <who> <at> <time>".
  std::string_view taken_by;       ///< "Взял" / "Taken by"
  std::string_view answered_by;    ///< "Ответили:" / "Answered by"
  std::string_view resolved_by;    ///< "Решено:" / "Resolved by"
  std::string_view dismissed_by;   ///< "Не негатив:" / "Not negative:"
  std::string_view on_site;        ///< who, for a reply on the site itself: "на сайте" / "on the site"
  std::string_view at;             ///< "в" / "at"
  std::string_view overdue;        ///< "Просрочено" / "Overdue"
  std::string_view take_by;        ///< "взять до" / "take by"
  std::string_view answer_by;      ///< "ответить до" / "answer by"
  std::string_view not_taken;      ///< overdue without a known deadline
  std::string_view not_answered;
  // Answers to a tap (Telegram answerCallbackQuery text, Slack ephemeral text).
  std::string_view done_take, done_answer, done_dismiss, done_resolve, done_reopen;
  std::string_view already_taken;  ///< followed by " @who"
  std::string_view already_done;
  std::string_view refused;        ///< not allowed in this state (no more precise reason)
  std::string_view refused_answered, refused_resolved, refused_dismissed;  ///< by CaseRefusal
  std::string_view not_allowed;
  std::string_view not_found;
  std::string_view failed;
  // Escalations and reminders.
  std::string_view step;           ///< "шаг" / "step"
  std::string_view follow_up;      ///< the reminder's line
  bool day_first = true;           ///< 23.11 vs 11-23 when a mark is not on the alert's day
};

/// The table for `locale`: "en…" gives English, anything else Russian (the default).
const CaseWords& case_words_for(std::string_view locale) noexcept;

/// The label of `action`'s button.
std::string_view action_label(CaseAction action, const CaseWords& words) noexcept;

/// The case as an alert shows it: the record and, when known, its deadlines (shown once a
/// deadline is overdue, i.e. once an escalation step was recorded for it).
struct CaseView {
  CaseRecord record;
  std::optional<TimePoint> take_by;
  std::optional<TimePoint> resolve_by;
};

/// The status lines of an alert (plain text, one per line, "" for a fresh case on time):
///   "🟡 Взял @ivanova в 14:05", "✅ Ответили: @ivanova в 15:10", "☑️ Решено: …",
///   "⚪ Не негатив: …", "⏰ Просрочено: взять до 14:30".
/// Times are local in `zone`; a mark on another local day than the case's creation also shows
/// the day ("24.11 09:15").
std::string render_case_status(const CaseView& view, const TimeZone& zone, const CaseWords& words);

/// "14:05" in `zone`, or "24.11 14:05" / "11-24 14:05" when not on the local day of `reference`
/// (how status lines give times).
std::string format_mark_time(TimePoint t, TimePoint reference, const TimeZone& zone, const CaseWords& words);

/// A positive decimal int64 without sign or leading zeros (ids carried by buttons); nullopt else.
std::optional<std::int64_t> parse_button_id(std::string_view digits) noexcept;

/// The buttons offered for `view` (lifecycle's available_actions of its state).
std::vector<CaseAction> case_buttons(const CaseView& view);

/// Telegram callback_data has at most 64 bytes.
inline constexpr std::size_t kMaxCallbackData = 64;

/// What a button asks for.
struct ActionData {
  CaseAction action = CaseAction::take;
  std::int64_t mention_id = 0;
  friend bool operator==(const ActionData&, const ActionData&) = default;
};

/// "otk1:take:42".
std::string encode_callback_data(ActionData data);
/// Strict inverse of encode_callback_data: the prefix "otk1:", a known action name, ":", a
/// positive decimal id without sign or leading zeros that fits int64, at most 64 bytes in all.
std::optional<ActionData> decode_callback_data(std::string_view data) noexcept;

/// Slack: action_id "otk1_take" and value "42".
std::string slack_action_id(CaseAction action);
/// Strict: a known action_id and a value as in decode_callback_data.
std::optional<ActionData> decode_slack_action(std::string_view action_id, std::string_view value) noexcept;

/// The short answer to a tap, in the channel's language (see AlertActions).
enum class ActionResultKind { changed, unchanged, refused, not_allowed, not_found, failed };
/// `record` (may be null) is the case after the attempt: "Уже взято @ivanova" names its taker.
std::string action_reply(ActionResultKind kind, CaseAction action, const CaseRecord* record, CaseRefusal refusal,
                         const CaseWords& words);

}  // namespace otklik::channels
