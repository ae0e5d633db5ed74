// The keep-alive rules as tables: when a connection is reusable after a response, and when a
// request that failed on a reused connection is sent again.
#include "daemon/net/keep_alive.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace otklik;

namespace {

/// A 200 with Content-Length that both sides keep alive: reusable; each case changes one thing.
ResponseFraming good() {
  ResponseFraming f;
  f.status = 200;
  f.request_keep_alive = true;
  f.server_keep_alive = true;
  f.has_length = true;
  return f;
}

}  // namespace

TEST_CASE("connection_reusable follows the response's framing", "[net][http][keepalive]") {
  struct Case {
    std::string name;
    ResponseFraming framing;
    bool reusable;
  };
  auto with = [](auto change) {
    ResponseFraming f = good();
    change(f);
    return f;
  };
  const Case cases[] = {
      {"length-delimited 200", good(), true},
      {"chunked", with([](auto& f) { f.has_length = false; f.chunked = true; }), true},
      {"304 without a body", with([](auto& f) { f.status = 304; f.has_length = false; }), true},
      {"server says close (or HTTP/1.0 without keep-alive)", with([](auto& f) { f.server_keep_alive = false; }), false},
      {"we said close", with([](auto& f) { f.request_keep_alive = false; }), false},
      {"body until EOF", with([](auto& f) { f.has_length = false; f.body_until_eof = true; }), false},
      {"bytes after the message", with([](auto& f) { f.bytes_after = true; }), false},
      {"101 switching protocols", with([](auto& f) { f.status = 101; }), false},
      {"HEAD with Content-Length", with([](auto& f) { f.head = true; }), true},
      {"HEAD chunked", with([](auto& f) { f.head = true; f.has_length = false; f.chunked = true; }), true},
      {"HEAD with no framing", with([](auto& f) { f.head = true; f.has_length = false; }), false},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(connection_reusable(c.framing) == c.reusable);
  }
}

TEST_CASE("may_retry_on_fresh_connection: GET/HEAD when nothing came back, others only while writing",
          "[net][http][keepalive]") {
  struct Case {
    std::string method;
    BrokenExchange how;
    bool retry;
  };
  const BrokenExchange write_lost{true, false, true};
  const BrokenExchange read_lost{false, false, true};
  const BrokenExchange read_lost_midway{false, true, true};
  const BrokenExchange write_timeout{true, false, false};
  const BrokenExchange read_timeout{false, false, false};
  const BrokenExchange write_lost_after_answer{true, true, true};
  const Case cases[] = {
      {"GET", write_lost, true},
      {"GET", read_lost, true},
      {"HEAD", read_lost, true},
      {"GET", read_lost_midway, false},
      {"GET", read_timeout, false},
      {"GET", write_timeout, false},
      {"POST", write_lost, true},
      {"POST", read_lost, false},
      {"POST", write_lost_after_answer, false},
      {"POST", write_timeout, false},
      {"PUT", read_lost, false},
      {"DELETE", write_lost, true},
  };
  for (const auto& c : cases) {
    INFO(c.method << " writing=" << c.how.while_writing << " started=" << c.how.response_started
                  << " lost=" << c.how.connection_lost);
    CHECK(may_retry_on_fresh_connection(c.method, c.how) == c.retry);
  }
}
