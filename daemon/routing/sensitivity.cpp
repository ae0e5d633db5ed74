#include "daemon/routing/sensitivity.hpp"

namespace otklik {

Label label_at(const Sentiment& s, std::optional<double> negative_threshold) noexcept {
  if (!negative_threshold) return s.label;
  if (s.score <= *negative_threshold) return Label::negative;
  return s.label == Label::negative ? Label::neutral : s.label;
}

}  // namespace otklik
