// The PostgreSQL store's full-text search column (daemon/store/pg/search_index.hpp): folded in C++
// so that a database with a C ctype finds Cyrillic in any case; rows stored before schema version
// 8 (or by an older build during an upgrade) filled when the store opens, in batches, skipping
// rows another session holds.
#include "daemon/store/packed_text.hpp"
#include "daemon/store/pg/migrations.hpp"
#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/pg/search_index.hpp"
#include "daemon/store/pg/transaction.hpp"
#include "pg_test_support.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/store/store_test_support.hpp"

#include <string>
#include <vector>

using namespace otklik;
using otklik::test::TestDatabase;
namespace pg = otklik::store::pg;

namespace {

std::int64_t scalar(pg::Connection& c, const std::string& sql) {
  auto r = c.query(sql);
  REQUIRE(r);
  return r->int64(0, 0).value();
}

std::vector<std::int64_t> found(store::PgStore& store, const std::string& text) {
  InboxQuery q;
  q.filter.text = text;
  q.limit = 200;
  auto page = store.inbox(q);
  REQUIRE(page);
  std::vector<std::int64_t> ids;
  for (const auto& r : page->rows) ids.push_back(r.id);
  return ids;
}

/// A mention row as version 7 wrote it (no search column yet), with a marked text.
void insert_v7_mention(pg::Connection& c, const std::string& external_id, const std::string& title,
                       const std::string& marked_text) {
  REQUIRE(c.query("INSERT INTO mentions (source, external_id, title, text, fetched_at, text_hash, label, score, "
                  "confidence, lang, sentiment_json, first_seen_at, updated_at, event_at) "
                  "VALUES ('reviews', $1, $2, $3::bytea, 1795000000000, '', 'neutral', 0, 0.5, 'ru', ''::bytea, "
                  "1795000000000, 1795000000000, 1795000000000)",
                  {external_id, title, pg::Param::bytea(marked_text)}));
}

}  // namespace

TEST_CASE("search folds Cyrillic in C++: found in any case in a database whose ctype is C", "[store][pg][search]") {
  TestDatabase db("TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
  ManualClock clock(test::test_start());
  auto store = store::PgStore::open(db.options(), clock);
  REQUIRE(store);
  // PostgreSQL's own lower() knows no Cyrillic here: what the store must not rely on.
  REQUIRE(scalar((*store)->connection(), "SELECT (lower('ОЧЕРЕДЬ') = 'ОЧЕРЕДЬ')::int") == 1);

  const auto id = (*store)->ingest(test::sample_mention("1", "Стояли в ОЧЕРЕДИ у Кассы"), test::sentiment_of(Label::negative),
                                   {}, {})
                      .value()
                      .mention_id;
  (void)(*store)->ingest(test::sample_mention("2", "Всё хорошо"), test::sentiment_of(Label::positive), {}, {}).value();
  for (const char* q : {"очеред", "ОЧЕРЕДИ", "Очеред", "касс кассы", "стоял"}) {
    INFO(q);
    CHECK(found(**store, q) == std::vector<std::int64_t>{id});
  }
  CHECK(found(**store, "очередь").empty());  // «очереди» does not start with «очередь»
}

TEST_CASE("mentions stored before version 8 are searchable once the store opens", "[store][pg][search]") {
  TestDatabase db;
  {
    auto c = db.connect();
    REQUIRE(pg::migrate(c, pg::migrations().first(7), 7));
    std::string long_text;
    for (int i = 0; i < 40; ++i) long_text += "Курьер опоздал снова и не позвонил. ";
    const std::string packed = store::to_marked(long_text);
    REQUIRE(packed.front() == store::kPackedMarker);
    insert_v7_mention(c, "packed", "Доставка", packed);
    insert_v7_mention(c, "plain", "Касса", store::to_marked("Очередь у кассы"));
    insert_v7_mention(c, "empty", "Только заголовок", "");
    insert_v7_mention(c, "broken", "Битый текст", std::string("\x07garbage", 8));  // an unknown marker
    // Enough rows for several batches of the fill.
    REQUIRE(c.exec("INSERT INTO mentions (source, external_id, title, text, fetched_at, text_hash, label, score, "
                   "confidence, lang, sentiment_json, first_seen_at, updated_at, event_at) "
                   "SELECT 'bulk', 'b' || i, 'Отзыв', '\\x00'::bytea || convert_to('номер' || i, 'UTF8'), 0, '', "
                   "'neutral', 0, 0.5, 'ru', ''::bytea, 0, 0, i FROM generate_series(1, 1203) AS i"));
  }
  ManualClock clock(test::test_start());
  auto store = store::PgStore::open(db.options(), clock);
  REQUIRE(store);
  auto& c = (*store)->connection();
  CHECK(scalar(c, "SELECT count(*) FROM mentions WHERE search IS NULL") == 0);
  const auto id = [&](const std::string& external_id) {
    return scalar(c, "SELECT id FROM mentions WHERE external_id = '" + external_id + "'");
  };
  CHECK(found(**store, "курьер позвонил") == std::vector<std::int64_t>{id("packed")});
  CHECK(found(**store, "доставка") == std::vector<std::int64_t>{id("packed")});
  CHECK(found(**store, "очередь касс") == std::vector<std::int64_t>{id("plain")});
  CHECK(found(**store, "заголовок") == std::vector<std::int64_t>{id("empty")});
  CHECK(found(**store, "битый") == std::vector<std::int64_t>{id("broken")});  // by its title
  CHECK(found(**store, "номер1203") == std::vector<std::int64_t>{id("b1203")});
  CHECK(found(**store, "номер120").size() == 5);  // 120, 1200…1203
}

TEST_CASE("rows left without words are filled at the next open, and rows another session holds are skipped",
          "[store][pg][search]") {
  TestDatabase db;
  ManualClock clock(test::test_start());
  std::int64_t first = 0, second = 0;
  {
    auto store = store::PgStore::open(db.options(), clock).value();
    first = store->ingest(test::sample_mention("1", "late courier"), test::sentiment_of(Label::negative), {}, {})
                .value()
                .mention_id;
    second = store->ingest(test::sample_mention("2", "late parcel"), test::sentiment_of(Label::negative), {}, {})
                 .value()
                 .mention_id;
    // As an older build still running during an upgrade writes them: no words.
    REQUIRE(store->connection().exec("UPDATE mentions SET search = NULL"));
    CHECK(found(*store, "late").empty());
  }
  auto holder = db.connect();
  auto tx = pg::Transaction::begin(holder);
  REQUIRE(tx);
  REQUIRE(holder.query("SELECT 1 FROM mentions WHERE id = $1 FOR UPDATE", {first}));

  auto store = store::PgStore::open(db.options(), clock).value();
  CHECK(found(*store, "late") == std::vector<std::int64_t>{second});  // the held row waits its turn
  REQUIRE(tx->commit());
  auto filled = pg::fill_missing_search(store->connection());
  REQUIRE(filled);
  CHECK(*filled == 1);
  CHECK(found(*store, "late") == std::vector<std::int64_t>{second, first});
  CHECK(pg::fill_missing_search(store->connection()).value() == 0);
}
