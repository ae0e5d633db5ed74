// The idle pool's bookkeeping with made-up connections and made-up time: which connection is
// handed out, the per-host and overall bounds, expiry.
#include "daemon/net/idle_pool.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

/// A connection that records its closing (destruction) in a shared list.
struct Conn {
  Conn(int id, std::shared_ptr<std::vector<int>> closed) : id(id), closed(std::move(closed)) {}
  ~Conn() { closed->push_back(id); }
  int id;
  bool alive = true;
  std::shared_ptr<std::vector<int>> closed;
};

struct Fixture {
  std::shared_ptr<std::vector<int>> closed = std::make_shared<std::vector<int>>();
  IdlePool<Conn>::Clock::time_point t0{};
  std::unique_ptr<Conn> conn(int id) { return std::make_unique<Conn>(id, closed); }
};

bool alive(Conn& c) { return c.alive; }

}  // namespace

TEST_CASE("IdlePool hands out the newest live connection of the origin", "[net][http][keepalive]") {
  Fixture f;
  IdlePool<Conn> pool({4, 64, 15s});
  pool.put("http://a:80", f.conn(1), f.t0);
  pool.put("http://b:80", f.conn(2), f.t0 + 1s);
  pool.put("http://a:80", f.conn(3), f.t0 + 2s);
  CHECK(pool.size() == 3);
  CHECK(pool.size("http://a:80") == 2);

  auto got = pool.take("http://a:80", f.t0 + 3s, alive);
  REQUIRE(got);
  CHECK(got->id == 3);
  CHECK_FALSE(pool.take("https://a:80", f.t0 + 3s, alive));  // another scheme is another origin

  // One the peer closed is dropped and counted; the next one is used.
  pool.put("http://a:80", std::move(got), f.t0 + 4s);
  std::size_t rejected = 0;
  auto usable_only_1 = [](Conn& c) { return c.id == 1; };
  got = pool.take("http://a:80", f.t0 + 5s, usable_only_1, &rejected);
  REQUIRE(got);
  CHECK(got->id == 1);
  CHECK(rejected == 1);
  CHECK(*f.closed == std::vector<int>{3});
  CHECK(pool.size() == 1);
}

TEST_CASE("IdlePool closes connections idle for idle_timeout", "[net][http][keepalive]") {
  Fixture f;
  IdlePool<Conn> pool({4, 64, 10s});
  CHECK_FALSE(pool.next_expiry());
  pool.put("k", f.conn(1), f.t0);
  pool.put("k", f.conn(2), f.t0 + 4s);
  CHECK(pool.next_expiry() == f.t0 + 10s);
  CHECK(pool.close_expired(f.t0 + 9s) == 0);
  CHECK(pool.close_expired(f.t0 + 10s) == 1);
  CHECK(*f.closed == std::vector<int>{1});
  CHECK(pool.next_expiry() == f.t0 + 14s);
  // take() expires first: at 14 s the last one is too old to hand out.
  CHECK_FALSE(pool.take("k", f.t0 + 14s, alive));
  CHECK(pool.size() == 0);
  CHECK(*f.closed == std::vector<int>{1, 2});
}

TEST_CASE("IdlePool keeps at most per_host per origin and total overall", "[net][http][keepalive]") {
  Fixture f;
  SECTION("per host: the origin's oldest goes") {
    IdlePool<Conn> pool({2, 64, 15s});
    pool.put("a", f.conn(1), f.t0);
    pool.put("b", f.conn(2), f.t0 + 1s);
    pool.put("a", f.conn(3), f.t0 + 2s);
    pool.put("a", f.conn(4), f.t0 + 3s);
    CHECK(*f.closed == std::vector<int>{1});
    CHECK(pool.size("a") == 2);
    CHECK(pool.size("b") == 1);
  }
  SECTION("overall: the oldest of all goes") {
    IdlePool<Conn> pool({4, 3, 15s});
    for (int i = 1; i <= 5; ++i) pool.put("host" + std::to_string(i), f.conn(i), f.t0 + std::chrono::seconds(i));
    CHECK(pool.size() == 3);
    CHECK(*f.closed == std::vector<int>{1, 2});
    CHECK_FALSE(pool.take("host1", f.t0 + 6s, alive));
    CHECK(pool.take("host5", f.t0 + 6s, alive));
  }
  SECTION("a zero bound keeps nothing") {
    IdlePool<Conn> pool({0, 64, 15s});
    CHECK_FALSE(pool.enabled());
    pool.put("a", f.conn(1), f.t0);
    CHECK(pool.size() == 0);
    CHECK(*f.closed == std::vector<int>{1});
  }
  SECTION("clear closes everything") {
    IdlePool<Conn> pool({4, 64, 15s});
    pool.put("a", f.conn(1), f.t0);
    pool.put("b", f.conn(2), f.t0);
    pool.clear();
    CHECK(pool.size() == 0);
    CHECK(f.closed->size() == 2);
  }
}
