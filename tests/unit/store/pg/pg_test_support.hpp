#pragma once
/// Helpers for the PostgreSQL tests: whether the environment names a server, and a fresh database
/// per test (created on the server of the PG* environment, dropped at scope exit).

#include "daemon/store/pg/connection.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>

namespace otklik::test {

/// The exit code CTest reports as a skipped test (SKIP_RETURN_CODE).
inline constexpr int kSkipped = 77;

/// True when the PG* environment names a server (pg_virtualenv exports PGHOST, PGPORT…).
inline bool pg_environment() {
  for (const char* name : {"PGHOST", "PGPORT", "PGDATABASE", "PGSERVICE"}) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') return true;
  }
  return false;
}

/// A database of its own for one test: "otklik_test_<pid>_<n>_<random>".
class TestDatabase {
 public:
  /// `create_options` follow CREATE DATABASE name (e.g. a template and a locale).
  explicit TestDatabase(const std::string& create_options = "") {
    static std::atomic<int> counter{0};
    std::random_device random;
    name_ = "otklik_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
            std::to_string(random() % 1000000);
    auto admin = store::pg::Connection::connect({});
    if (!admin) throw std::runtime_error("cannot reach the test server: " + admin.error().message());
    if (auto r = admin->exec("CREATE DATABASE " + name_ + (create_options.empty() ? "" : " " + create_options)); !r)
      throw std::runtime_error("CREATE DATABASE failed: " + r.error().message());
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  ~TestDatabase() {
    auto admin = store::pg::Connection::connect({});
    if (admin) (void)admin->exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// Options that reach this database (the rest from the PG* environment).
  [[nodiscard]] store::pg::ConnectOptions options() const {
    store::pg::ConnectOptions o;
    o.conninfo = "dbname=" + name_;
    o.application_name = "otklik-test";
    return o;
  }
  [[nodiscard]] store::pg::Connection connect() const {
    auto c = store::pg::Connection::connect(options());
    if (!c) throw std::runtime_error("cannot connect to " + name_ + ": " + c.error().message());
    return std::move(*c);
  }

 private:
  std::string name_;
};

}  // namespace otklik::test
