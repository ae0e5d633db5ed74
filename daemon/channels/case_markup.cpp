#include "daemon/channels/case_markup.hpp"

#include "daemon/lifecycle/transition.hpp"

#include <fmt/format.h>

#include <charconv>

namespace otklik::channels {
namespace {

constexpr CaseWords kRussian{
    .locale = "ru",
    .take = "Беру",
    .answer = "Ответили",
    .dismiss = "Не негатив",
    .resolve = "Решено",
    .reopen = "Вернуть",
    .taken_by = "Взял",
    .answered_by = "Ответили:",
    .resolved_by = "Решено:",
    .dismissed_by = "Не негатив:",
    .on_site = "на сайте",
    .at = "в",
    .overdue = "Просрочено",
    .take_by = "взять до",
    .answer_by = "ответить до",
    .not_taken = "никто не взял",
    .not_answered = "нет ответа",
    .done_take = "Взято",
    .done_answer = "Отмечено: ответили",
    .done_dismiss = "Отмечено: не негатив",
    .done_resolve = "Решено",
    .done_reopen = "Возвращено в работу",
    .already_taken = "Уже взято",
    .already_done = "Уже отмечено",
    .refused = "Сейчас это действие недоступно",
    .refused_answered = "Уже ответили",
    .refused_resolved = "Уже решено — сначала «Вернуть»",
    .refused_dismissed = "Отмечено как не негатив — сначала «Вернуть»",
    .not_allowed = "Нет доступа: действовать могут только участники команды из списка",
    .not_found = "Этот алерт не найден",
    .failed = "Не получилось, попробуйте ещё раз",
    .step = "шаг",
    .follow_up = "Напоминание: спросите клиента, всё ли в порядке",
    .day_first = true,
};

constexpr CaseWords kEnglish{
    .locale = "en",
    .take = "Take",
    .answer = "Answered",
    .dismiss = "Not negative",
    .resolve = "Resolved",
    .reopen = "Reopen",
    .taken_by = "Taken by",
    .answered_by = "Answered by",
    .resolved_by = "Resolved by",
    .dismissed_by = "Not negative:",
    .on_site = "on the site",
    .at = "at",
    .overdue = "Overdue",
    .take_by = "take by",
    .answer_by = "answer by",
    .not_taken = "nobody took it",
    .not_answered = "no answer yet",
    .done_take = "Taken",
    .done_answer = "Marked as answered",
    .done_dismiss = "Marked as not negative",
    .done_resolve = "Resolved",
    .done_reopen = "Reopened",
    .already_taken = "Already taken by",
    .already_done = "Already done",
    .refused = "Not available now",
    .refused_answered = "Already answered",
    .refused_resolved = "Already resolved: reopen it first",
    .refused_dismissed = "Marked as not negative: reopen it first",
    .not_allowed = "Not allowed: only listed team members may act on alerts",
    .not_found = "This alert is not known",
    .failed = "That did not work, please try again",
    .step = "step",
    .follow_up = "Reminder: ask the customer whether all is well now",
    .day_first = false,
};

constexpr std::string_view kCallbackPrefix = "otk1:";
constexpr std::string_view kSlackPrefix = "otk1_";

struct LocalTime {
  std::int64_t day = 0;  ///< days since 1970-01-01, local
  int month = 1, mday = 1, hour = 0, minute = 0;
};

LocalTime local_time(TimePoint t, const TimeZone& zone) {
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()) + zone.offset_at(t);
  std::int64_t s = secs.count();
  std::int64_t day = s >= 0 ? s / 86400 : (s - 86399) / 86400;
  const std::int64_t in_day = s - day * 86400;
  LocalTime out;
  out.day = day;
  out.hour = static_cast<int>(in_day / 3600);
  out.minute = static_cast<int>(in_day % 3600 / 60);
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.mday = static_cast<int>(static_cast<unsigned>(ymd.day()));
  return out;
}

/// "14:05", or "24.11 14:05" / "11-24 14:05" when not on the local day of `reference`.
std::string when(TimePoint t, TimePoint reference, const TimeZone& zone, const CaseWords& words) {
  const LocalTime lt = local_time(t, zone);
  const std::string hm = fmt::format("{:02}:{:02}", lt.hour, lt.minute);
  if (lt.day == local_time(reference, zone).day) return hm;
  if (words.day_first) return fmt::format("{:02}.{:02} {}", lt.mday, lt.month, hm);
  return fmt::format("{:02}-{:02} {}", lt.month, lt.mday, hm);
}

std::string who(const Actor& a) { return !a.name.empty() ? a.name : a.id; }

std::string mark_line(std::string_view marker, std::string_view prefix, const CaseMark& mark, TimePoint reference,
                      const TimeZone& zone, const CaseWords& words) {
  std::string line = fmt::format("{} {}", marker, prefix);
  // A reply on the review site itself: "✅ Ответили: на сайте в 14:05".
  const std::string name = mark.by.platform == "site" ? std::string(words.on_site) : who(mark.by);
  if (!name.empty()) line += " " + name;
  line += fmt::format(" {} {}", words.at, when(mark.at, reference, zone, words));
  return line;
}

/// A positive decimal int64 without sign or leading zeros.
std::optional<std::int64_t> parse_id(std::string_view digits) noexcept {
  if (digits.empty() || digits.size() > 19 || digits[0] == '0') return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc{} || p != digits.data() + digits.size() || v <= 0) return std::nullopt;
  return v;
}

}  // namespace

const CaseWords& case_words_for(std::string_view locale) noexcept {
  return locale.substr(0, 2) == "en" ? kEnglish : kRussian;
}

std::string_view action_label(CaseAction action, const CaseWords& words) noexcept {
  switch (action) {
    case CaseAction::take: return words.take;
    case CaseAction::answer: return words.answer;
    case CaseAction::dismiss: return words.dismiss;
    case CaseAction::resolve: return words.resolve;
    case CaseAction::reopen: return words.reopen;
  }
  return words.take;
}

std::string render_case_status(const CaseView& view, const TimeZone& zone, const CaseWords& words) {
  const CaseRecord& c = view.record;
  std::vector<std::string> lines;
  auto add_mark = [&](std::string_view marker, std::string_view prefix, const std::optional<CaseMark>& mark) {
    if (mark) lines.push_back(mark_line(marker, prefix, *mark, c.created, zone, words));
  };
  switch (c.state) {
    case CaseState::fresh: break;
    case CaseState::taken: add_mark("\U0001F7E1", words.taken_by, c.taken); break;
    case CaseState::answered: add_mark("\u2705", words.answered_by, c.answered); break;
    case CaseState::resolved: add_mark("\u2611\uFE0F", words.resolved_by, c.resolved); break;
    case CaseState::dismissed: add_mark("\u26AA", words.dismissed_by, c.dismissed); break;
  }
  auto overdue = [&](std::string_view by, std::string_view missing, const std::optional<TimePoint>& due) {
    if (due) {
      lines.push_back(fmt::format("\u23F0 {}: {} {}", words.overdue, by, when(*due, c.created, zone, words)));
    } else {
      lines.push_back(fmt::format("\u23F0 {}: {}", words.overdue, missing));
    }
  };
  if (c.state == CaseState::fresh && c.take_escalations > 0) overdue(words.take_by, words.not_taken, view.take_by);
  if (is_open(c.state) && c.resolve_escalations > 0) overdue(words.answer_by, words.not_answered, view.resolve_by);
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

std::string format_mark_time(TimePoint t, TimePoint reference, const TimeZone& zone, const CaseWords& words) {
  return when(t, reference, zone, words);
}

std::optional<std::int64_t> parse_button_id(std::string_view digits) noexcept { return parse_id(digits); }

std::vector<CaseAction> case_buttons(const CaseView& view) { return available_actions(view.record.state); }

std::string encode_callback_data(ActionData data) {
  return fmt::format("{}{}:{}", kCallbackPrefix, to_string(data.action), data.mention_id);
}

std::optional<ActionData> decode_callback_data(std::string_view data) noexcept {
  if (data.empty() || data.size() > kMaxCallbackData || !data.starts_with(kCallbackPrefix)) return std::nullopt;
  data.remove_prefix(kCallbackPrefix.size());
  const auto colon = data.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto action = parse_case_action(data.substr(0, colon));
  const auto id = parse_id(data.substr(colon + 1));
  if (!action || !id) return std::nullopt;
  return ActionData{*action, *id};
}

std::string slack_action_id(CaseAction action) { return fmt::format("{}{}", kSlackPrefix, to_string(action)); }

std::optional<ActionData> decode_slack_action(std::string_view action_id, std::string_view value) noexcept {
  if (!action_id.starts_with(kSlackPrefix)) return std::nullopt;
  const auto action = parse_case_action(action_id.substr(kSlackPrefix.size()));
  const auto id = parse_id(value);
  if (!action || !id) return std::nullopt;
  return ActionData{*action, *id};
}

std::string action_reply(ActionResultKind kind, CaseAction action, const CaseRecord* record, CaseRefusal refusal,
                         const CaseWords& words) {
  switch (kind) {
    case ActionResultKind::changed:
      switch (action) {
        case CaseAction::take: return std::string(words.done_take);
        case CaseAction::answer: return std::string(words.done_answer);
        case CaseAction::dismiss: return std::string(words.done_dismiss);
        case CaseAction::resolve: return std::string(words.done_resolve);
        case CaseAction::reopen: return std::string(words.done_reopen);
      }
      break;
    case ActionResultKind::unchanged:
      if (action == CaseAction::take && record && record->taken && !who(record->taken->by).empty())
        return fmt::format("{} {}", words.already_taken, who(record->taken->by));
      return std::string(words.already_done);
    case ActionResultKind::refused:
      switch (refusal) {
        case CaseRefusal::already_answered: return std::string(words.refused_answered);
        case CaseRefusal::already_resolved: return std::string(words.refused_resolved);
        case CaseRefusal::already_dismissed: return std::string(words.refused_dismissed);
        case CaseRefusal::none: break;
      }
      return std::string(words.refused);
    case ActionResultKind::not_allowed: return std::string(words.not_allowed);
    case ActionResultKind::not_found: return std::string(words.not_found);
    case ActionResultKind::failed: return std::string(words.failed);
  }
  return std::string(words.failed);
}

}  // namespace otklik::channels
