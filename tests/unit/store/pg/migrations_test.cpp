#include "daemon/store/migrations.hpp"
#include "daemon/store/pg/failure.hpp"
#include "daemon/store/pg/migrations.hpp"

#include "pg_test_support.hpp"
#include "tests/support/catch_result.hpp"

#include <iterator>
#include <latch>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace otklik;
using namespace std::chrono_literals;
using otklik::test::TestDatabase;
namespace pg = otklik::store::pg;

namespace {

std::int64_t scalar(pg::Connection& c, const std::string& sql) {
  auto r = c.query(sql);
  REQUIRE(r);
  return r->int64(0, 0).value();
}

/// Advisory locks held in this test's database (pg_locks shows the whole cluster, where tests
/// running in parallel hold their own).
std::int64_t advisory_locks(pg::Connection& c) {
  return scalar(c, "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                   "(SELECT oid FROM pg_database WHERE datname = current_database())");
}

/// table -> its columns, and index -> whether it is partial, of a schema.
struct Schema {
  std::map<std::string, std::set<std::string>> tables;
  std::map<std::string, bool> indexes;
};

Schema sqlite_schema() {
  auto db = sqlite::Database::open(":memory:");
  REQUIRE(db);
  REQUIRE(store::migrate(*db));
  Schema s;
  auto tables = db->prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  REQUIRE(tables);
  while (tables->step().value()) {
    const std::string table = tables->text(0);
    auto columns = db->prepare("SELECT name FROM pragma_table_info(?1)");
    REQUIRE(columns);
    columns->bind(1, table);
    while (columns->step().value()) s.tables[table].insert(columns->text(0));
  }
  auto indexes = db->prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL");
  REQUIRE(indexes);
  while (indexes->step().value()) s.indexes[indexes->text(0)] = indexes->text(1).find(" WHERE ") != std::string::npos;
  return s;
}

Schema pg_schema(pg::Connection& c) {
  Schema s;
  auto columns = c.query(
      "SELECT table_name, column_name FROM information_schema.columns "
      "WHERE table_schema = 'public' AND table_name != 'schema_version'");
  REQUIRE(columns);
  for (int i = 0; i < columns->rows(); ++i) s.tables[columns->text(i, 0).value()].insert(columns->text(i, 1).value());
  // Indexes made by CREATE INDEX (not those behind PRIMARY KEY and UNIQUE constraints).
  auto indexes = c.query(
      "SELECT i.indexname, i.indexdef LIKE '% WHERE %' FROM pg_indexes i "
      "WHERE i.schemaname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)");
  REQUIRE(indexes);
  for (int i = 0; i < indexes->rows(); ++i) s.indexes[indexes->text(i, 0).value()] = indexes->boolean(i, 1).value();
  return s;
}

}  // namespace

TEST_CASE("an empty database is migrated to the latest schema, and again nothing is done", "[store][pg][migrations]") {
  TestDatabase db;
  auto c = db.connect();
  CHECK(pg::schema_version(c).value() == 0);
  auto applied = pg::migrate(c);
  REQUIRE(applied);
  CHECK(*applied == pg::latest_schema_version());
  CHECK(pg::schema_version(c).value() == pg::latest_schema_version());
  CHECK(scalar(c, "SELECT COUNT(*) FROM schema_version") == pg::latest_schema_version());
  CHECK(scalar(c, "SELECT COUNT(*) FROM schema_version WHERE applied_at > 1700000000000") ==
        pg::latest_schema_version());

  auto again = pg::migrate(c);
  REQUIRE(again);
  CHECK(*again == 0);
  CHECK(scalar(c, "SELECT COUNT(*) FROM schema_version") == pg::latest_schema_version());
  // The lock is released and the session's statement_timeout is back.
  CHECK(advisory_locks(c) == 0);
  CHECK(c.query("SELECT current_setting('statement_timeout')")->text(0, 0).value() == "30s");
}

TEST_CASE("the PostgreSQL patches have the SQLite patches' versions, tables, columns and indexes",
          "[store][pg][migrations]") {
  REQUIRE(pg::latest_schema_version() == store::latest_schema_version());
  REQUIRE(pg::migrations().size() == store::migrations().size());
  for (std::size_t i = 0; i < pg::migrations().size(); ++i)
    CHECK(pg::migrations()[i].version == store::migrations()[i].version);

  TestDatabase db;
  auto c = db.connect();
  REQUIRE(pg::migrate(c));
  Schema lite = sqlite_schema();
  Schema post = pg_schema(c);
  // Full-text search is each backend's own (version 8): SQLite's FTS5 table mentions_fts and its
  // shadow tables, PostgreSQL's tsvector column mentions.search, its GIN index and the partial
  // index of the rows whose words are still to fill.
  for (auto it = lite.tables.begin(); it != lite.tables.end();)
    it = it->first.rfind("mentions_fts", 0) == 0 ? lite.tables.erase(it) : std::next(it);
  CHECK(post.tables["mentions"].erase("search") == 1);
  CHECK(post.indexes.erase("mentions_search") == 1);
  CHECK(post.indexes.erase("mentions_search_missing") == 1);
  CHECK(post.tables.size() == lite.tables.size());
  for (const auto& [table, columns] : lite.tables) {
    INFO(table);
    REQUIRE(post.tables.count(table) == 1);
    CHECK(post.tables.at(table) == columns);
  }
  CHECK(post.indexes == lite.indexes);
}

TEST_CASE("a PostgreSQL schema works as the store uses it", "[store][pg][migrations]") {
  TestDatabase db;
  auto c = db.connect();
  REQUIRE(pg::migrate(c));
  auto id = c.query(
      "INSERT INTO mentions (source, external_id, text, fetched_at, text_hash, label, score, confidence, lang, "
      "sentiment_json, first_seen_at, updated_at, event_at) "
      "VALUES ($1, $2, $3::bytea, $4, '', 'negative', -0.5, 0.9, 'ru', ''::bytea, $4, $4, $4) RETURNING id",
      {"rss:bank", "42", pg::Param::bytea(std::string("\x78\x9c\0packed", 9)), std::int64_t{1795000000000}});
  REQUIRE(id);
  const auto mention = id->int64(0, 0).value();
  CHECK(c.query("SELECT text FROM mentions WHERE id = $1", {mention})->bytes(0, 0).value() ==
        std::string("\x78\x9c\0packed", 9));
  // The unique key and the partial unique index hold.
  CHECK(pg::sqlstate(c.query("INSERT INTO mentions (source, external_id, fetched_at, text_hash, label, score, "
                              "confidence, lang, sentiment_json, first_seen_at, updated_at) "
                              "VALUES ('rss:bank', '42', 0, '', 'neutral', 0, 0, 'ru', '', 0, 0)")
                         .error()) == "23505");
  REQUIRE(c.query("INSERT INTO spikes (brand, topic, started_at, start_count, peak_count, usual) "
                  "VALUES ('b', '', 1, 5, 5, 1.5)"));
  CHECK(pg::sqlstate(c.query("INSERT INTO spikes (brand, topic, started_at, start_count, peak_count, usual) "
                             "VALUES ('b', '', 2, 5, 5, 1.5)")
                         .error()) == "23505");
  CHECK(pg::sqlstate(c.query("INSERT INTO outbox (channel, kind, next_attempt_at, created_at) "
                             "VALUES ('', 'alert', 0, 0)")
                         .error()) == "23514");  // CHECK (length(channel) > 0)
}

TEST_CASE("PostgreSQL patches apply in order, each in its own transaction", "[store][pg][migrations]") {
  const pg::Migration patches[] = {
      {1, "CREATE TABLE a (x BIGINT)"},
      {2, "INSERT INTO a VALUES (1); CREATE TABLE b (y BIGINT)"},
      {3, "INSERT INTO a VALUES (2); CREATE TABLE broken (z BIGINT REFERENCES"},  // a syntax error
  };
  TestDatabase db;
  auto c = db.connect();
  auto r = pg::migrate(c, patches, 3);
  REQUIRE_FALSE(r);
  INFO(r.error().message());
  CHECK(r.error().detail.find("schema patch 3 failed") != std::string::npos);
  CHECK(pg::sqlstate(r.error()) == "42601");
  // Versions 1 and 2 stay applied; patch 3 left nothing behind.
  CHECK(pg::schema_version(c).value() == 2);
  CHECK(scalar(c, "SELECT COUNT(*) FROM a") == 1);
  CHECK_FALSE(c.in_transaction());
  CHECK(advisory_locks(c) == 0);
}

TEST_CASE("a gap in the PostgreSQL patch list is refused", "[store][pg][migrations]") {
  const pg::Migration patches[] = {{1, "CREATE TABLE a (x BIGINT)"}, {3, "CREATE TABLE c (x BIGINT)"}};
  TestDatabase db;
  auto c = db.connect();
  auto r = pg::migrate(c, patches, 3);
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.find("no schema patch from version 1") != std::string::npos);
  CHECK(pg::schema_version(c).value() == 1);
}

TEST_CASE("a PostgreSQL database newer than the build is refused", "[store][pg][migrations]") {
  TestDatabase db;
  auto c = db.connect();
  REQUIRE(pg::migrate(c));
  const int newer = pg::latest_schema_version() + 1;
  REQUIRE(c.query("INSERT INTO schema_version (version, applied_at) VALUES ($1::integer, 0)", {newer}));
  auto r = pg::migrate(c);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::store_failed);
  CHECK(r.error().detail.find("database schema version " + std::to_string(newer) +
                              " is newer than this build supports (" + std::to_string(pg::latest_schema_version()) +
                              ")") != std::string::npos);
  CHECK(pg::schema_version(c).value() == newer);
  CHECK(advisory_locks(c) == 0);
}

TEST_CASE("instances starting at once migrate once", "[store][pg][migrations]") {
  TestDatabase db;
  constexpr int kInstances = 4;
  std::vector<pg::Connection> connections;
  for (int i = 0; i < kInstances; ++i) connections.push_back(db.connect());
  std::vector<Result<int>> results(kInstances, Failure(errc::cancelled, "not run"));
  std::latch start(kInstances);
  std::vector<std::thread> threads;
  for (int i = 0; i < kInstances; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      results[i] = pg::migrate(connections[i]);
    });
  }
  for (auto& t : threads) t.join();

  int applied = 0;
  for (const auto& r : results) {
    REQUIRE(r);
    applied += *r;
  }
  CHECK(applied == pg::latest_schema_version());  // every patch exactly once
  auto& c = connections.front();
  CHECK(pg::schema_version(c).value() == pg::latest_schema_version());
  CHECK(scalar(c, "SELECT COUNT(*) FROM schema_version") == pg::latest_schema_version());
  CHECK(advisory_locks(c) == 0);
}

TEST_CASE("waiting for another instance's migration is bounded by the migration timeout", "[store][pg][migrations]") {
  TestDatabase db;
  auto holder = db.connect();
  REQUIRE(holder.query("SELECT pg_advisory_lock($1::bigint)", {pg::kMigrationLockKey}));
  auto waiter = db.connect();
  auto r = pg::migrate(waiter, pg::migrations(), pg::latest_schema_version(), 300ms);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::timeout);
  CHECK(pg::schema_version(waiter).value() == 0);
  CHECK(waiter.statement_timeout() == 30s);  // the session's own timeout again
}

TEST_CASE("patches 4 and 5 refuse mentions they cannot recompute", "[store][pg][migrations]") {
  TestDatabase db;
  auto c = db.connect();
  REQUIRE(pg::migrate(c, pg::migrations().first(3), 3));
  REQUIRE(c.query("INSERT INTO mentions (source, external_id, fetched_at, text_hash, label, score, confidence, lang, "
                  "sentiment_json, first_seen_at, updated_at) "
                  "VALUES ('rss:bank', '1', 0, 'h', 'neutral', 0, 0, 'ru', '', 0, 0)"));
  auto r = pg::migrate(c);
  REQUIRE_FALSE(r);
  INFO(r.error().message());
  CHECK(r.error().detail.find("schema patch 4 failed") != std::string::npos);
  CHECK(r.error().detail.find("recomputes author keys") != std::string::npos);
  CHECK(pg::schema_version(c).value() == 3);
}

TEST_CASE("patch 10 adds the replies and keeps what is stored", "[store][pg][migrations][replies]") {
  TestDatabase db;
  auto c = db.connect();
  REQUIRE(pg::migrate(c, pg::migrations().first(9), 9));
  REQUIRE(c.query("INSERT INTO mentions (source, external_id, fetched_at, text_hash, label, score, confidence, lang, "
                  "sentiment_json, first_seen_at, updated_at, event_at) "
                  "VALUES ('reviews', 'kept', 0, '', 'positive', 0.5, 1, 'ru', '', 1000, 1000, 1000)"));
  auto applied = pg::migrate(c);
  REQUIRE(applied);
  CHECK(*applied == pg::latest_schema_version() - 9);
  CHECK(pg::schema_version(c).value() == pg::latest_schema_version());
  CHECK(scalar(c, "SELECT COUNT(*) FROM mentions WHERE external_id = 'kept'") == 1);
  CHECK(scalar(c, "SELECT COUNT(*) FROM replies") == 0);
  // One reply of a mention in flight, one answer that is not an edit: the unique indexes refuse more.
  const std::string insert = "INSERT INTO replies (mention_id, source, text, state, edit, created_at, updated_at) "
                             "SELECT id, source, 'x', ";
  REQUIRE(c.query(insert + "'queued', 0, 0, 0 FROM mentions"));
  CHECK(pg::sqlstate(c.query(insert + "'queued', 1, 0, 0 FROM mentions").error()) == "23505");
  CHECK(pg::sqlstate(c.query(insert + "'posted', 0, 0, 0 FROM mentions").error()) == "23505");
  REQUIRE(c.query(insert + "'posted', 1, 0, 0 FROM mentions"));
  CHECK(pg::sqlstate(c.query(insert + "'sent', 1, 0, 0 FROM mentions").error()) == "23514");
}
