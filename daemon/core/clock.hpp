#pragma once
/// An injectable clock: pure code takes `now` as an argument; code that must read time takes a Clock&.

#include "daemon/core/mention.hpp"

#include <atomic>

namespace otklik {

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual TimePoint now() const = 0;
};

/// The wall clock.
class SystemClockSource final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override { return SystemClock::now(); }
};

/// A clock tests move by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint{}) : now_(start.time_since_epoch().count()) {}
  [[nodiscard]] TimePoint now() const override { return TimePoint{TimePoint::duration{now_.load()}}; }
  void set(TimePoint t) { now_ = t.time_since_epoch().count(); }
  template <class D>
  void advance(D d) {
    now_ += std::chrono::duration_cast<TimePoint::duration>(d).count();
  }

 private:
  std::atomic<TimePoint::rep> now_;
};

}  // namespace otklik
