#include "daemon/net/host_gate.hpp"

#include "tests/support/catch_result.hpp"

using namespace otklik;
using namespace std::chrono_literals;

namespace {
const HostGate::Clock::time_point kT0{std::chrono::hours(1000)};
}

TEST_CASE("HostGate spaces requests to one host by the gap", "[net][host_gate]") {
  HostGate gate(1000ms);
  CHECK(gate.reserve("a:443", kT0) == kT0);                    // free: go now
  CHECK(gate.reserve("a:443", kT0) == kT0 + 1000ms);           // queued behind the first
  CHECK(gate.reserve("a:443", kT0 + 10ms) == kT0 + 2000ms);    // and behind the second
  CHECK(gate.reserve("b:443", kT0 + 10ms) == kT0 + 10ms);      // another host is independent
  CHECK(gate.reserve("a:80", kT0 + 10ms) == kT0 + 10ms);       // the port is part of the key
  CHECK(gate.reserve("a:443", kT0 + 5000ms) == kT0 + 5000ms);  // long idle: no wait
  CHECK(gate.reserve("a:443", kT0 + 5500ms) == kT0 + 6000ms);  // 500 ms after: wait the rest
}

TEST_CASE("HostGate with no gap never delays", "[net][host_gate]") {
  HostGate gate(0ms);
  CHECK(gate.reserve("a:443", kT0) == kT0);
  CHECK(gate.reserve("a:443", kT0) == kT0);
  CHECK(gate.size() == 0);
}

TEST_CASE("HostGate forgets hosts that no longer delay anyone", "[net][host_gate]") {
  HostGate gate(1s);
  for (int i = 0; i < 1500; ++i) gate.reserve("h" + std::to_string(i) + ":80", kT0);
  CHECK(gate.size() == 1500);
  gate.reserve("late:80", kT0 + 10s);
  CHECK(gate.size() == 1);
}
