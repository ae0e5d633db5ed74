#include "daemon/understanding/spikes.hpp"

#include "daemon/core/plural.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace otklik::understanding {
namespace {

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  double m = v[mid];
  if (v.size() % 2 == 0) {
    const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
    m = (m + lower) / 2;
  }
  return m;
}

bool english(std::string_view locale) { return locale.substr(0, 2) == "en"; }

constexpr std::int64_t kMaxWindows = 65536;  // 26 weeks of 10-minute windows is 26 208

std::int64_t window_ms(const SpikeParams& p) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(p.window).count();
}

/// "2–3" for a usual level of 2.4, "0–1" for 0.5, "4" for 4.0.
std::string usual_range(double usual) {
  const auto lo = static_cast<long long>(std::floor(usual));
  const auto hi = static_cast<long long>(std::ceil(usual));
  if (lo == hi) return fmt::format("{}", lo);
  return fmt::format("{}\u2013{}", lo, hi);
}

/// "в 6 раз" / "6 times": rounded down; one decimal under 2 ("в 1,7 раза", "1.7 times").
std::string times_words(double ratio, bool en) {
  if (ratio < 2) {
    const double tenths = std::floor(ratio * 10 + 1e-9) / 10;
    std::string n = fmt::format("{:.1f}", tenths);
    if (!en) std::replace(n.begin(), n.end(), '.', ',');
    return en ? n + " times" : "в " + n + " раза";  // a fraction takes «раза»
  }
  const auto n = static_cast<long long>(std::floor(ratio + 1e-9));
  return en ? fmt::format("{} times", n) : fmt::format("в {} {}", n, plural_ru(n, "раз", "раза", "раз"));
}

std::string negatives(long long n, bool en) {
  if (en) return fmt::format("{} negative {}", n, n == 1 ? "review" : "reviews");
  return fmt::format("{} {}", n, plural_ru(n, "негативный отзыв", "негативных отзыва", "негативных отзывов"));
}

std::string unit(long long n, bool en, const char* en_one, const char* en_many, std::string_view one,
                 std::string_view few, std::string_view many) {
  if (en) return fmt::format("{} {}", n, n == 1 ? en_one : en_many);
  return fmt::format("{} {}", n, plural_ru(n, one, few, many));
}

}  // namespace

std::vector<int> baseline_counts(std::span<const std::int64_t> event_ms, std::int64_t now_ms, const SpikeParams& params) {
  const std::int64_t w = window_ms(params);
  if (w <= 0 || params.baseline_weeks <= 0) return {};
  const std::int64_t span = std::int64_t{params.baseline_weeks} * 7 * 24 * 3600 * 1000;
  const std::int64_t n = std::min(span / w, kMaxWindows);
  std::vector<int> counts(static_cast<std::size_t>(std::max<std::int64_t>(n, 0)), 0);
  const std::int64_t end = now_ms - w;  // the baseline ends where the current window begins
  const std::int64_t begin = end - n * w;
  // Only the events in (begin, end]: the input is sorted.
  auto it = std::upper_bound(event_ms.begin(), event_ms.end(), begin);
  const auto last = std::upper_bound(it, event_ms.end(), end);
  for (; it != last; ++it) {
    const std::int64_t k = (end - *it) / w;  // 0 = the window just before the current one
    if (k >= 0 && k < n) counts[static_cast<std::size_t>(k)] += 1;
  }
  return counts;
}

int current_count(std::span<const std::int64_t> event_ms, std::int64_t now_ms, const SpikeParams& params) {
  const std::int64_t w = window_ms(params);
  if (w <= 0) return 0;
  const auto first = std::upper_bound(event_ms.begin(), event_ms.end(), now_ms - w);
  const auto last = std::upper_bound(first, event_ms.end(), now_ms);
  return static_cast<int>(std::distance(first, last));
}

std::pair<std::int64_t, std::int64_t> minutes_needed(std::int64_t now_ms, const SpikeParams& params) noexcept {
  const std::int64_t w = window_ms(params);
  const std::int64_t weeks = std::max(params.baseline_weeks, 0);
  const std::int64_t span = weeks * 7 * 24 * 3600 * 1000;
  const std::int64_t n = w > 0 ? std::min(span / w, kMaxWindows) : 0;
  const std::int64_t begin = now_ms - w - n * w;  // the oldest instant any window holds (exclusive)
  auto minute_of = [](std::int64_t ms) { return ms >= 0 ? ms / 60000 : (ms - 59999) / 60000; };
  return {minute_of(begin), minute_of(now_ms)};
}

std::vector<int> baseline_counts(std::span<const MinuteCount> counts, std::int64_t now_ms, const SpikeParams& params) {
  const std::int64_t w = window_ms(params);
  if (w <= 0 || params.baseline_weeks <= 0) return {};
  const std::int64_t span = std::int64_t{params.baseline_weeks} * 7 * 24 * 3600 * 1000;
  const std::int64_t n = std::min(span / w, kMaxWindows);
  std::vector<int> out(static_cast<std::size_t>(std::max<std::int64_t>(n, 0)), 0);
  const std::int64_t end = now_ms - w;
  const std::int64_t begin = end - n * w;
  for (const MinuteCount& c : counts) {
    const std::int64_t t = c.minute * 60000;
    if (t <= begin || t > end) continue;
    const std::int64_t k = (end - t) / w;
    if (k >= 0 && k < n) out[static_cast<std::size_t>(k)] += c.count;
  }
  return out;
}

int current_count(std::span<const MinuteCount> counts, std::int64_t now_ms, const SpikeParams& params) {
  const std::int64_t w = window_ms(params);
  if (w <= 0) return 0;
  int total = 0;
  for (const MinuteCount& c : counts) {
    const std::int64_t t = c.minute * 60000;
    if (t > now_ms - w && t <= now_ms) total += c.count;
  }
  return total;
}

SpikeVerdict assess(int count, std::span<const int> baseline, const SpikeParams& params) {
  SpikeVerdict v;
  v.count = count;
  std::vector<double> b(baseline.begin(), baseline.end());
  const double mean = b.empty() ? 0.0 : std::accumulate(b.begin(), b.end(), 0.0) / static_cast<double>(b.size());
  v.median = median_of(b);
  std::vector<double> dev;
  dev.reserve(b.size());
  for (double x : b) dev.push_back(std::abs(x - v.median));
  v.mad = median_of(std::move(dev));
  // The floor: a quiet brand's baseline is all zeros, and five complaints are not "infinitely"
  // many; the mean lifts the level when a minority of busy windows leaves the median at zero.
  v.usual = std::max({v.median, mean, 0.5});
  v.ratio = static_cast<double>(count) / v.usual;
  // The smallest whole count that passes all three tests.
  const double by_spread = std::floor(v.median + params.mad_k * 1.4826 * v.mad) + 1;
  const double by_ratio = std::ceil(params.min_ratio * v.usual - 1e-9);
  v.threshold = std::max({static_cast<double>(params.min_count), by_ratio, by_spread});
  v.above = count >= v.threshold;
  v.below_end = count <= params.end_ratio * v.threshold;
  return v;
}

SpikeChange next(bool active, const SpikeVerdict& v) noexcept {
  if (!active) return v.above ? SpikeChange::started : SpikeChange::none;
  return v.below_end ? SpikeChange::ended : SpikeChange::none;
}

std::string duration_words(std::chrono::minutes d, std::string_view locale) {
  const bool en = english(locale);
  const long long m = std::max<long long>(d.count(), 0);
  const long long days = m / (24 * 60), hours = m % (24 * 60) / 60, minutes = m % 60;
  std::vector<std::string> parts;
  if (days > 0) parts.push_back(unit(days, en, "day", "days", "день", "дня", "дней"));
  if (hours > 0) parts.push_back(unit(hours, en, "hour", "hours", "час", "часа", "часов"));
  if (days == 0 && (minutes > 0 || parts.empty()))
    parts.push_back(unit(minutes, en, "minute", "minutes", "минуту", "минуты", "минут"));
  return fmt::format("{}", fmt::join(parts, " "));
}

SpikeText spike_started_text(const SpikeVerdict& v, std::string_view brand, std::string_view topic,
                             std::chrono::minutes window, std::string_view locale) {
  SpikeText t;
  const bool en = english(locale);
  const std::string span = duration_words(window, locale);
  // Under one a window the ratio is against the floor, not against anything customers did.
  const bool with_ratio = v.usual >= 1;
  if (en) {
    const std::string about = topic.empty() ? std::string() : fmt::format(" about \u201C{}\u201D", topic);
    t.title = brand.empty() ? fmt::format("Spike of negative reviews{}", about)
                            : fmt::format("{}: spike of negative reviews{}", brand, about);
    t.text = with_ratio ? fmt::format("{}{} in {} \u2014 {} the usual (usually {}).", negatives(v.count, en), about,
                                      span, times_words(v.ratio, en), usual_range(v.usual))
                        : fmt::format("{}{} in {} \u2014 usually {}.", negatives(v.count, en), about, span,
                                      usual_range(v.usual));
    return t;
  }
  const std::string about = topic.empty() ? std::string() : fmt::format(" про «{}»", topic);
  t.title = brand.empty() ? fmt::format("Всплеск негатива{}", about) : fmt::format("{}: всплеск негатива{}", brand, about);
  t.text = with_ratio ? fmt::format("{}{} за {} \u2014 {} больше обычного (обычно {}).", negatives(v.count, en), about,
                                    span, times_words(v.ratio, en), usual_range(v.usual))
                      : fmt::format("{}{} за {} \u2014 обычно {}.", negatives(v.count, en), about, span,
                                    usual_range(v.usual));
  return t;
}

SpikeText spike_ended_text(int peak, int count_now, std::string_view brand, std::string_view topic,
                           std::chrono::minutes lasted, std::chrono::minutes window, std::string_view locale) {
  SpikeText t;
  const std::string span = duration_words(window, locale);
  if (english(locale)) {
    const std::string about = topic.empty() ? std::string() : fmt::format(" about \u201C{}\u201D", topic);
    t.title = brand.empty() ? fmt::format("The spike{} is over", about) : fmt::format("{}: the spike{} is over", brand, about);
    t.text = fmt::format("Now {} in {}; at the peak {}. It lasted {}.", negatives(count_now, true), span, peak,
                         duration_words(lasted, locale));
    return t;
  }
  const std::string about = topic.empty() ? std::string() : fmt::format(" про «{}»", topic);
  t.title = brand.empty() ? fmt::format("Всплеск негатива{} закончился", about)
                          : fmt::format("{}: всплеск негатива{} закончился", brand, about);
  t.text = fmt::format("Сейчас {} за {}, на пике было {}. Всплеск длился {}.", negatives(count_now, false), span, peak,
                       duration_words(lasted, locale));
  return t;
}

}  // namespace otklik::understanding
