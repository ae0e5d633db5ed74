#pragma once
/// Helpers for the store tests: a unique temporary folder per test, sample mentions, and the
/// backend under test. The role tests are built twice: against SqliteStore (unit_store) and, with
/// OTKLIK_TEST_PG defined, against PgStore (unit_store_on_pg, a database of its own per test).

#include "daemon/core/clock.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/sentiment/scorer.hpp"
#include "daemon/store/sqlite_store.hpp"

#if defined(OTKLIK_TEST_PG)
#include "daemon/store/pg/pg_store.hpp"
#include "pg/pg_test_support.hpp"
#endif

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace otklik::test {

/// A fresh folder under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "otklik-store-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// 2026-11-23 12:00:00 UTC, a whole number of milliseconds (times round-trip exactly).
inline TimePoint test_start() {
  using namespace std::chrono;
  return sys_days{year{2026} / November / 23} + hours{12};
}

inline Mention sample_mention(std::string external_id, std::string text = "The courier was late again") {
  Mention m;
  m.source = "reviews";
  m.external_id = std::move(external_id);
  m.url = "https://reviews.example/item/1";
  m.author = "Anna";
  m.author_id = "u42";
  m.title = "Delivery";
  m.text = std::move(text);
  m.rating = 2.0;
  m.published = test_start() - std::chrono::hours{3};
  m.fetched = test_start();
  m.brand = "Acme";
  return m;
}

inline Sentiment sentiment_of(Label label) {
  Sentiment s;
  s.label = label;
  s.score = label == Label::negative ? -0.625 : label == Label::positive ? 0.5 : 0.0;
  s.confidence = 0.75;
  s.lang = Lang::en;
  s.sentences = {{0, 11, s.score, label}};
  s.why = {{"late", -0.625}};
  return s;
}

inline AlertPolicy two_channels(bool alert_new = true) {
  AlertPolicy p;
  p.alerts = {{"telegram", "alert", ""}, {"slack", "alert", R"({"thread":"x"})"}};
  p.alert_new = alert_new;
  return p;
}

#if defined(OTKLIK_TEST_PG)
using TestStore = store::PgStore;
/// How the backend words a CHECK constraint violation.
inline constexpr const char* kCheckViolation = "violates check constraint";
inline constexpr const char* kForeignKeyViolation = "violates foreign key constraint";
#else
using TestStore = SqliteStore;
inline constexpr const char* kCheckViolation = "CHECK constraint failed";
inline constexpr const char* kForeignKeyViolation = "FOREIGN KEY constraint failed";
#endif

/// Where one test's store lives: a SQLite file in a folder of its own, or a PostgreSQL database of
/// its own (dropped at scope exit). open() connects a new store to it: a restart of the daemon.
class StoreSite {
 public:
#if defined(OTKLIK_TEST_PG)
  StoreSite() = default;
  explicit StoreSite(bool /*in_memory*/) {}
  std::unique_ptr<TestStore> open(Clock& clock) const {
    auto store = store::PgStore::open(db_.options(), clock);
    if (!store) throw std::runtime_error("cannot open the PostgreSQL store: " + store.error().message());
    return std::move(*store);
  }

 private:
  TestDatabase db_;
#else
  StoreSite() : path_(dir_.file("otklik.db")) {}
  /// A private in-memory database instead of a file (each open() is a new one).
  explicit StoreSite(bool in_memory) : path_(in_memory ? ":memory:" : dir_.file("otklik.db")) {}
  std::unique_ptr<TestStore> open(Clock& clock) const {
    auto store = SqliteStore::open(path_, clock);
    if (!store) throw std::runtime_error("cannot open the SQLite store: " + store.error().message());
    return std::move(*store);
  }

 private:
  TempDir dir_;
  std::string path_;
#endif
};

/// A fresh, empty store of the backend under test (SQLite in memory; PostgreSQL in a database of
/// its own), used like a std::unique_ptr<TestStore>.
class FreshStore {
 public:
  explicit FreshStore(Clock& clock) : store_(site_.open(clock)) {}
  TestStore* operator->() const noexcept { return store_.get(); }
  TestStore& operator*() const noexcept { return *store_; }
  [[nodiscard]] TestStore* get() const noexcept { return store_.get(); }

 private:
  StoreSite site_{true};  // declared first: outlives the store
  std::unique_ptr<TestStore> store_;
};

/// A number from a one-row SQL query on the store's connection.
inline std::int64_t count(TestStore& store, const std::string& sql) {
#if defined(OTKLIK_TEST_PG)
  auto r = store.connection().query(sql);
  if (!r) throw std::runtime_error(sql + ": " + r.error().message());
  return r->int64(0, 0).value();
#else
  return store.database().query_int64(sql).value();
#endif
}

/// Whether the store's connection is inside a transaction (none may be left open).
inline bool in_transaction(TestStore& store) {
#if defined(OTKLIK_TEST_PG)
  return store.connection().in_transaction();
#else
  return store.database().in_transaction();
#endif
}

}  // namespace otklik::test
