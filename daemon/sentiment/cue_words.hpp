#pragma once
/// The words that the sentence-wide rules wait for, and one bit per rule that says a word is one of
/// them (not a public API). Every word form's bits are computed once, when the engine's memo learns
/// the form (Engine::describe); each token carries its form's bits (Workspace::cues), so a rule
/// asks one OR over a sentence's tokens whether it can match there at all, and walks the sentence
/// only when it can. Most sentences hold none of these words: the walks were a tenth of the
/// scoring. A bit only ever turns a sentence away that the rule's own walk would turn away: the
/// rules test membership in these same lists.

#include "daemon/sentiment/rules_internal.hpp"

#include <cstdint>
#include <string_view>

namespace otklik::sentiment::rules {

/// long_wait: a word that says a wait or a delay ("took", "waited", "stuck", "hold").
inline constexpr auto kWaitCues =
    word_list("took", "take", "takes", "taking", "wait", "waits", "waited", "waiting", "sat", "sit", "sitting", "late",
              "later", "spent", "still", "forever", "before", "until", "till", "delayed", "delay", "stuck", "stranded",
              "hold");
/// foreign_object: a word that finds something ("found a hair", "there was a fly").
inline constexpr auto kFindCues = word_list("found", "find", "finding", "there", "was", "were");
/// foreign_object: the food or drink it was found in.
inline constexpr auto kFoodWords =
    word_list("food", "salad", "soup", "drink", "burger", "sandwich", "plate", "meal", "salsa", "pizza", "rice", "dish",
              "coffee", "water", "glass", "juice", "fries", "pasta", "bowl", "cup", "tea", "beer", "wine", "sauce",
              "taco", "tacos", "noodles");
/// repeated_attempts: a contact counted, "times" / «раз», twice / «дважды».
inline constexpr auto kRepeatCues =
    word_list("twice", "thrice", "дважды", "трижды", "calls", "emails", "chats", "visits", "tickets", "complaints",
              "звонка", "звонков", "письма", "писем", "обращения", "обращений", "заявки", "заявок", "times", "раза",
              "раз");
/// dragging_on (through long_duration): a unit of days, weeks or months.
inline constexpr auto kRussianDurationUnits =
    word_list("дня", "дней", "день", "сутки", "суток", "неделю", "недели", "недель", "месяц", "месяца", "месяцев");
inline constexpr auto kEnglishDurationUnits = word_list("days", "weeks", "months");
/// Fault lists ("Минусы:", "the only downside", "only complaint") and summaries ("в целом",
/// "overall"): every word that can open one (fault_marker, summary_marker).
inline constexpr auto kFaultMarkers =
    word_list("минус", "минусы", "минусов", "минусам", "минусами", "недостаток", "недостатки", "недостатков",
              "недостаткам", "недочеты", "недочетов", "придраться", "cons", "downside", "downsides", "drawback",
              "drawbacks", "gripe", "gripes");
inline constexpr auto kOtherFaultMarkers = word_list("мелочи", "complaint", "complaints");
inline constexpr auto kSummaryWords =
    word_list("итог", "итоге", "итогу", "итоги", "вывод", "резюме", "вообщем", "вцелом", "целом", "overall", "общем",
              "впечатление", "general", "line", "up", "conclusion", "all");
/// solved_problem: a verb that says a problem was solved, before the term or (Russian) after it,
/// and "zero" ("zero dropped calls").
inline constexpr auto kSolvedEnglish = word_list("fixed", "solved", "resolved", "sorted", "refunded", "reversed",
                                                 "waived", "repaired", "corrected", "cleared");
inline constexpr auto kSolvedRussian =
    word_list("решили", "решил", "решила", "устранили", "устранил", "устранила", "исправили", "исправил", "исправила",
              "починили", "починил", "починила", "уладили", "урегулировали", "вернули", "вернул", "вернула",
              "компенсировали", "отозвались", "откликнулись", "помогли", "помог", "помогла");
inline constexpr auto kSolvedRussianAfter =
    word_list("решили", "решена", "решен", "устранили", "устранена", "исправили", "исправлена");
inline constexpr auto kZero = word_list("zero", "0");

enum Cue : std::uint32_t {
  kCueWait = 1u << 0,      ///< kWaitCues
  kCueFind = 1u << 1,      ///< kFindCues
  kCueFood = 1u << 2,      ///< kFoodWords
  kCueRepeat = 1u << 3,    ///< kRepeatCues
  kCueDuration = 1u << 4,  ///< kRussianDurationUnits, kEnglishDurationUnits
  kCueStill = 1u << 5,     ///< "still" (still_not)
  kCueMarker = 1u << 6,    ///< kFaultMarkers, kOtherFaultMarkers, kSummaryWords
  kCueSolved = 1u << 7,    ///< kSolvedEnglish, kSolvedRussian, kSolvedRussianAfter, kZero
};

/// The bits of a normalised word form.
[[nodiscard]] inline std::uint32_t cue_bits(std::string_view norm) {
  std::uint32_t bits = 0;
  if (one_of(norm, kWaitCues)) bits |= kCueWait;
  if (one_of(norm, kFindCues)) bits |= kCueFind;
  if (one_of(norm, kFoodWords)) bits |= kCueFood;
  if (one_of(norm, kRepeatCues)) bits |= kCueRepeat;
  if (one_of(norm, kRussianDurationUnits) || one_of(norm, kEnglishDurationUnits)) bits |= kCueDuration;
  if (norm == "still") bits |= kCueStill;
  if (one_of(norm, kFaultMarkers) || one_of(norm, kOtherFaultMarkers) || one_of(norm, kSummaryWords))
    bits |= kCueMarker;
  if (one_of(norm, kSolvedEnglish) || one_of(norm, kSolvedRussian) || one_of(norm, kSolvedRussianAfter) ||
      one_of(norm, kZero))
    bits |= kCueSolved;
  return bits;
}

/// The bits of the tokens [begin, end) together.
[[nodiscard]] inline std::uint32_t cues_of(const Workspace& ws, std::uint32_t begin, std::uint32_t end) {
  std::uint32_t bits = 0;
  for (std::uint32_t k = begin; k < end; ++k) bits |= ws.cues[k];
  return bits;
}

/// True when the tokens [begin, end) hold a word of every list that `bits` names.
[[nodiscard]] inline bool has_cues(const Workspace& ws, std::uint32_t begin, std::uint32_t end, std::uint32_t bits) {
  return (cues_of(ws, begin, end) & bits) == bits;
}

}  // namespace otklik::sentiment::rules
