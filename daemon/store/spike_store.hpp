#pragma once
/// The spikes role: negative mentions counted per brand, topic and minute (kept up to date by
/// every ingest, so a check never reads the mentions themselves), and each spike recorded once.

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/store/alert_request.hpp"
#include "daemon/understanding/spikes.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace otklik {

/// A spike of negative volume (understanding/spikes.hpp) as the store keeps it.
struct SpikeRecord {
  std::int64_t id = 0;
  std::string brand;                  ///< "" for mentions without a brand
  std::string topic;                  ///< "" for all topics
  TimePoint started{};
  std::optional<TimePoint> ended;
  int start_count = 0;
  int peak_count = 0;
  double usual = 0;
};

/// Negatives that happened in one minute (minute = event_time / 60 s since the epoch).
using understanding::MinuteCount;

class SpikeStore {
 public:
  virtual ~SpikeStore() = default;
  /// Negative mentions of `brand` (and `topic`; "" = any topic) per minute, for the minutes in
  /// [from_minute, to_minute], ascending. Reads the counts kept by ingest: the cost is bounded by
  /// the number of minutes, whatever the history's size.
  virtual Result<std::vector<MinuteCount>> negative_counts(const std::string& brand, const std::string& topic,
                                                           std::int64_t from_minute, std::int64_t to_minute) = 0;
  /// The (brand, topic) pairs with negatives counted in a minute at or after `from_minute`
  /// (topic "" included): what a spike pass must look at when the polls that brought them ran on
  /// other instances.
  virtual Result<std::vector<std::pair<std::string, std::string>>> pairs_since(std::int64_t from_minute) = 0;
  /// Spikes not ended yet.
  virtual Result<std::vector<SpikeRecord>> active_spikes() = 0;
  /// Exactly once per spike: in one transaction, if no spike of (brand, topic) is active, records
  /// `spike` as active and queues `notices`. Returns false when one is already active.
  virtual Result<bool> start_spike(const SpikeRecord& spike, const std::vector<AlertRequest>& notices, TimePoint now) = 0;
  /// Raises the recorded peak of an active spike.
  virtual Result<void> update_spike_peak(std::int64_t id, int peak) = 0;
  /// Exactly once: ends the active spike `id` and queues `notices`; false when it already ended.
  virtual Result<bool> end_spike(std::int64_t id, const std::vector<AlertRequest>& notices, TimePoint now) = 0;
};

}  // namespace otklik
