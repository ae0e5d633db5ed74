#pragma once
/// The overview's numbers from the store's hourly counts (pure): negatives per local day and per
/// local week by brand, per local day by topic, and the top topics of the last days.

#include "daemon/core/time_zone.hpp"
#include "daemon/store/inbox_store.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace otklik::web {

/// Negatives of one series (a brand; a topic id in topics_per_day) in each bucket of a run of
/// local days or weeks.
struct BrandDays {
  std::string brand;
  std::vector<std::int64_t> per_day;   ///< one value per bucket, oldest first
  std::int64_t total = 0;
};

struct NegativesPerDay {
  std::int64_t first_day = 0;          ///< local day number (days since 1970-01-01) of per_day[0]
  int days = 0;                        ///< buckets
  int step_days = 1;                   ///< days per bucket: 1, or 7 (local weeks from Monday)
  std::vector<BrandDays> brands;       ///< most negatives first, then by name
};

/// Rows with topic "" of `hours` grouped into the `days` local days ending with the day of `now`
/// (hours outside are ignored). At most `max_brands` series: the rest are summed into one more
/// named `others_name`.
NegativesPerDay negatives_per_day(const std::vector<HourCount>& hours, TimePoint now, const TimeZone& zone, int days,
                                  std::size_t max_brands, const std::string& others_name);

/// Rows with topic "" of `hours` grouped into the `weeks` local weeks (Monday to Sunday) ending
/// with the week of `now`; brands beyond `max_brands` summed as `others_name`.
NegativesPerDay negatives_per_week(const std::vector<HourCount>& hours, TimePoint now, const TimeZone& zone, int weeks,
                                   std::size_t max_brands, const std::string& others_name);

/// Rows with a topic, summed over brands, grouped into the `days` local days ending with the day
/// of `now`, one series per topic id (in `brand`); topics beyond `max_topics` summed as
/// `others_name`.
NegativesPerDay topics_per_day(const std::vector<HourCount>& hours, TimePoint now, const TimeZone& zone, int days,
                               std::size_t max_topics, const std::string& others_name);

struct TopicTotal {
  std::string topic;
  std::int64_t n = 0;
};

/// Rows with a topic in the `days` local days ending with the day of `now`, summed over brands,
/// most first (then by id), at most `limit`.
std::vector<TopicTotal> top_topics(const std::vector<HourCount>& hours, TimePoint now, const TimeZone& zone, int days,
                                   std::size_t limit);

}  // namespace otklik::web
