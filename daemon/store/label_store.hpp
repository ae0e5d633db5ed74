#pragma once
/// The labels role: the team's corrections of the scorer ("not negative", "this is negative") on
/// any mention, with who and when. The scorer's own label stays as it was; the latest correction
/// is shown beside it and exported by `otklik feedback export` with the dismissed cases.

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/lifecycle/case.hpp"
#include "daemon/sentiment/scorer.hpp"

#include <cstdint>
#include <vector>

namespace otklik {

struct Relabel {
  std::int64_t mention_id = 0;
  Label label = Label::neutral;        ///< what the team says the mention is
  Actor by;
  TimePoint at{};
  friend bool operator==(const Relabel&, const Relabel&) = default;
};

class LabelStore {
 public:
  virtual ~LabelStore() = default;
  /// Records a correction. Fails with errc::not_found when the mention is not stored.
  virtual Result<void> relabel(const Relabel& r) = 0;
  /// The corrections of one mention, newest first.
  virtual Result<std::vector<Relabel>> relabels(std::int64_t mention_id) = 0;
};

}  // namespace otklik
