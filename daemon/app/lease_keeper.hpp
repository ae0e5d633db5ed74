#pragma once
/// How one instance takes its part of the work when several share a PostgreSQL database, with no
/// coordinator of their own: a round every third of the lease period
///  1. announces this instance (heartbeat) and learns how many are alive;
///  2. renews every lease it holds (what is missing was taken over: an instance paused past its
///     lease finds out here, and its fenced writes were refused meanwhile);
///  3. keeps its fair share of the sources, ceil(sources / live instances): gives up the surplus
///     (never a source being polled) when instances joined, claims free or expired leases when
///     under its share, and takes any lease left expired for a whole round whatever its share, so
///     that no source stays unpolled when the counts disagree for a moment;
///  4. holds or tries to take the leader lease, under which the one-per-deployment tasks run.
/// The first round only announces the instance, so that instances started together see each
/// other before they claim.
///
/// A source runner waits for its lease (wait_for), polls under its fencing number (the store
/// refuses the poll's writes if the lease moved on) and reports a refused write (lost).
///
/// Pure decisions (share, surplus, what to claim) are free functions, tested with tables of cases.

#include "daemon/core/duration.hpp"
#include "daemon/health/metrics.hpp"
#include "daemon/store/store_executor.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <spdlog/logger.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace otklik {

/// The lease name of a source.
std::string source_lease_name(const std::string& source);
/// The lease under which the one-per-deployment tasks run.
inline constexpr const char* kLeaderLease = "leader";

/// ceil(sources / live): how many sources one of `live` instances should poll.
int fair_share(int sources, int live) noexcept;

/// Which held sources to give up when holding more than `share`: the surplus, never one being
/// polled (`busy`), the last in name order first (so that the choice is stable round to round).
std::vector<std::string> surplus(const std::set<std::string>& held, const std::set<std::string>& busy, int share);

struct LeaseKeeperOptions {
  std::string instance;   ///< this instance's id
  Duration ttl{15'000};   ///< lease period; a round every third of it
};

class LeaseKeeper {
 public:
  LeaseKeeper(boost::asio::any_io_executor executor, StoreExecutor& store, LeaseKeeperOptions options,
              health::MetricsRegistry& metrics, std::shared_ptr<spdlog::logger> log);
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  /// The rounds, until cancelled.
  boost::asio::awaitable<void> run();
  /// Gives up every lease of this instance (at stop, after the polls ended), so that the others
  /// take over at once instead of after the lease period.
  boost::asio::awaitable<void> give_up();

  /// The configured sources (set at start and on reload): leases of others are given up.
  void set_sources(std::vector<std::string> sources);
  /// Called with true when this instance becomes the leader, false when it stops being one; at
  /// once with true when it is the leader already. An empty function stops the calls.
  void on_leader(std::function<void(bool)> f);

  /// Waits until this instance holds the lease of `source` and returns its fence; none when the
  /// wait was cancelled (shutdown, reload).
  boost::asio::awaitable<std::optional<LeaseFence>> wait_for(const std::string& source);
  /// The fence of `source`'s lease while this instance holds it.
  [[nodiscard]] std::optional<LeaseFence> fence_of(const std::string& source) const;
  /// A poll of `source` is under way (true) or over (false): a source being polled is never given
  /// up for balance.
  void polling(const std::string& source, bool on);
  /// A write under `fence` was refused (the lease moved on): forget the lease now.
  void lost(const LeaseFence& fence);

  [[nodiscard]] bool leader() const noexcept { return leader_; }
  [[nodiscard]] std::size_t held() const noexcept { return held_.size(); }
  /// Whether the database answered a round within the last lease period: false while it is
  /// unreachable, or so slow that a round takes longer (readiness).
  [[nodiscard]] bool healthy() const noexcept {
    return healthy_ && std::chrono::steady_clock::now() - last_ok_ < options_.ttl;
  }

 private:
  struct Held {
    std::int64_t fence = 0;
    bool polling = false;
  };
  struct RoundResult;

  /// One round against the store (a store job): heartbeat, renew, balance, claim.
  boost::asio::awaitable<void> round(bool first);
  void apply(const RoundResult& r);
  void set_leader(bool on);
  void wake(const std::string& source);
  void forget(const std::string& source, const char* why);

  boost::asio::any_io_executor executor_;
  StoreAccess<LeaseStore> store_;
  LeaseKeeperOptions options_;
  std::string incarnation_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<std::string> sources_;   ///< configured source names
  bool ensured_ = false;               ///< their lease rows exist
  std::map<std::string, Held> held_;   ///< source name → held lease
  bool leader_ = false;
  bool healthy_ = false;
  std::chrono::steady_clock::time_point last_ok_{};  ///< when a round last succeeded
  bool down_ = false;            ///< the last round failed (reported once)
  bool clash_reported_ = false;
  bool stopped_ = false;         ///< give_up() ran: no more rounds
  std::uint64_t beats_ = 0;
  std::function<void(bool)> on_leader_;
  /// Runners waiting for their source's lease: a timer each, cancelled when it is claimed.
  std::multimap<std::string, boost::asio::steady_timer*> waiting_;

  health::Gauge& held_gauge_;
  health::Gauge& leader_gauge_;
  health::Gauge& live_gauge_;
  health::Counter& taken_;
  health::Counter& lost_;
  health::Counter& given_up_;
  health::Counter& round_failures_;
  health::Histogram& round_seconds_;
};

}  // namespace otklik
