#include "daemon/store/migrations.hpp"
#include "daemon/store/packed_text.hpp"
#include "daemon/store/store_detail.hpp"
#include "daemon/understanding/author.hpp"

#include "store_test_support.hpp"
#include "tests/support/catch_result.hpp"

#include <fstream>

using namespace otklik;
using otklik::test::TempDir;

namespace {

bool has_table(sqlite::Database& db, const std::string& name) {
  auto st = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
  REQUIRE(st);
  st->bind(1, name);
  REQUIRE(st->step().value());
  return st->int64(0) == 1;
}

}  // namespace

TEST_CASE("an empty database is migrated to the latest schema", "[store][migrations]") {
  auto db = sqlite::Database::open(":memory:");
  REQUIRE(db);
  REQUIRE(store::migrate(*db));
  CHECK(db->query_int64("PRAGMA user_version").value() == store::latest_schema_version());
  for (const char* table : {"mentions", "outbox", "sources_state"}) {
    INFO(table);
    CHECK(has_table(*db, table));
  }
  // Running again is a no-op.
  REQUIRE(store::migrate(*db));
  CHECK(db->query_int64("PRAGMA user_version").value() == store::latest_schema_version());
}

TEST_CASE("patches apply in order, each in its own transaction", "[store][migrations]") {
  const store::Migration patches[] = {
      {1, "CREATE TABLE a (x INTEGER)"},
      {2, "INSERT INTO a VALUES (1); CREATE TABLE b (y INTEGER)"},
      {3, "INSERT INTO a VALUES (2); CREATE TABLE broken (z INTEGER REFERENCES"},  // a syntax error
  };
  auto db = sqlite::Database::open(":memory:");
  REQUIRE(db);
  auto r = store::migrate(*db, patches, 3);
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.find("schema patch 3 failed") != std::string::npos);
  // Versions 1 and 2 stay applied; patch 3 left nothing behind.
  CHECK(db->query_int64("PRAGMA user_version").value() == 2);
  CHECK(db->query_int64("SELECT COUNT(*) FROM a").value() == 1);
  CHECK_FALSE(db->in_transaction());
}

TEST_CASE("a gap in the patch list is refused", "[store][migrations]") {
  const store::Migration patches[] = {{1, "CREATE TABLE a (x)"}, {3, "CREATE TABLE c (x)"}};
  auto db = sqlite::Database::open(":memory:");
  REQUIRE(db);
  auto r = store::migrate(*db, patches, 3);
  REQUIRE_FALSE(r);
  CHECK(r.error().detail.find("no schema patch from version 1") != std::string::npos);
}

TEST_CASE("open sets WAL, synchronous=NORMAL, foreign keys and creates the folder", "[store][migrations]") {
  TempDir dir;
  ManualClock clock(test::test_start());
  const std::string path = dir.file("state/sub/otklik.db");  // folders do not exist yet
  auto store = SqliteStore::open(path, clock);
  REQUIRE(store);
  auto& db = (*store)->database();
  CHECK(db.query_text("PRAGMA journal_mode").value() == "wal");
  CHECK(db.query_int64("PRAGMA synchronous").value() == 1);  // NORMAL
  CHECK(db.query_int64("PRAGMA foreign_keys").value() == 1);
  CHECK(db.query_int64("PRAGMA busy_timeout").value() == 5000);
  CHECK(std::filesystem::exists(path));
}

TEST_CASE("re-opening a database keeps its data and version", "[store][migrations]") {
  TempDir dir;
  ManualClock clock(test::test_start());
  const std::string path = dir.file("otklik.db");
  std::int64_t id = 0;
  {
    auto store = SqliteStore::open(path, clock);
    REQUIRE(store);
    auto r = (*store)->ingest(test::sample_mention("1"), test::sentiment_of(Label::neutral), {});
    REQUIRE(r);
    id = r->mention_id;
  }
  auto again = SqliteStore::open(path, clock);
  REQUIRE(again);
  CHECK(test::count(**again, "PRAGMA user_version") == store::latest_schema_version());
  CHECK((*again)->mentions_total().value() == 1);
  CHECK((*again)->mention(id).value().has_value());
}

TEST_CASE("a database newer than this build is refused", "[store][migrations]") {
  TempDir dir;
  ManualClock clock(test::test_start());
  const std::string path = dir.file("otklik.db");
  {
    auto db = sqlite::Database::open(path);
    REQUIRE(db);
    REQUIRE(db->exec("PRAGMA user_version = " + std::to_string(store::latest_schema_version() + 1)));
  }
  auto store = SqliteStore::open(path, clock);
  REQUIRE_FALSE(store);
  CHECK(store.error().code == make_error_code(errc::store_failed));
  const std::string expected = "database schema version " + std::to_string(store::latest_schema_version() + 1) +
                               " is newer than this build supports (" +
                               std::to_string(store::latest_schema_version()) + ")";
  CHECK(store.error().detail == path + ": " + expected);
  // Refusing does not touch the file.
  auto db = sqlite::Database::open(path);
  REQUIRE(db);
  CHECK(db->query_int64("PRAGMA user_version").value() == store::latest_schema_version() + 1);
}

TEST_CASE("a file that is not a database, or cannot be created, is refused", "[store][migrations]") {
  TempDir dir;
  ManualClock clock(test::test_start());
  SECTION("garbage file") {
    const std::string path = dir.file("garbage.db");
    std::ofstream(path) << std::string(4096, 'x');
    auto store = SqliteStore::open(path, clock);
    REQUIRE_FALSE(store);
    CHECK(store.error().code == make_error_code(errc::store_failed));
    CHECK(store.error().detail.find("not a database") != std::string::npos);
  }
  SECTION("parent is a file") {
    std::ofstream(dir.file("plain")) << "x";
    auto store = SqliteStore::open(dir.file("plain/otklik.db"), clock);
    REQUIRE_FALSE(store);
    CHECK(store.error().code == make_error_code(errc::store_failed));
  }
}

TEST_CASE("patch 4 recomputes the author keys of stored mentions", "[store][migrations]") {
  auto db = sqlite::Database::open(":memory:");
  REQUIRE(db);
  REQUIRE(store::migrate(*db, store::migrations().first(3), 3));
  // Keys as schema 3 wrote them: the name in the written order, the profile URL with its tracking.
  REQUIRE(db->exec("INSERT INTO mentions (source, external_id, author, author_id, text, text_hash, fetched_at, label, "
                   "score, confidence, lang, sentiment_json, first_seen_at, updated_at, author_id_key, "
                   "author_name_key) VALUES "
                   "('maps', '1', 'Петров Иван', 'https://example.org/u/7?utm_source=x', 't', 'h', 0, 'negative', "
                   "-1, 1, 'ru', '{}', 0, 0, 'maps#example.org/u/7?utm_source=x', 'петров иван'), "
                   "('maps', '2', 'Пользователь 12345', '', 't', 'h', 0, 'negative', -1, 1, 'ru', '{}', 0, 0, '', "
                   "'пользователь 12345')"));
  REQUIRE(store::migrate(*db));
  CHECK(db->query_int64("PRAGMA user_version").value() == store::latest_schema_version());
  auto st = db->prepare("SELECT author_id_key, author_name_key FROM mentions ORDER BY external_id");
  REQUIRE(st);
  REQUIRE(st->step().value());
  const auto first = understanding::author_keys("maps", "Петров Иван", "https://example.org/u/7?utm_source=x");
  CHECK(st->text(0) == first.id_key);
  CHECK(st->text(1) == first.name_key);
  CHECK(first.name_key == understanding::author_keys("maps", "Иван Петров", "").name_key);
  CHECK(first.id_key.find("utm_source") == std::string::npos);
  REQUIRE(st->step().value());
  CHECK(st->text(1).empty());  // a generic name gives no key any more
}

TEST_CASE("patch 8 indexes the words of stored mentions (deflated texts too)", "[store][migrations][search]") {
  TempDir dir;
  const std::string path = dir.file("otklik.db");
  std::string long_text;
  for (int i = 0; i < 30; ++i) long_text += "очередь у кассы снова ";
  {
    auto db = sqlite::Database::open(path);
    REQUIRE(db);
    REQUIRE(store::migrate(*db, store::migrations().first(7), 7));
    auto st = db->prepare("INSERT INTO mentions (source, external_id, title, text, text_hash, fetched_at, label, score, "
                          "confidence, lang, sentiment_json, first_seen_at, updated_at, event_at) "
                          "VALUES ('reviews', ?1, ?2, ?3, '', 0, 'negative', -1, 1, 'ru', '', 0, 0, ?4)");
    REQUIRE(st);
    st->bind(1, "plain");
    st->bind(2, "Касса");
    st->bind(3, "Кассир нахамил");
    st->bind(4, std::int64_t{1000});
    REQUIRE(st->run());
    st->reset();
    st->bind(1, "packed");
    st->bind(2, "Очередь");
    st->bind_blob(3, store::pack(long_text));
    st->bind(4, std::int64_t{2000});
    REQUIRE(st->run());
  }
  ManualClock clock(test::test_start());
  auto store = SqliteStore::open(path, clock);
  REQUIRE(store);
  CHECK(test::count(**store, "PRAGMA user_version") == store::latest_schema_version());
  auto search = [&](const std::string& text) {
    InboxFilter f;
    f.text = text;
    std::vector<std::string> titles;
    for (const auto& r : (*store)->inbox(InboxQuery{f, std::nullopt, 10}).value().rows) titles.push_back(r.title);
    return titles;
  };
  using V = std::vector<std::string>;
  CHECK(search("кассир") == V{"Касса"});
  CHECK(search("касс") == V{"Очередь", "Касса"});
  CHECK(search("снова очеред") == V{"Очередь"});
  // An edit takes the migrated words out (the deflated text read back as it was indexed).
  Mention m = test::sample_mention("packed", "деньги вернули");
  m.title = "Возврат";
  REQUIRE((*store)->ingest(m, test::sentiment_of(Label::negative), AlertPolicy{}));
  CHECK(search("снова").empty());
  CHECK(search("очеред").empty());
  CHECK(search("вернули") == V{"Возврат"});
  CHECK(search("касс") == V{"Касса"});
}

TEST_CASE("patch 10 adds the replies and keeps what is stored", "[store][migrations][replies]") {
  TempDir dir;
  const std::string path = dir.file("otklik.db");
  {
    auto db = sqlite::Database::open(path);
    REQUIRE(db);
    REQUIRE(store::migrate(*db, store::migrations().first(9), 9));
    REQUIRE(db->exec("INSERT INTO mentions (source, external_id, text, text_hash, fetched_at, label, score, "
                     "confidence, lang, sentiment_json, first_seen_at, updated_at, event_at) "
                     "VALUES ('reviews', 'kept', 'Спасибо!', '', 0, 'positive', 0.5, 1, 'ru', '', 1000, 1000, 1000)"));
    REQUIRE(db->exec("INSERT INTO outbox (channel, kind, mention_id, next_attempt_at, created_at) "
                     "VALUES ('telegram', 'alert', 1, 0, 0)"));
  }
  ManualClock clock(test::test_start());
  auto store = SqliteStore::open(path, clock);
  REQUIRE(store);
  CHECK(test::count(**store, "PRAGMA user_version") == store::latest_schema_version());
  CHECK(test::count(**store, "SELECT COUNT(*) FROM mentions WHERE external_id = 'kept'") == 1);
  CHECK(test::count(**store, "SELECT COUNT(*) FROM outbox") == 1);
  CHECK(test::count(**store, "SELECT COUNT(*) FROM replies") == 0);
  // The stored positive is a candidate of the auto-reply pass and can be answered.
  const auto candidates = (*store)->auto_reply_candidates("reviews", store::from_ms(0), store::from_ms(2000), 10);
  REQUIRE(candidates);
  REQUIRE(candidates->size() == 1);
  auto queued = (*store)->queue_auto_reply(candidates->front(), "Спасибо за отзыв!", test::test_start());
  REQUIRE(queued);
  CHECK(queued->has_value());
}
