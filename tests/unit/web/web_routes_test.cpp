// The route table: exact paths, prefixes (the longest wins), HEAD for GET, 404 and 405.

#include "daemon/web/web_routes.hpp"

#include <catch2/catch.hpp>

using namespace otklik::web;

namespace {
boost::asio::awaitable<WebResponse> answer(std::string name) { co_return WebResponse::text(200, std::move(name)); }
WebHandler named(std::string name) {
  return [name](WebRequest) { return answer(name); };
}
}  // namespace

TEST_CASE("routes are found by method and path", "[web][routes]") {
  RouteTable table;
  std::map<const WebHandler*, std::string> names;
  table.add("GET", "/", named("inbox"));
  table.add("GET", "/case/new", named("new case"));
  table.add_prefix("GET", "/case/", named("case"));
  table.add_prefix("POST", "/case/", named("case action"));
  table.add_prefix("GET", "/case/42/", named("case 42 part"));
  table.add("POST", "/login", named("login"));
  table.add("GET", "/login", named("login page"));

  struct Case {
    std::string_view method, path;
    int status;                   ///< 0 = found
    std::string_view rest_or_allow;
  };
  const Case cases[] = {
      {"GET", "/", 0, ""},
      {"HEAD", "/", 0, ""},
      {"POST", "/", 405, "GET, HEAD"},
      {"GET", "/case/17", 0, "17"},
      {"GET", "/case/", 0, ""},
      {"GET", "/case/new", 0, ""},        // exact beats prefix
      {"POST", "/case/new", 405, "GET, HEAD"},
      {"POST", "/case/17/take", 0, "17/take"},
      {"GET", "/case/42/timeline", 0, "timeline"},  // the longest prefix
      {"POST", "/case/42/timeline", 405, "GET, HEAD"},
      {"DELETE", "/case/17", 405, "GET, HEAD, POST"},
      {"GET", "/case", 404, ""},
      {"GET", "/cases", 404, ""},
      {"GET", "/login", 0, ""},
      {"PUT", "/login", 405, "GET, HEAD, POST"},
      {"GET", "/nothing", 404, ""},
  };
  for (const auto& c : cases) {
    INFO(c.method << " " << c.path);
    const auto found = table.find(c.method, c.path);
    if (c.status == 0) {
      REQUIRE(std::holds_alternative<RouteMatch>(found));
      const auto& m = std::get<RouteMatch>(found);
      CHECK(m.handler != nullptr);
      CHECK(m.rest == c.rest_or_allow);
    } else {
      REQUIRE(std::holds_alternative<RouteMiss>(found));
      CHECK(std::get<RouteMiss>(found).status == c.status);
      CHECK(std::get<RouteMiss>(found).allow == c.rest_or_allow);
    }
  }
}
