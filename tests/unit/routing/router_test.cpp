#include "daemon/routing/router.hpp"

#include <catch2/catch.hpp>

using namespace otklik;

namespace {

RouteConfig route(std::string channel, std::vector<std::string> sources, std::vector<std::string> brands,
                  Severity min) {
  RouteConfig r;
  r.channel = std::move(channel);
  r.sources = std::move(sources);
  r.brands = std::move(brands);
  r.min_severity = min;
  return r;
}

Mention mention(std::string source, std::string brand) {
  Mention m;
  m.source = std::move(source);
  m.brand = std::move(brand);
  return m;
}

}  // namespace

TEST_CASE("severity follows the score", "[routing]") {
  struct Case {
    double score;
    Severity want;
  };
  for (auto c : {Case{-0.95, Severity::high}, Case{-0.6, Severity::high}, Case{-0.59, Severity::medium},
                 Case{-0.3, Severity::medium}, Case{-0.29, Severity::low}, Case{-0.05, Severity::low}}) {
    Sentiment s;
    s.score = c.score;
    INFO(c.score);
    CHECK(severity_of(s) == c.want);
  }
}

TEST_CASE("routes filter by source, brand and minimum severity", "[routing]") {
  Router router({
      route("support", {}, {}, Severity::low),
      route("managers", {}, {"bank"}, Severity::high),
      route("maps-team", {"yandex-maps", "2gis"}, {}, Severity::medium),
      route("support", {"yandex-maps"}, {}, Severity::low),  // duplicate channel: listed once
  });
  struct Case {
    std::string source, brand;
    Severity severity;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"banki", "bank", Severity::low, {"support"}},
      {"banki", "bank", Severity::high, {"support", "managers"}},
      {"banki", "shop", Severity::high, {"support"}},
      {"yandex-maps", "shop", Severity::low, {"support"}},
      {"yandex-maps", "shop", Severity::medium, {"support", "maps-team"}},
      {"2gis", "bank", Severity::high, {"support", "managers", "maps-team"}},
  };
  for (const auto& c : cases) {
    INFO(c.source << " " << c.brand << " " << static_cast<int>(c.severity));
    CHECK(router.channels_for(mention(c.source, c.brand), c.severity) == c.want);
  }
}

TEST_CASE("no routes, no channels", "[routing]") {
  CHECK(Router({}).channels_for(mention("a", "b"), Severity::high).empty());
}
