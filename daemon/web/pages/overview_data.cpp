#include "daemon/web/pages/overview_data.hpp"

#include "daemon/web/pages/format.hpp"
#include "daemon/web/pages/views.hpp"

#include <algorithm>
#include <map>

namespace otklik::web {

NegativesPerDay negatives_per_day(const std::vector<HourCount>& hours, TimePoint now, const TimeZone& zone, int days,
                                  std::size_t max_brands, const std::string& others_name) {
  NegativesPerDay out;
  out.days = std::max(days, 1);
  out.first_day = local_day(now, zone) - out.days + 1;
  std::map<std::string, BrandDays> by_brand;
  for (const auto& h : hours) {
    if (!h.topic.empty() || h.n <= 0) continue;
    const std::int64_t index = local_day(h.hour, zone) - out.first_day;
    if (index < 0 || index >= out.days) continue;
    auto& b = by_brand[h.brand];
    if (b.per_day.empty()) b.brand = h.brand, b.per_day.assign(static_cast<std::size_t>(out.days), 0);
    b.per_day[static_cast<std::size_t>(index)] += h.n;
    b.total += h.n;
  }
  for (auto& [name, b] : by_brand) out.brands.push_back(std::move(b));
  std::stable_sort(out.brands.begin(), out.brands.end(),
                   [](const BrandDays& a, const BrandDays& b) { return a.total > b.total; });
  if (max_brands > 0 && out.brands.size() > max_brands) {
    BrandDays others{others_name, std::vector<std::int64_t>(static_cast<std::size_t>(out.days), 0), 0};
    for (std::size_t i = max_brands; i < out.brands.size(); ++i) {
      for (std::size_t d = 0; d < others.per_day.size(); ++d) others.per_day[d] += out.brands[i].per_day[d];
      others.total += out.brands[i].total;
    }
    out.brands.resize(max_brands);
    out.brands.push_back(std::move(others));
  }
  return out;
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
