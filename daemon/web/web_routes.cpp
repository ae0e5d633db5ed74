#include "daemon/web/web_routes.hpp"

namespace otklik::web {

namespace {

std::variant<RouteMatch, RouteMiss> pick(const std::map<std::string, WebHandler, std::less<>>& methods,
                                         std::string_view method, std::string rest) {
  auto it = methods.find(method);
  if (it == methods.end() && method == "HEAD") it = methods.find("GET");
  if (it != methods.end()) return RouteMatch{&it->second, std::move(rest)};
  RouteMiss miss{405, {}};
  for (const auto& [m, h] : methods) {
    if (!miss.allow.empty()) miss.allow += ", ";
    miss.allow += m;
    if (m == "GET" && !methods.contains("HEAD")) miss.allow += ", HEAD";
  }
  return miss;
}

}  // namespace

void RouteTable::add(std::string method, std::string path, WebHandler handler) {
  exact_[std::move(path)][std::move(method)] = std::move(handler);
}

void RouteTable::add_prefix(std::string method, std::string prefix, WebHandler handler) {
  prefixes_[std::move(prefix)][std::move(method)] = std::move(handler);
}

std::variant<RouteMatch, RouteMiss> RouteTable::find(std::string_view method, std::string_view path) const {
  if (const auto it = exact_.find(path); it != exact_.end()) return pick(it->second, method, {});
  const std::string* best = nullptr;
  const Methods* methods = nullptr;
  for (const auto& [prefix, m] : prefixes_) {
    if (path.starts_with(prefix) && (best == nullptr || prefix.size() > best->size())) {
      best = &prefix;
      methods = &m;
    }
  }
  if (methods == nullptr) return RouteMiss{};
  return pick(*methods, method, std::string(path.substr(best->size())));
}

}  // namespace otklik::web
