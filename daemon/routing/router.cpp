#include "daemon/routing/router.hpp"

#include <algorithm>

namespace otklik {

Severity severity_of(const Sentiment& s) noexcept {
  if (s.score <= -0.6) return Severity::high;
  if (s.score <= -0.3) return Severity::medium;
  return Severity::low;
}

namespace {

bool matches(const std::vector<std::string>& allowed, const std::string& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

}  // namespace

std::vector<std::string> Router::channels_for(const Mention& m, Severity severity) const {
  std::vector<std::string> out;
  for (const auto& r : routes_) {
    if (!matches(r.sources, m.source) || !matches(r.brands, m.brand)) continue;
    if (static_cast<int>(severity) < static_cast<int>(r.min_severity)) continue;
    if (std::find(out.begin(), out.end(), r.channel) == out.end()) out.push_back(r.channel);
  }
  return out;
}

}  // namespace otklik
