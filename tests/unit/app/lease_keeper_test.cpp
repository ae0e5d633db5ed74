// LeaseKeeper: the fair share and the surplus (tables of cases), and instances sharing one store:
// sources split evenly, one leader, a dead instance's work taken over, a joining one given its part.
#include "daemon/app/lease_keeper.hpp"
#include "daemon/store/sqlite_store.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>

#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <functional>

using namespace otklik;
using namespace std::chrono_literals;

TEST_CASE("fair_share is sources over live instances, rounded up", "[app][leases]") {
  struct Case {
    int sources, live, share;
  };
  const Case cases[] = {{300, 3, 100}, {300, 2, 150}, {301, 3, 101}, {10, 1, 10},
                        {10, 0, 10},   {0, 3, 0},     {2, 3, 1},     {10000, 3, 3334}};
  for (const auto& c : cases) {
    CAPTURE(c.sources, c.live);
    CHECK(fair_share(c.sources, c.live) == c.share);
  }
}

TEST_CASE("surplus gives up the last held sources in name order, never one being polled", "[app][leases]") {
  struct Case {
    std::set<std::string> held, busy;
    int share;
    std::vector<std::string> given_up;
  };
  const Case cases[] = {
      {{"a", "b", "c", "d"}, {}, 2, {"d", "c"}},
      {{"a", "b", "c", "d"}, {"d"}, 2, {"c", "b"}},
      {{"a", "b", "c", "d"}, {"a", "b", "c", "d"}, 2, {}},  // all busy: none this round
      {{"a", "b"}, {}, 2, {}},
      {{"a", "b"}, {}, 5, {}},
      {{"a", "b"}, {}, 0, {"b", "a"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.share, c.held.size(), c.busy.size());
    CHECK(surplus(c.held, c.busy, c.share) == c.given_up);
  }
}

namespace {

/// Instances sharing one SQLite store (one thread, so an inline executor serves them all).
struct Deployment {
  boost::asio::io_context io;
  SystemClockSource clock;
  std::unique_ptr<SqliteStore> store = SqliteStore::open(":memory:", clock).value();
  std::unique_ptr<StoreExecutor> exec = StoreExecutor::inline_on(*store);
  health::MetricsRegistry metrics;
  std::shared_ptr<spdlog::logger> log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  std::vector<std::string> sources;
  struct Instance {
    std::unique_ptr<LeaseKeeper> keeper;
    std::unique_ptr<boost::asio::cancellation_signal> stop = std::make_unique<boost::asio::cancellation_signal>();
    int leader_changes = 0;
  };
  std::map<std::string, Instance> instances;

  Deployment() {
    for (int i = 0; i < 30; ++i) sources.push_back("s" + std::to_string(i));
  }
  void start(const std::string& id) {
    auto& in = instances[id];
    in.keeper = std::make_unique<LeaseKeeper>(io.get_executor(), *exec, LeaseKeeperOptions{id, 600ms}, metrics, log);
    in.keeper->set_sources(sources);
    in.keeper->on_leader([&in](bool) { ++in.leader_changes; });
    in.stop = std::make_unique<boost::asio::cancellation_signal>();
    boost::asio::co_spawn(io, in.keeper->run(), boost::asio::bind_cancellation_slot(in.stop->slot(), boost::asio::detached));
  }
  /// Stops an instance's rounds without giving its leases up (a kill).
  void kill(const std::string& id) { instances[id].stop->emit(boost::asio::cancellation_type::all); }
  /// Runs the loop until `done()` holds or 20 s pass; returns whether it held.
  bool run_until(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
      io.run_for(50ms);
      if (done()) return true;
    }
    return false;
  }
  std::size_t held(const std::string& id) { return instances[id].keeper->held(); }
  int leaders(std::initializer_list<std::string> ids) {
    int n = 0;
    for (const auto& id : ids) n += instances[id].keeper->leader() ? 1 : 0;
    return n;
  }
};

}  // namespace

TEST_CASE("instances on one store split the sources evenly, elect one leader and take over a dead one's part",
          "[app][leases]") {
  Deployment d;
  d.start("a");
  d.start("b");
  d.start("c");
  REQUIRE(d.run_until([&] { return d.held("a") == 10 && d.held("b") == 10 && d.held("c") == 10; }));
  REQUIRE(d.run_until([&] { return d.leaders({"a", "b", "c"}) == 1; }));
  // Every source is held by exactly one instance.
  std::set<std::string> all;
  for (const auto& id : {"a", "b", "c"})
    for (const auto& s : d.sources)
      if (d.instances[id].keeper->fence_of(s)) CHECK(all.insert(s).second);
  CHECK(all.size() == 30);

  // The leader dies: the other two take its sources (15 each) and one of them the lead.
  std::string leader = d.instances["a"].keeper->leader() ? "a" : d.instances["b"].keeper->leader() ? "b" : "c";
  std::vector<std::string> rest;
  for (const auto& id : {"a", "b", "c"})
    if (id != leader) rest.push_back(id);
  d.kill(leader);
  REQUIRE(d.run_until([&] { return d.held(rest[0]) == 15 && d.held(rest[1]) == 15; }));
  REQUIRE(d.run_until([&] { return d.leaders({rest[0], rest[1]}) == 1; }));

  // It comes back under its id (its old leases freed, as the daemon does at start): it gets its
  // third back from the others.
  REQUIRE(d.store->release_holder(leader, SystemClock::now()));
  d.start(leader);
  REQUIRE(d.run_until([&] { return d.held("a") == 10 && d.held("b") == 10 && d.held("c") == 10; }));
  CHECK(d.leaders({"a", "b", "c"}) == 1);
  for (const auto& id : {"a", "b", "c"}) d.kill(id);
  d.io.run_for(100ms);
}

TEST_CASE("a fence stops holding when another instance took the lease over", "[app][leases]") {
  Deployment d;
  d.start("a");
  REQUIRE(d.run_until([&] { return d.held("a") == 30; }));
  const auto fence = d.instances["a"].keeper->fence_of("s1");
  REQUIRE(fence);
  CHECK(d.store->fence_holds(*fence).value());
  d.kill("a");
  d.start("b");
  REQUIRE(d.run_until([&] { return d.held("b") == 30; }));
  CHECK_FALSE(d.store->fence_holds(*fence).value());
  d.instances["a"].keeper->lost(*fence);
  CHECK_FALSE(d.instances["a"].keeper->fence_of("s1").has_value());
  d.kill("b");
  d.io.run_for(100ms);
}
