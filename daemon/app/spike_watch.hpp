#pragma once
/// Spikes of negative volume per brand and topic (understanding/spikes.hpp decides; this class
/// reads the per-minute counts the store keeps and records each spike's start and end exactly
/// once, with a notice to the team). The pairs that got new negatives are checked soon after
/// the poll that brought them (polls close together share one check), and every
/// [spikes].check_interval the active spikes are, so that an end is seen when nothing new
/// arrives. A check reads the counts of the window and the baseline weeks: its cost does not grow
/// with the history.

#include "daemon/config/config.hpp"
#include "daemon/routing/router.hpp"
#include "daemon/store/store_executor.hpp"
#include "daemon/understanding/topics.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <spdlog/logger.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
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
  int baselines_read = 0;  ///< (brand, topic) pairs whose baseline weeks were read (not kept ones)
  std::vector<std::string> errors;
};

class SpikeWatch {
 public:
  /// Called with true when a spike starts, false when one ends (metrics, waking dispatchers).
  using Observer = std::function<void(bool started)>;

  using Keys = std::set<std::pair<std::string, std::string>>;

  SpikeWatch(boost::asio::any_io_executor executor, StoreExecutor& store, const Config& config, const Router& router,
             std::shared_ptr<const understanding::Taxonomy> topics, std::shared_ptr<spdlog::logger> log);

  /// Called on the I/O thread after a pass that started or ended spikes.
  void on_change(Observer f) { observer_ = std::move(f); }

  /// Notes (brand, topic) pairs with new negatives (I/O thread) and wakes the spike task; the next
  /// pass assesses them.
  void touched(const Keys& keys);
  /// What the spike task sleeps on between passes.
  [[nodiscard]] boost::asio::steady_timer& wake() noexcept { return wake_; }
  /// Several instances share the database: each pass also looks at the pairs that got negatives
  /// since the last one in the store (other instances' polls), and passes run every `settle`.
  void share_with_instances(bool on) noexcept { shared_ = on; }
  [[nodiscard]] bool shared() const noexcept { return shared_; }
  /// Whether pairs wait for a pass.
  [[nodiscard]] bool pending() const noexcept { return !touched_.empty(); }
  /// A pass over the touched pairs and every active spike at `now`, as a store job.
  boost::asio::awaitable<SpikePass> check_touched(TimePoint now);

  /// Assesses each (brand, topic) pair (topic "" = all topics) and every active spike at `now`,
  /// on the spikes role (call it where the role may be used: a store job, a test).
  SpikePass check(SpikeStore& store, const Keys& keys, TimePoint now);

  /// The channels a spike of `brand` is told to: [spikes].channels, or those routed for the
  /// brand's sources at high severity (when none is: those routed for any source).
  [[nodiscard]] std::vector<std::string> channels_for(const std::string& brand) const;

 private:
  StoreExecutor& store_;
  const Config& config_;
  const Router& router_;
  std::shared_ptr<const understanding::Taxonomy> topics_;
  std::shared_ptr<spdlog::logger> log_;
  Observer observer_;
  Keys touched_;
  bool shared_ = false;
  std::optional<std::int64_t> last_minute_;  ///< shared: the minute of the last successful pass
  /// The baseline windows of each (brand, topic) as last read, and when (touched only by check()).
  struct Baseline {
    std::vector<int> windows;
    TimePoint computed{};
  };
  static constexpr Duration kBaselineTtl = std::chrono::minutes(30);
  std::map<std::pair<std::string, std::string>, Baseline> baselines_;
  boost::asio::steady_timer wake_;
};

/// The spike task: a pass soon after pairs were touched (at most one every `settle`, so that a
/// round of polls shares one), and every `interval` for the active spikes, until cancelled.
boost::asio::awaitable<void> run_spike_checks(SpikeWatch& watch, Duration interval, Duration settle, const Clock& clock);

}  // namespace otklik
