#pragma once
/// Routing: config rules decide which channels hear of which negative mention. Pure.

#include "daemon/config/config.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/sentiment/scorer.hpp"

#include <string>
#include <vector>

namespace otklik {

/// Severity of a negative item from its score: high at or below -0.6, medium at or below -0.3,
/// low otherwise. (Only negative items alert; their severity picks the routes.)
Severity severity_of(const Sentiment& s) noexcept;

class Router {
 public:
  explicit Router(std::vector<RouteConfig> routes) : routes_(std::move(routes)) {}

  /// The channels whose rules match (source in `sources` or none given, brand in `brands` or none
  /// given, severity >= min_severity), each once, in the order of the rules.
  [[nodiscard]] std::vector<std::string> channels_for(const Mention& m, Severity severity) const;

 private:
  std::vector<RouteConfig> routes_;
};

}  // namespace otklik
