#pragma once
/// Spikes of negative volume per brand and topic (understanding/spikes.hpp decides; this class
/// reads the counts from the store and records each spike's start and end exactly once, with a
/// notice to the team). Checked after each poll for the (brand, topic) pairs that got new
/// negatives, and every [spikes].check_interval for the active spikes, so that an end is seen
/// when nothing new arrives.

#include "daemon/config/config.hpp"
#include "daemon/routing/router.hpp"
#include "daemon/store/store.hpp"
#include "daemon/understanding/topics.hpp"

#include <boost/asio/awaitable.hpp>

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace otklik {

class Clock;

/// What a pass did (for tests and logs).
struct SpikePass {
  int started = 0;
  int ended = 0;
  std::vector<std::string> errors;
};

class SpikeWatch {
 public:
  /// Called with true when a spike starts, false when one ends (metrics, waking dispatchers).
  using Observer = std::function<void(bool started)>;

  SpikeWatch(Store& store, const Config& config, const Router& router,
             std::shared_ptr<const understanding::Taxonomy> topics, std::shared_ptr<spdlog::logger> log);

  void on_change(Observer f) { observer_ = std::move(f); }

  /// Assesses each (brand, topic) pair (topic "" = all topics) and every active spike at `now`.
  SpikePass check(const std::set<std::pair<std::string, std::string>>& keys, TimePoint now);

  /// The channels a spike of `brand` is told to: [spikes].channels, or those routed for the
  /// brand's sources at high severity (when none is: those routed for any source).
  [[nodiscard]] std::vector<std::string> channels_for(const std::string& brand) const;

 private:
  Store& store_;
  const Config& config_;
  const Router& router_;
  std::shared_ptr<const understanding::Taxonomy> topics_;
  std::shared_ptr<spdlog::logger> log_;
  Observer observer_;
};

/// The periodic pass: every [spikes].check_interval until cancelled.
boost::asio::awaitable<void> run_spike_checks(SpikeWatch& watch, Duration interval, const Clock& clock);

}  // namespace otklik
