#pragma once
/// The web server's route table: method + exact path, or method + path prefix ("/case/"), the
/// longest prefix winning; an exact path wins over any prefix. A GET route also answers HEAD.
/// Pure: no sockets.

#include "daemon/web/web_types.hpp"

#include <map>
#include <string>
#include <string_view>
#include <variant>

namespace otklik::web {

struct RouteMatch {
  const WebHandler* handler = nullptr;  ///< valid while the table is unchanged
  std::string rest;                     ///< the path after a prefix route's prefix
};

/// No route: 404, or 405 with the methods the path has (for the Allow header).
struct RouteMiss {
  int status = 404;
  std::string allow;
};

class RouteTable {
 public:
  /// Adds or replaces the handler of `method` on exactly `path`.
  void add(std::string method, std::string path, WebHandler handler);
  /// Adds or replaces the handler of `method` on every path starting with `prefix`.
  void add_prefix(std::string method, std::string prefix, WebHandler handler);

  [[nodiscard]] std::variant<RouteMatch, RouteMiss> find(std::string_view method, std::string_view path) const;

 private:
  using Methods = std::map<std::string, WebHandler, std::less<>>;
  std::map<std::string, Methods, std::less<>> exact_;
  std::map<std::string, Methods, std::less<>> prefixes_;
};

}  // namespace otklik::web
