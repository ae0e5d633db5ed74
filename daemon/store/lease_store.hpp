#pragma once
/// The leases role: how several instances on one database share the work without a coordinator
/// of their own. A lease is a named row (a source: "source:NAME"; the one-per-deployment tasks:
/// "leader") held by one instance until it expires; every claim raises the lease's fencing
/// number, and a write made under a lease (a poll's mentions and state) is committed only while
/// the lease still carries the holder and number it was claimed with, so an instance paused past
/// its lease cannot write stale results or alert twice. Instances announce themselves with a
/// heartbeat, so that each knows how many share the work.

#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/store/lease_fence.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace otklik {

/// A lease held, with the fencing number of its claim.
struct HeldLease {
  std::string name;
  std::int64_t fence = 0;
  friend bool operator==(const HeldLease&, const HeldLease&) = default;
};

/// What a heartbeat learnt.
struct Heartbeat {
  int live = 1;              ///< instances seen within the liveness window, this one included
  /// Another process wrote this instance id's heartbeat since our last one (two processes
  /// configured with the same id): they would share one set of leases.
  bool id_clash = false;
};

class LeaseStore {
 public:
  virtual ~LeaseStore() = default;
  /// Records that `instance` (this process: `incarnation`, unique per start) is alive at `now`;
  /// counts the instances seen since `now - live_within`. Rows of instances not seen for ten
  /// windows are removed.
  virtual Result<Heartbeat> heartbeat(const std::string& instance, const std::string& incarnation, TimePoint now,
                                      Duration live_within) = 0;
  /// Makes sure a lease row exists for each of `names` (free, fence 0, for a name never leased).
  virtual Result<void> ensure_leases(const std::vector<std::string>& names) = 0;
  /// Extends every lease `holder` holds to `until`; returns them (what is missing was claimed by
  /// another instance or released).
  virtual Result<std::vector<HeldLease>> renew_leases(const std::string& holder, TimePoint until) = 0;
  /// Claims for `holder`, until `until`, at most `limit` of `names` that are free since
  /// `expired_by` or earlier: expired then, or released then (a release ends the lease at its
  /// time). A name without a row (never ensured) is not claimable. Each claim raises the lease's fencing number. Leases
  /// another instance is claiming or writing under at this moment are skipped, not waited for.
  virtual Result<std::vector<HeldLease>> claim_leases(const std::string& holder, const std::vector<std::string>& names,
                                                      int limit, TimePoint expired_by, TimePoint until) = 0;
  /// Gives up `names` if `holder` holds them: they end at `now` (another instance may claim them
  /// at once).
  virtual Result<void> release_leases(const std::string& holder, const std::vector<std::string>& names,
                                      TimePoint now) = 0;
  /// Gives up every lease of `holder`, ending at `now` (an instance stopping, or starting again
  /// under the same id: what its previous run held is free at once rather than when it expires).
  virtual Result<void> release_holder(const std::string& holder, TimePoint now) = 0;
  /// Whether `fence` still holds (the check a fenced write makes, exposed for tests and tools).
  virtual Result<bool> fence_holds(const LeaseFence& fence) = 0;
};

}  // namespace otklik
