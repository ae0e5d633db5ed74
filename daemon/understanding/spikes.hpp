#pragma once
/// Spikes of negative volume: is the number of negative mentions in the last window unusual
/// against the same windows over the previous weeks? Pure arithmetic on counts; the store gives
/// the times, the daemon records each spike's start and end once (app/spike_watch.hpp).
///
/// The usual level is robust: the median of the baseline windows (every window of the same
/// length, back to back, over the previous `baseline_weeks` weeks), with the median absolute
/// deviation (MAD) as the spread. A few busy days in the baseline move neither, so one earlier
/// spike does not hide the next. Because most windows of a quiet brand hold zero complaints, the
/// level used for the ratio has a floor: max(median, mean, 0.5).
///
/// A spike starts when all of these hold:
///   count ≥ min_count;  count ≥ min_ratio × usual;  count > median + mad_k × 1.4826 × MAD.
/// It ends when the count falls to end_ratio × the start threshold or below (hysteresis: one
/// complaint more or less near the threshold does not start and end it again).

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otklik::understanding {

/// How spikes are found. Defaults are those of [spikes] in the config.
struct SpikeParams {
  std::chrono::minutes window{180};  ///< the sliding window counted, and the length of each baseline window
  int baseline_weeks = 4;            ///< weeks before the current window that form the usual level
  int min_count = 5;                 ///< fewer negatives in the window are never a spike
  double min_ratio = 3.0;            ///< the count must be at least this many times the usual level
  double mad_k = 3.5;                ///< and more than median + mad_k × 1.4826 × MAD (≈ 3.5 σ for normal noise)
  /// A spike ends when the count falls to end_ratio × the start threshold or below: with the
  /// defaults one that started at 5 ends at 2, so 4-5-4-5 does not start and end it again.
  double end_ratio = 0.5;
};

/// How the current window compares with the usual level, and the numbers a notice shows.
struct SpikeVerdict {
  int count = 0;          ///< negatives in the current window
  double median = 0;      ///< of the baseline windows
  double mad = 0;         ///< median absolute deviation of the baseline windows
  double usual = 0;       ///< the level the ratio is against: max(median, mean, 0.5)
  double ratio = 0;       ///< count / usual
  double threshold = 0;   ///< the count at which a spike starts
  bool above = false;     ///< count reaches the start threshold
  bool below_end = false; ///< count is at or under the end level
  friend bool operator==(const SpikeVerdict&, const SpikeVerdict&) = default;
};

/// What one check changes for a (brand, topic): nothing, a spike begins, or the active one ends.
enum class SpikeChange { none, started, ended };

/// Counts of events in the windows of the baseline: back-to-back windows of `params.window`
/// ending at now − window, going back `baseline_weeks` weeks (at most 65 536 windows); element 0
/// is the window just before the current one, window k holds (now − (k+2)·w, now − (k+1)·w].
/// `event_ms` is sorted ascending (Unix ms: plain arithmetic, no calendar, so no DST).
std::vector<int> baseline_counts(std::span<const std::int64_t> event_ms, std::int64_t now_ms, const SpikeParams& params);

/// Events in (now − window, now]; `event_ms` sorted ascending.
int current_count(std::span<const std::int64_t> event_ms, std::int64_t now_ms, const SpikeParams& params);

/// Negatives counted per minute (minute = Unix ms / 60 000): what the store keeps, so that a check
/// never reads the mentions themselves.
struct MinuteCount {
  std::int64_t minute = 0;
  int count = 0;
  friend bool operator==(const MinuteCount&, const MinuteCount&) = default;
};

/// The minutes a check at `now_ms` reads: the current window and the baseline, [first, last].
std::pair<std::int64_t, std::int64_t> minutes_needed(std::int64_t now_ms, const SpikeParams& params) noexcept;

/// baseline_counts and current_count on counts per minute (ascending minutes): every event
/// counts as happening at the start of its minute, so a window edge is exact to the minute.
std::vector<int> baseline_counts(std::span<const MinuteCount> counts, std::int64_t now_ms, const SpikeParams& params);
int current_count(std::span<const MinuteCount> counts, std::int64_t now_ms, const SpikeParams& params);

/// The verdict for `count` against `baseline`.
SpikeVerdict assess(int count, std::span<const int> baseline, const SpikeParams& params);

/// What changes: a spike starts when none is active and the count is above; an active one ends
/// when the count is at or under the end level.
SpikeChange next(bool active, const SpikeVerdict& v) noexcept;

/// What a spike notice says, in "ru" or "en".
struct SpikeText {
  std::string title;
  std::string text;
};

/// "17 негативных отзывов про «Ожидание и очереди» за 3 часа — в 6 раз больше обычного (обычно
/// 2–3)". `topic` is the topic's name ("" = all topics: no "про …"), `brand` the brand's ("" =
/// none). The ratio is rounded down (never overstated), with one decimal below 2 ("в 1,7 раза");
/// when the usual level is under one a window, no ratio is given ("— обычно 0–1"): a ratio
/// against a floor of 0.5 would be arithmetic, not news.
SpikeText spike_started_text(const SpikeVerdict& v, std::string_view brand, std::string_view topic,
                             std::chrono::minutes window, std::string_view locale);
/// "Всплеск закончился: …" with the peak and how long it lasted.
SpikeText spike_ended_text(int peak, int count_now, std::string_view brand, std::string_view topic,
                           std::chrono::minutes lasted, std::chrono::minutes window, std::string_view locale);

/// A window or duration in words, in the form used after "за" / "in" and "длился" / "lasted":
/// "3 часа", "1 час 30 минут", "1 минуту", "2 дня 5 часов" / "3 hours", "1 hour 30 minutes".
/// Days drop the minutes; durations under one minute read "0 минут".
std::string duration_words(std::chrono::minutes d, std::string_view locale);

}  // namespace otklik::understanding
