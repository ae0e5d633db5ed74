#include "daemon/understanding/spikes.hpp"

#include "daemon/core/plural.hpp"

#include <fmt/format.h>

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

std::string number(double x) {
  if (std::abs(x - std::round(x)) < 0.05) return fmt::format("{}", static_cast<long long>(std::llround(x)));
  return fmt::format("{:.1f}", x);
}

/// "2–3" for a usual level of 2.4, "0–1" for 0.5, "4" for 4.0.
std::string usual_range(double usual) {
  const double lo = std::floor(usual), hi = std::ceil(usual);
  if (lo == hi) return number(lo);
  return fmt::format("{}\u2013{}", number(lo), number(hi));
}

}  // namespace

std::vector<int> baseline_counts(std::span<const std::int64_t> event_ms, std::int64_t now_ms, const SpikeParams& params) {
  const std::int64_t w = std::chrono::duration_cast<std::chrono::milliseconds>(params.window).count();
  if (w <= 0 || params.baseline_weeks <= 0) return {};
  const std::int64_t span = std::int64_t{params.baseline_weeks} * 7 * 24 * 3600 * 1000;
  const std::int64_t n = span / w;
  std::vector<int> counts(static_cast<std::size_t>(std::max<std::int64_t>(n, 0)), 0);
  const std::int64_t end = now_ms - w;  // the baseline ends where the current window begins
  const std::int64_t begin = end - n * w;
  for (std::int64_t t : event_ms) {
    if (t <= begin || t > end) continue;
    const std::int64_t k = (end - t) / w;  // 0 = the window just before the current one
    if (k >= 0 && k < n) counts[static_cast<std::size_t>(k)] += 1;
  }
  return counts;
}

int current_count(std::span<const std::int64_t> event_ms, std::int64_t now_ms, const SpikeParams& params) {
  const std::int64_t w = std::chrono::duration_cast<std::chrono::milliseconds>(params.window).count();
  const auto first = std::upper_bound(event_ms.begin(), event_ms.end(), now_ms - w);
  const auto last = std::upper_bound(event_ms.begin(), event_ms.end(), now_ms);
  return static_cast<int>(std::distance(first, last));
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
  const long long m = d.count();
  if (m % (24 * 60) == 0 && m > 0) {
    const long long n = m / (24 * 60);
    return en ? fmt::format("{} {}", n, n == 1 ? "day" : "days") : fmt::format("{} {}", n, plural_ru(n, "день", "дня", "дней"));
  }
  if (m % 60 == 0 && m > 0) {
    const long long n = m / 60;
    return en ? fmt::format("{} {}", n, n == 1 ? "hour" : "hours")
              : fmt::format("{} {}", n, plural_ru(n, "час", "часа", "часов"));
  }
  return en ? fmt::format("{} {}", m, m == 1 ? "minute" : "minutes")
            : fmt::format("{} {}", m, plural_ru(m, "минуту", "минуты", "минут"));
}

SpikeText spike_started_text(const SpikeVerdict& v, std::string_view brand, std::string_view topic,
                             std::chrono::minutes window, std::string_view locale) {
  SpikeText t;
  const std::string span = duration_words(window, locale);
  const long long times = std::max(2LL, std::llround(v.ratio));
  if (english(locale)) {
    const std::string about = topic.empty() ? std::string() : fmt::format(" about \u201C{}\u201D", topic);
    t.title = brand.empty() ? fmt::format("Spike of negative reviews{}", about)
                            : fmt::format("{}: spike of negative reviews{}", brand, about);
    t.text = fmt::format("{} negative {}{} in {} \u2014 {} times the usual (usually {}).", v.count,
                         v.count == 1 ? "review" : "reviews", about, span, times, usual_range(v.usual));
    return t;
  }
  const std::string about = topic.empty() ? std::string() : fmt::format(" про «{}»", topic);
  t.title = brand.empty() ? fmt::format("Всплеск негатива{}", about) : fmt::format("{}: всплеск негатива{}", brand, about);
  t.text = fmt::format("{} {}{} за {} \u2014 в {} {} больше обычного (обычно {}).", v.count,
                       plural_ru(v.count, "негативный отзыв", "негативных отзыва", "негативных отзывов"), about, span,
                       times, plural_ru(times, "раз", "раза", "раз"), usual_range(v.usual));
  return t;
}

SpikeText spike_ended_text(int peak, int count_now, std::string_view brand, std::string_view topic,
                           std::chrono::minutes lasted, std::chrono::minutes window, std::string_view locale) {
  SpikeText t;
  const std::string span = duration_words(window, locale);
  if (english(locale)) {
    const std::string about = topic.empty() ? std::string() : fmt::format(" about \u201C{}\u201D", topic);
    t.title = brand.empty() ? fmt::format("The spike{} is over", about) : fmt::format("{}: the spike{} is over", brand, about);
    t.text = fmt::format("Now {} negative {} in {}; at the peak {}. It lasted {}.", count_now,
                         count_now == 1 ? "review" : "reviews", span, peak, duration_words(lasted, locale));
    return t;
  }
  const std::string about = topic.empty() ? std::string() : fmt::format(" про «{}»", topic);
  t.title = brand.empty() ? fmt::format("Всплеск негатива{} закончился", about)
                          : fmt::format("{}: всплеск негатива{} закончился", brand, about);
  t.text = fmt::format("Сейчас {} {} за {}, на пике было {}. Всплеск длился {}.", count_now,
                       plural_ru(count_now, "негативный отзыв", "негативных отзыва", "негативных отзывов"), span, peak,
                       duration_words(lasted, locale));
  return t;
}

}  // namespace otklik::understanding
