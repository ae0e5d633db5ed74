#include "daemon/store/sqlite.hpp"

#include "store_test_support.hpp"
#include "tests/support/catch_result.hpp"

using otklik::errc;
using otklik::make_error_code;
using otklik::sqlite::Database;
using otklik::sqlite::Transaction;

namespace {

Database memory_db() {
  auto db = Database::open(":memory:");
  REQUIRE(db);
  REQUIRE(db->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"));
  return std::move(*db);
}

}  // namespace

TEST_CASE("statement binds, steps and reads columns", "[store][sqlite]") {
  Database db = memory_db();
  {
    auto ins = db.cached("INSERT INTO t (v) VALUES (?1)");
    REQUIRE(ins);
    (*ins)->bind(1, std::string_view("a"));
    REQUIRE((*ins)->run());
  }
  {
    // Same SQL again: the cached statement was reset and its bindings cleared.
    auto ins = db.cached("INSERT INTO t (v) VALUES (?1)");
    REQUIRE(ins);
    (*ins)->bind(1, std::string_view(""));
    REQUIRE((*ins)->run());
  }
  auto sel = db.prepare("SELECT id, v, NULL, 2.5 FROM t ORDER BY id");
  REQUIRE(sel);
  REQUIRE(sel->step().value());
  CHECK(sel->int64(0) == 1);
  CHECK(sel->text(1) == "a");
  CHECK(sel->is_null(2));
  CHECK_FALSE(sel->optional_int64(2).has_value());
  CHECK(sel->optional_real(3) == 2.5);
  REQUIRE(sel->step().value());
  CHECK(sel->text(1).empty());
  CHECK_FALSE(sel->is_null(1));  // "" is bound as '' and not as NULL
  CHECK_FALSE(sel->step().value());
}

TEST_CASE("a failing statement gives store_failed with SQLite's message", "[store][sqlite]") {
  Database db = memory_db();
  auto bad = db.prepare("SELECT nope FROM t");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == make_error_code(errc::store_failed));
  CHECK(bad.error().detail.find("no such column: nope") != std::string::npos);

  auto ins = db.cached("INSERT INTO t (v) VALUES (?1)");
  REQUIRE(ins);
  (*ins)->bind_null(1);
  auto r = (*ins)->run();
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.find("NOT NULL constraint failed") != std::string::npos);
}

TEST_CASE("transaction commits, and rolls back when left without commit", "[store][sqlite]") {
  Database db = memory_db();
  {
    auto tx = Transaction::begin(db);
    REQUIRE(tx);
    REQUIRE(db.exec("INSERT INTO t (v) VALUES ('kept')"));
    REQUIRE(tx->commit());
  }
  {
    auto tx = Transaction::begin(db);
    REQUIRE(tx);
    REQUIRE(db.exec("INSERT INTO t (v) VALUES ('dropped')"));
    CHECK(db.in_transaction());
  }
  CHECK_FALSE(db.in_transaction());
  CHECK(db.query_int64("SELECT COUNT(*) FROM t").value() == 1);
  CHECK(db.query_text("SELECT v FROM t").value() == "kept");
}

TEST_CASE("a write lock held past busy_timeout fails with store_failed", "[store][sqlite]") {
  otklik::test::TempDir dir;
  auto a = Database::open(dir.file("busy.db"));
  auto b = Database::open(dir.file("busy.db"));
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(a->exec("PRAGMA journal_mode = WAL; CREATE TABLE t (v TEXT)"));
  b->set_busy_timeout(std::chrono::milliseconds{20});

  auto held = Transaction::begin(*a);
  REQUIRE(held);
  auto blocked = Transaction::begin(*b);
  REQUIRE_FALSE(blocked);
  CHECK(blocked.error().code == make_error_code(errc::store_failed));
  CHECK(blocked.error().detail.find("locked") != std::string::npos);
  CHECK(blocked.error().transient());
  REQUIRE(held->commit());
  CHECK(Transaction::begin(*b));  // free again
}
