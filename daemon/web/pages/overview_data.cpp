#include "daemon/web/pages/overview_data.hpp"

#include "daemon/web/pages/format.hpp"
#include "daemon/web/pages/views.hpp"

#include <algorithm>
#include <map>

namespace otklik::web {

namespace {

/// Rows of `hours` (brand rows, or topic rows by topic) summed into `out`'s buckets.
void fill(NegativesPerDay& out, const std::vector<HourCount>& hours, const TimeZone& zone, bool by_topic,
          std::size_t max_series, const std::string& others_name) {
  std::map<std::string, BrandDays> by_key;
  for (const auto& h : hours) {
    if (h.topic.empty() == by_topic || h.n <= 0) continue;
    const std::int64_t day = local_day(h.hour, zone);
    if (day < out.first_day) continue;
    const std::int64_t index = (day - out.first_day) / out.step_days;
    if (index >= out.days) continue;
    const std::string& key = by_topic ? h.topic : h.brand;
    auto& b = by_key[key];
    if (b.per_day.empty()) b.brand = key, b.per_day.assign(static_cast<std::size_t>(out.days), 0);
    b.per_day[static_cast<std::size_t>(index)] += h.n;
    b.total += h.n;
  }
  for (auto& [name, b] : by_key) out.brands.push_back(std::move(b));
  std::stable_sort(out.brands.begin(), out.brands.end(),
                   [](const BrandDays& a, const BrandDays& b) { return a.total > b.total; });
  if (max_series > 0 && out.brands.size() > max_series) {
    BrandDays others{others_name, std::vector<std::int64_t>(static_cast<std::size_t>(out.days), 0), 0};
    for (std::size_t i = max_series; i < out.brands.size(); ++i) {
      for (std::size_t d = 0; d < others.per_day.size(); ++d) others.per_day[d] += out.brands[i].per_day[d];
      others.total += out.brands[i].total;
    }
    out.brands.resize(max_series);
    out.brands.push_back(std::move(others));
  }
}

/// The `days` local days ending with the day of `now`, brand or topic rows.
NegativesPerDay per_day(const std::vector<HourCount>& hours, TimePoint now, const TimeZone& zone, int days,
                        bool by_topic, std::size_t max_series, const std::string& others_name) {
  NegativesPerDay out;
  out.days = std::max(days, 1);
  out.first_day = local_day(now, zone) - out.days + 1;
  fill(out, hours, zone, by_topic, max_series, others_name);
  return out;
}

}  // namespace

NegativesPerDay negatives_per_day(const std::vector<HourCount>& hours, TimePoint now, const TimeZone& zone, int days,
                                  std::size_t max_brands, const std::string& others_name) {
  return per_day(hours, now, zone, days, false, max_brands, others_name);
}

NegativesPerDay negatives_per_week(const std::vector<HourCount>& hours, TimePoint now, const TimeZone& zone, int weeks,
                                   std::size_t max_brands, const std::string& others_name) {
  NegativesPerDay out;
  out.days = std::max(weeks, 1);
  out.step_days = 7;
  const std::int64_t today = local_day(now, zone);
  const std::int64_t monday = today - ((today % 7 + 7 + 3) % 7);  // day 0, 1970-01-01, was a Thursday
  out.first_day = monday - 7 * (out.days - 1);
  fill(out, hours, zone, false, max_brands, others_name);
  return out;
}

NegativesPerDay topics_per_day(const std::vector<HourCount>& hours, TimePoint now, const TimeZone& zone, int days,
                               std::size_t max_topics, const std::string& others_name) {
  return per_day(hours, now, zone, days, true, max_topics, others_name);
}

std::vector<TopicTotal> top_topics(const std::vector<HourCount>& hours, TimePoint now, const TimeZone& zone, int days,
                                   std::size_t limit) {
  const std::int64_t last = local_day(now, zone), first = last - std::max(days, 1) + 1;
  std::map<std::string, std::int64_t> sums;
  for (const auto& h : hours) {
    if (h.topic.empty() || h.n <= 0) continue;
    const std::int64_t day = local_day(h.hour, zone);
    if (day < first || day > last) continue;
    sums[h.topic] += h.n;
  }
  std::vector<TopicTotal> out;
  for (const auto& [topic, n] : sums) out.push_back({topic, n});
  std::stable_sort(out.begin(), out.end(), [](const TopicTotal& a, const TopicTotal& b) { return a.n > b.n; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

DurationFigures summarise_durations(std::vector<Duration> values) {
  DurationFigures out;
  out.count = static_cast<std::int64_t>(values.size());
  if (values.empty()) return out;
  std::sort(values.begin(), values.end());
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  auto rank = [&](int percent) {
    const std::size_t k = (values.size() * static_cast<std::size_t>(percent) + 99) / 100;
    return values[std::max<std::size_t>(k, 1) - 1];
  };
  out.median = rank(50);
  out.p90 = rank(90);
  return out;
}

}  // namespace otklik::web
