#include "daemon/app/pipeline.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "fake_scorer.hpp"
#include "tests/support/catch_result.hpp"

using namespace otklik;
using namespace std::chrono_literals;

namespace {

Mention item(std::string id, std::string text, std::optional<TimePoint> published) {
  Mention m;
  m.source = "feed";
  m.external_id = std::move(id);
  m.text = std::move(text);
  m.published = published;
  m.brand = "bank";
  return m;
}

RouteConfig route(std::string channel, Severity min) {
  RouteConfig r;
  r.channel = std::move(channel);
  r.min_severity = min;
  return r;
}

struct Fixture {
  ManualClock clock{TimePoint{} + 24h * 20000};
  std::unique_ptr<SqliteStore> store = std::move(SqliteStore::open(":memory:", clock).value());
  test::FakeScorer scorer;
  Router router{{route("chat", Severity::low), route("managers", Severity::high)}};
  Pipeline pipeline{scorer, router, *store, Lang::automatic};
  SourceConfig source;
  Fixture() {
    source.name = "feed";
    source.alert_max_age = 48h;
  }
  int pending(const std::string& channel) {
    auto rows = store->lease(channel, clock.now() + 1h, 1s, 100);
    REQUIRE(rows);
    return static_cast<int>(rows->size());
  }
};

}  // namespace

TEST_CASE("the first poll is a silent baseline except for young items", "[pipeline]") {
  Fixture f;
  const TimePoint now = f.clock.now();
  SourceState first;  // polls == 0
  first.source = "feed";
  auto sum = f.pipeline.ingest(f.source, first,
                               {item("old", "BAD old", now - 72h), item("young", "BAD young", now - 1h),
                                item("undated", "BAD undated", std::nullopt), item("fine", "great", now)},
                               now);
  CHECK(sum.inserted == 4);
  CHECK(sum.negative == 3);
  CHECK(sum.channels == std::set<std::string>{"chat", "managers"});
  CHECK(f.pending("chat") == 1);      // only "young"
  CHECK(f.pending("managers") == 1);  // severity high
}

TEST_CASE("after the baseline every new negative item alerts once, by severity", "[pipeline]") {
  Fixture f;
  const TimePoint now = f.clock.now();
  SourceState later;
  later.source = "feed";
  later.polls = 3;
  auto sum = f.pipeline.ingest(f.source, later,
                               {item("a", "BAD", now - 700h), item("b", "MEH", now), item("c", "nice", now)}, now);
  CHECK(sum.negative == 2);
  CHECK(f.pending("chat") == 2);
  CHECK(f.pending("managers") == 1);  // only the high-severity one

  auto again = f.pipeline.ingest(f.source, later, {item("a", "BAD", now - 700h)}, now);
  CHECK(again.unchanged == 1);
  CHECK(again.channels.empty());
}

TEST_CASE("may_alert follows the age limit on the first poll only", "[pipeline]") {
  SourceConfig src;
  src.alert_max_age = 48h;
  SourceState first, later;
  later.polls = 1;
  const TimePoint now = TimePoint{} + 24h * 20000;
  struct Case {
    std::optional<TimePoint> published;
    const SourceState* state;
    bool want;
  };
  const Case cases[] = {
      {now - 47h, &first, true},  {now - 49h, &first, false}, {std::nullopt, &first, false},
      {now - 49h, &later, true},  {std::nullopt, &later, true}, {now + 1h, &first, true},
  };
  for (const auto& c : cases) {
    Mention m;
    m.published = c.published;
    CHECK(may_alert(src, *c.state, m, now) == c.want);
  }
}
