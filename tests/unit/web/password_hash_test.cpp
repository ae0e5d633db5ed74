// Argon2id password hashes and the bounded hasher that runs them off the event loop.

#include "daemon/web/password_hash.hpp"

#include "tests/support/catch_result.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <catch2/catch.hpp>

#include <sodium.h>

#include <vector>

namespace asio = boost::asio;
using namespace otklik;
using namespace otklik::web;

TEST_CASE("sodium_ready may be called again and again", "[web][password]") {
  for (int i = 0; i < 3; ++i) CHECK(sodium_ready());
}

TEST_CASE("a password hash is argon2id and verifies only its own password", "[web][password]") {
  auto hash = hash_password("correct horse battery");
  REQUIRE(hash);
  CHECK(hash->starts_with("$argon2id$"));
  CHECK(crypto_pwhash_str_needs_rehash(hash->c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                       crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0);
  auto again = hash_password("correct horse battery");
  REQUIRE(again);
  CHECK(*again != *hash);  // salted

  struct Case {
    std::string_view hash;
    std::string_view password;
    bool matches;
  };
  const Case cases[] = {
      {*hash, "correct horse battery", true},
      {*hash, "correct horse batterY", false},
      {*hash, "", false},
      {*hash, "correct horse battery ", false},
      {"", "correct horse battery", false},
      {"$argon2id$v=19$m=65536,t=2,p=1$bogus", "correct horse battery", false},
      {"plain text", "plain text", false},
      {std::string(200, 'x'), "x", false},
  };
  for (const auto& c : cases) {
    INFO(c.hash << " / " << c.password);
    CHECK(verify_password(c.hash, c.password) == c.matches);
  }
}

namespace {

asio::awaitable<void> hash_one(PasswordHasher& hasher, std::string password, std::vector<Result<std::string>>& out) {
  out.push_back(co_await hasher.hash(std::move(password)));
}

asio::awaitable<void> watch(PasswordHasher& hasher, std::size_t& max_running, bool& done) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  while (!done) {
    max_running = std::max(max_running, hasher.running());
    t.expires_after(std::chrono::milliseconds(5));
    co_await t.async_wait(asio::use_awaitable);
  }
}

}  // namespace

TEST_CASE("the hasher runs at most N hashes at once and refuses past its queue", "[web][password]") {
  asio::io_context io;
  asio::thread_pool pool(4);
  PasswordHasher hasher(io.get_executor(), pool.get_executor(), 2, 3);
  std::vector<Result<std::string>> results;
  std::size_t max_running = 0;
  bool done = false;
  for (int i = 0; i < 6; ++i) {
    asio::co_spawn(io, hash_one(hasher, "password-" + std::to_string(i), results), asio::detached);
  }
  asio::co_spawn(io, watch(hasher, max_running, done), asio::detached);
  while (results.size() < 6) io.run_one();
  done = true;
  io.run();
  CHECK(max_running <= 2);
  CHECK(max_running >= 1);
  // Two run, three wait, the sixth is refused at once.
  int refused = 0;
  for (const auto& r : results) {
    if (!r) {
      CHECK(r.error().code == make_error_code(errc::rate_limited));
      ++refused;
    } else {
      CHECK(r->starts_with("$argon2id$"));
    }
  }
  CHECK(refused == 1);
  CHECK(hasher.running() == 0);
  CHECK(hasher.waiting() == 0);
  pool.join();
}

namespace {
asio::awaitable<void> verify_one(PasswordHasher& hasher, std::string hash, std::string password, std::optional<bool>& out) {
  auto r = co_await hasher.verify(std::move(hash), std::move(password));
  CHECK(r);
  if (r) out = *r;
}
}  // namespace

TEST_CASE("the hasher verifies off the event loop", "[web][password]") {
  asio::io_context io;
  asio::thread_pool pool(1);
  PasswordHasher hasher(io.get_executor(), pool.get_executor(), 1);
  auto hash = hash_password("a long enough secret");
  REQUIRE(hash);
  std::optional<bool> right, wrong;
  asio::co_spawn(io, verify_one(hasher, *hash, "a long enough secret", right), asio::detached);
  asio::co_spawn(io, verify_one(hasher, *hash, "a wrong secret", wrong), asio::detached);
  io.run();
  CHECK(right == true);
  CHECK(wrong == false);
  pool.join();
}
