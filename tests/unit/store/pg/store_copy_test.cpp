// `otklik store copy` (daemon/store/store_copy.hpp): a SQLite store filled through its roles,
// copied into a fresh PostgreSQL database, reads back equal through PgStore's roles; new rows get
// fresh ids; a target holding rows is refused untouched; every table and column of the SQLite
// schema is either copied or named as left out.
#include "daemon/store/migrations.hpp"
#include "daemon/store/pg/migrations.hpp"
#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/sentiment_json.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_copy.hpp"
#include "daemon/store/store_detail.hpp"
#include "daemon/understanding/author.hpp"
#include "pg_test_support.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/store/seed_history.hpp"
#include "tests/unit/store/role_workout.hpp"
#include "tests/unit/store/store_test_support.hpp"

#include <map>
#include <set>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

using test::test_start;

/// A SQLite store in a file of its own, filled through its roles as a daemon would have.
struct FilledSqlite {
  test::TempDir dir;
  std::string path = dir.file("otklik.db");
  ManualClock clock{test_start()};
  std::int64_t long_packed = 0, long_plain = 0, leased_outbox = 0;

  FilledSqlite() {
    auto store = SqliteStore::open(path, clock).value();
    test::SeedOptions seed;
    seed.mentions = 300;
    seed.sources = 3;
    seed.weeks = 2;
    seed.authors = 20;
    REQUIRE(test::seed_history(*store, clock, test_start(), seed));
    test::use_every_role(*store, test_start());

    // Long texts: one stored packed (a BLOB), one as plain TEXT (as rows of older versions are).
    const TimePoint t = test_start();
    understanding::Understanding u;
    u.topics = {"waiting", "rude"};
    std::string long_text;
    for (int i = 0; i < 40; ++i) long_text += "The courier was late again and nobody answered the phone. ";
    Mention m = test::sample_mention("long-1", long_text);
    long_packed = store->ingest(m, test::sentiment_of(Label::negative), u, test::two_channels()).value().mention_id;
    long_plain = store->ingest(test::sample_mention("long-2", "short"), test::sentiment_of(Label::negative), u,
                               test::two_channels())
                     .value()
                     .mention_id;
    REQUIRE(store->database().exec("UPDATE mentions SET text = '" + long_text + "x' WHERE id = " +
                                   std::to_string(long_plain)));
    REQUIRE(store->database().query_text("SELECT typeof(text) FROM mentions WHERE id = " +
                                         std::to_string(long_packed)).value() == "blob");
    REQUIRE(store->apply_case_action(long_packed, CaseAction::answer, Actor{"slack", "U1", "Anna"}, "called back", t));
    REQUIRE(store->apply_case_action(long_plain, CaseAction::dismiss, Actor{"telegram", "7", "@b"}, "positive", t));

    // A pending row left leased (a dispatcher mid-send when the daemon stopped).
    auto leased = store->lease("slack", t + 1h, 600s, 1).value();
    REQUIRE(leased.size() == 1);
    leased_outbox = leased[0].id;

    SourceState broken = store->source_state("seed-2").value();
    broken.etag = "\"abc\"";
    broken.last_modified = "Mon, 23 Nov 2026 10:00:00 GMT";
    broken.consecutive_failures = 3;
    broken.last_attempt = t;
    broken.last_error = "captcha page";
    broken.cursor = "item-99";
    broken.empty_polls = 2;
    broken.broken_since = t - 1h;
    broken.broken_reason = "captcha page";
    REQUIRE(store->save_source_state(broken));
    REQUIRE(store->claim_digest("2026-W48", "x@y.z", "<pending>", t, 15min));
    REQUIRE(store->mark_digest_retry("2026-W48", "x@y.z", t + 1h, "421 try later"));

    // The web inbox: users, a session (not copied: everyone signs in again), the team's relabels.
    REQUIRE(store->add_user(WebUser{"anna", WebRole::agent, "$argon2id$v=19$x", t - 24h, t - 1h}));
    REQUIRE(store->add_user(WebUser{"boris", WebRole::admin, "", t, t}));
    REQUIRE(store->create_session(WebSession{"token-hash", "anna", WebRole::agent, "csrf", t, t, "10.0.0.1"}));
    REQUIRE(store->relabel(Relabel{long_plain, Label::positive, Actor{"web", "anna", "Anna"}, t + 1h}));
    REQUIRE(store->relabel(Relabel{long_packed, Label::neutral, Actor{"web", "boris", "Boris"}, t + 2h}));
    REQUIRE(store->relabel(Relabel{long_packed, Label::negative, Actor{"web", "anna", "Anna"}, t + 3h}));
  }
};

std::unique_ptr<SqliteStore> reopen(FilledSqlite& filled) { return SqliteStore::open(filled.path, filled.clock).value(); }

store::CopyReport copy(const std::string& path, store::pg::Connection& target) {
  auto source = store::open_copy_source(path);
  REQUIRE(source);
  auto report = store::copy_store(*source, target);
  INFO((report ? std::string() : report.error().message()));
  REQUIRE(report);
  return *report;
}

/// Copies `path` into `target`, which must fail; returns the failure's message.
std::string copy_fails(const std::string& path, store::pg::Connection& target) {
  auto source = store::open_copy_source(path);
  REQUIRE(source);
  auto copied = store::copy_store(*source, target);
  REQUIRE_FALSE(copied);
  CHECK_FALSE(target.in_transaction());
  return copied.error().message();
}

/// The case timeline (case_events) as lines, from either backend.
std::vector<std::string> sqlite_events(SqliteStore& s) {
  auto st = s.database()
                .prepare("SELECT id, mention_id, action, actor_platform, actor_id, actor_name, note, changed, at "
                         "FROM case_events ORDER BY id")
                .value();
  std::vector<std::string> out;
  while (st.step().value()) {
    std::string line;
    for (int c = 0; c < 9; ++c) line += st.text(c) + "|";
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> pg_events(store::PgStore& s) {
  auto r = s.connection()
               .query("SELECT id, mention_id, action, actor_platform, actor_id, actor_name, note, changed, at "
                      "FROM case_events ORDER BY id")
               .value();
  std::vector<std::string> out;
  for (int row = 0; row < r.rows(); ++row) {
    std::string line;
    for (int c = 0; c < 9; ++c) line += r.text(row, c).value() + "|";
    out.push_back(line);
  }
  return out;
}

std::int64_t pg_count(store::pg::Connection& conn, const std::string& sql) {
  return conn.query(sql).value().int64(0, 0).value();
}

}  // namespace

TEST_CASE("store copy: the whole history reads back equal through PgStore's roles", "[store][pg][store_copy]") {
  FilledSqlite filled;
  test::TestDatabase db;
  auto target = db.connect();
  const auto report = copy(filled.path, target);
  CHECK(report.schema_version == store::latest_schema_version());
  CHECK(report.target_patches == store::pg::latest_schema_version());
  REQUIRE(report.tables.size() == store::copied_tables().size());

  auto from = reopen(filled);
  ManualClock clock{test_start()};
  auto to = store::PgStore::open(db.options(), clock).value();
  const TimePoint t = test_start();

  // Row counts per table, and the long texts carried packed / plain behind their marker.
  for (const auto& [table, rows] : report.tables) {
    CHECK(from->database().query_int64("SELECT COUNT(*) FROM " + table).value() == rows);
    CHECK(pg_count(to->connection(), "SELECT COUNT(*) FROM " + table) == rows);
  }
  CHECK(pg_count(to->connection(), "SELECT get_byte(text, 0) FROM mentions WHERE id = " +
                                       std::to_string(filled.long_packed)) == 1);
  CHECK(pg_count(to->connection(), "SELECT get_byte(text, 0) FROM mentions WHERE id = " +
                                       std::to_string(filled.long_plain)) == 0);

  // Mentions, their cases and posted alerts, one by one.
  CHECK(to->mentions_total().value() == from->mentions_total().value());
  const std::int64_t max_id = from->database().query_int64("SELECT MAX(id) FROM mentions").value();
  for (std::int64_t id = 1; id <= max_id; ++id) {
    INFO("mention " << id);
    auto a = from->mention(id).value();
    auto b = to->mention(id).value();
    REQUIRE(a.has_value() == b.has_value());
    if (!a) continue;
    CHECK(a->mention == b->mention);
    CHECK(store::sentiment_to_json(a->sentiment) == store::sentiment_to_json(b->sentiment));
    CHECK(a->understanding == b->understanding);
    CHECK(a->first_seen == b->first_seen);
    CHECK(a->updated == b->updated);
    auto ca = from->case_of(id).value();
    auto cb = to->case_of(id).value();
    CHECK(ca == cb);
    auto pa = from->posted_alerts(id).value();
    auto pb = to->posted_alerts(id).value();
    REQUIRE(pa.size() == pb.size());
    for (std::size_t i = 0; i < pa.size(); ++i) {
      CHECK(pa[i].outbox_id == pb[i].outbox_id);
      CHECK(pa[i].channel == pb[i].channel);
      CHECK(pa[i].remote_id == pb[i].remote_id);
      CHECK(pa[i].payload == pb[i].payload);
    }
  }
  CHECK(to->mention(filled.long_packed).value()->mention.text.size() > 2000);
  CHECK(sqlite_events(*from) == pg_events(*to));

  // The outbox: counts, and the row left leased is free again.
  const auto oa = from->outbox_counts().value();
  const auto ob = to->outbox_counts().value();
  CHECK(oa.pending == ob.pending);
  CHECK(oa.sent == ob.sent);
  CHECK(oa.dead == ob.dead);
  CHECK(oa.oldest_pending_created == ob.oldest_pending_created);
  CHECK(pg_count(to->connection(), "SELECT COUNT(*) FROM outbox WHERE lease_until IS NOT NULL") == 0);
  bool freed = false;
  for (const auto& item : to->lease("slack", t + 1h, 60s, 1000).value()) freed = freed || item.id == filled.leased_outbox;
  CHECK(freed);
  CHECK(from->channel_hold("telegram").value() == to->channel_hold("telegram").value());

  // Source states, cursors, spikes and their counts, the digest ledger, feedback, reports.
  auto sa = from->source_states().value();
  auto sb = to->source_states().value();
  REQUIRE(sa.size() == sb.size());
  std::map<std::string, SourceState> by_source;
  for (auto& s : sb) by_source[s.source] = s;
  for (const auto& s : sa) CHECK(s == by_source[s.source]);
  CHECK(by_source["seed-2"].broken_reason == "captcha page");
  CHECK(to->cursor("telegram:bot1").value() == from->cursor("telegram:bot1").value());
  CHECK(to->cursor("telegram:bot1").value() == std::optional<std::string>("42"));
  const std::int64_t minute = store::to_ms(t) / 60000;
  for (const std::string brand : {"Acme", "Bank"}) {
    CHECK(to->negative_counts(brand, "", minute - 60 * 24 * 30, minute).value() ==
          from->negative_counts(brand, "", minute - 60 * 24 * 30, minute).value());
    CHECK(to->negative_counts(brand, "waiting", minute - 60 * 24 * 30, minute).value() ==
          from->negative_counts(brand, "waiting", minute - 60 * 24 * 30, minute).value());
  }
  CHECK(to->active_spikes().value().size() == from->active_spikes().value().size());
  for (const std::string recipients : {"a@b.c", "x@y.z"}) {
    const std::string week = recipients == "a@b.c" ? "2026-W47" : "2026-W48";
    auto da = from->find_digest(week, recipients).value();
    auto dbr = to->find_digest(week, recipients).value();
    REQUIRE(da.has_value());
    REQUIRE(dbr.has_value());
    CHECK(da->message_id == dbr->message_id);
    CHECK(da->state == dbr->state);
    CHECK(da->attempts == dbr->attempts);
    CHECK(da->next_attempt == dbr->next_attempt);
    CHECK(da->last_error == dbr->last_error);
    CHECK(da->sent_at == dbr->sent_at);
    CHECK(to->latest_digest_sent(recipients).value() == from->latest_digest_sent(recipients).value());
  }
  auto fa = from->feedback(TimePoint{}).value();
  auto fb = to->feedback(TimePoint{}).value();
  REQUIRE(fa.size() == fb.size());
  REQUIRE_FALSE(fa.empty());
  for (std::size_t i = 0; i < fa.size(); ++i) {
    CHECK(fa[i].mention_id == fb[i].mention_id);
    CHECK(fa[i].label == fb[i].label);
    CHECK(fa[i].text == fb[i].text);
    CHECK(fa[i].at == fb[i].at);
    CHECK(fa[i].by == fb[i].by);
  }

  // The web inbox: users and relabels copied, sessions not; the copied mentions are searchable
  // (their search words computed from the copied texts) and the inbox reads the same pages.
  CHECK(to->users().value() == from->users().value());
  CHECK(to->users().value().size() == 2);
  CHECK(pg_count(to->connection(), "SELECT COUNT(*) FROM web_sessions") == 0);
  CHECK_FALSE(to->session("token-hash", t - 48h, t - 48h).value());
  for (std::int64_t id : {filled.long_packed, filled.long_plain}) {
    CHECK(to->relabels(id).value() == from->relabels(id).value());
    CHECK(to->inbox_row(id).value() == from->inbox_row(id).value());
  }
  CHECK(to->relabels(filled.long_packed).value().size() == 2);
  CHECK(pg_count(to->connection(), "SELECT COUNT(*) FROM mentions WHERE search IS NULL") == 0);
  for (const std::string text : {"", "жалоба", "ОЧЕРЕДИ", "Ужасное обслуживание", "still waiting", "nothing-like-this"}) {
    INFO("search " << text);
    InboxQuery q;
    q.filter.text = text;
    q.limit = 200;
    auto pa = from->inbox(q).value();
    auto pb = to->inbox(q).value();
    CHECK(pa.rows == pb.rows);
    CHECK(pa.next == pb.next);
  }
  // The words are those of the copied texts, packed or plain (the plain one was rewritten in the
  // file behind the SQLite store's back, so its own search table does not know it).
  InboxQuery courier;
  courier.filter.text = "courier answered phone";
  std::vector<std::int64_t> found;
  for (const auto& row : to->inbox(courier).value().rows) found.push_back(row.id);
  CHECK(found == std::vector<std::int64_t>{filled.long_plain, filled.long_packed});
  const ReportRange week{t - 7 * 24h, t + 1h}, prev{t - 14 * 24h, t - 7 * 24h};
  CHECK(to->count_rows(true, week, prev, {}).value() == from->count_rows(true, week, prev, {}).value());
  CHECK(to->topic_counts(week, prev, {}).value() == from->topic_counts(week, prev, {}).value());
  CHECK(to->broken_sources(t - 24h, {}).value() == from->broken_sources(t - 24h, {}).value());

  // Replies: each row, what each mention's alert shows, the auto-reply pass's candidates, and
  // the outcome of queueing a copied reply again (exactly once survives the move).
  const std::int64_t max_reply = from->database().query_int64("SELECT MAX(id) FROM replies").value();
  REQUIRE(max_reply >= 3);
  for (std::int64_t id = 1; id <= max_reply; ++id) {
    INFO("reply " << id);
    const auto ra = from->reply(id).value();
    CHECK(ra == to->reply(id).value());
    if (!ra) continue;
    CHECK(from->latest_reply(ra->mention_id).value() == to->latest_reply(ra->mention_id).value());
    if (ra->state != ReplyState::preview)
      CHECK(to->queue_reply(id, Actor{"web", "anna", "Anna"}, t).value() ==
            from->queue_reply(id, Actor{"web", "anna", "Anna"}, t).value());
  }
  CHECK(to->auto_reply_candidates("seed-1", t - 30 * 24h, t + 1h, 50).value() ==
        from->auto_reply_candidates("seed-1", t - 30 * 24h, t + 1h, 50).value());

  // An author's history.
  AuthorQuery q;
  q.name_key = understanding::author_keys("seed-1", test::seed_author(7), "").name_key;
  q.since = t - 30 * 24h;
  auto ha = from->author_history(q).value();
  auto hb = to->author_history(q).value();
  REQUIRE(ha.size() == hb.size());
  REQUIRE_FALSE(ha.empty());
  for (std::size_t i = 0; i < ha.size(); ++i) {
    CHECK(ha[i].mention_id == hb[i].mention_id);
    CHECK(ha[i].at == hb[i].at);
    CHECK(ha[i].topics == hb[i].topics);
    CHECK(ha[i].case_state == hb[i].case_state);
  }

  // New rows after the copy get fresh ids in every table with a sequence.
  auto fresh = to->ingest(test::sample_mention("after-copy"), test::sentiment_of(Label::negative), test::two_channels())
                   .value();
  CHECK(fresh.outcome == IngestOutcome::inserted);
  CHECK(fresh.mention_id == max_id + 1);
  const std::int64_t max_outbox = from->database().query_int64("SELECT MAX(id) FROM outbox").value();
  CHECK(to->enqueue({"chat", "notice", "{}", std::nullopt}, 0, t).value() > max_outbox);
  SpikeRecord spike;
  spike.brand = "Other";
  spike.started = t;
  REQUIRE(to->start_spike(spike, {}, t).value());
  const std::int64_t max_spike = from->database().query_int64("SELECT MAX(id) FROM spikes").value();
  CHECK(pg_count(to->connection(), "SELECT MAX(id) FROM spikes") > max_spike);
  const std::int64_t max_relabel = from->database().query_int64("SELECT MAX(id) FROM relabels").value();
  REQUIRE(to->relabel(Relabel{fresh.mention_id, Label::neutral, Actor{"web", "anna", "Anna"}, t}));
  CHECK(pg_count(to->connection(), "SELECT MAX(id) FROM relabels") == max_relabel + 1);
  ReplyRecord draft;
  draft.mention_id = fresh.mention_id;
  draft.text = "after the copy";
  CHECK(to->add_reply_preview(draft, t).value() == max_reply + 1);
  // A mention stored after the copy is searchable as any other.
  InboxQuery after_copy;
  after_copy.filter.text = "courier";
  after_copy.limit = 1;
  CHECK(to->inbox(after_copy).value().rows.at(0).id == fresh.mention_id);
}

TEST_CASE("store copy: a target holding rows is refused and left as it was", "[store][pg][store_copy]") {
  FilledSqlite filled;
  test::TestDatabase db;
  {
    ManualClock clock{test_start()};
    auto existing = store::PgStore::open(db.options(), clock).value();
    REQUIRE(existing->save_cursor("telegram:bot9", "7", test_start()));
  }
  auto target = db.connect();
  CHECK_THAT(copy_fails(filled.path, target), Catch::Contains("table cursors has rows"));
  CHECK(pg_count(target, "SELECT COUNT(*) FROM mentions") == 0);
  CHECK(pg_count(target, "SELECT COUNT(*) FROM cursors") == 1);

  // A database holding other data is refused before any schema is created in it.
  test::TestDatabase other;
  auto target3 = other.connect();
  REQUIRE(target3.exec("CREATE TABLE notes (x integer); INSERT INTO notes VALUES (1)"));
  CHECK_THAT(copy_fails(filled.path, target3), Catch::Contains("table notes has rows"));
  CHECK(pg_count(target3, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()") == 1);

  // A second copy into a database already copied into is refused too.
  test::TestDatabase db2;
  auto target2 = db2.connect();
  copy(filled.path, target2);
  CHECK_THAT(copy_fails(filled.path, target2), Catch::Contains("has rows"));
}

TEST_CASE("store copy: a NUL byte in a text column fails naming the row, and nothing is written",
          "[store][pg][store_copy]") {
  FilledSqlite filled;
  {
    auto s = reopen(filled);
    REQUIRE(s->database().exec("UPDATE mentions SET title = 'a' || char(0) || 'b' WHERE id = 5"));
  }
  test::TestDatabase db;
  auto target = db.connect();
  CHECK_THAT(copy_fails(filled.path, target), Catch::Contains("mentions row id=5: column title holds a NUL byte"));
  CHECK(pg_count(target, "SELECT COUNT(*) FROM mentions") == 0);
  CHECK(pg_count(target, "SELECT COUNT(*) FROM cursors") == 0);
}

TEST_CASE("store copy: a source of another schema version is refused", "[store][pg][store_copy]") {
  FilledSqlite filled;
  {
    auto s = reopen(filled);
    REQUIRE(s->database().exec("PRAGMA user_version = " + std::to_string(store::latest_schema_version() - 1)));
  }
  auto older = store::open_copy_source(filled.path);
  REQUIRE_FALSE(older);
  CHECK_THAT(older.error().message(), Catch::Contains("older than this build's"));
  CHECK_THAT(older.error().message(), Catch::Contains("to migrate it"));
  {
    auto db = sqlite::Database::open(filled.path).value();
    REQUIRE(db.exec("PRAGMA user_version = " + std::to_string(store::latest_schema_version() + 1)));
  }
  auto newer = store::open_copy_source(filled.path);
  REQUIRE_FALSE(newer);
  CHECK_THAT(newer.error().message(), Catch::Contains("is newer than this build supports"));
  auto missing = store::open_copy_source(filled.dir.file("nothing.db"));
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error().message(), Catch::Contains("no such file"));
}

// A future migration adds a table or a column: this fails until store_copy_tables.cpp copies it
// or names it as left out (runtime state).
TEST_CASE("store copy: every table and column of the schema is copied or named as left out",
          "[store][pg][store_copy]") {
  auto sqlite = sqlite::Database::open(":memory:").value();
  REQUIRE(store::migrate(sqlite));
  std::map<std::string, std::set<std::string>> sqlite_columns;
  {
    auto st = sqlite.prepare("SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
                             "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").value();
    while (st.step().value()) sqlite_columns[st.text(0)].insert(st.text(1));
  }
  test::TestDatabase db;
  auto pg = db.connect();
  REQUIRE(store::pg::migrate(pg));
  std::map<std::string, std::map<std::string, std::string>> pg_columns;
  {
    auto r = pg.query("SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns "
                      "WHERE table_schema = current_schema() AND table_name <> 'schema_version'")
                 .value();
    for (int row = 0; row < r.rows(); ++row)
      pg_columns[r.text(row, 0).value()][r.text(row, 1).value()] = r.text(row, 2).value();
  }

  std::set<std::string> not_copied(store::tables_not_copied().begin(), store::tables_not_copied().end());
  std::map<std::string, const store::CopyTable*> copied;
  for (const auto& t : store::copied_tables()) copied[std::string(t.name)] = &t;
  for (const auto& [table, columns] : sqlite_columns) {
    INFO("SQLite table " << table);
    CHECK(copied.count(table) + not_copied.count(table) == 1);
  }
  for (const auto& [table, columns] : pg_columns) {
    INFO("PostgreSQL table " << table);
    CHECK(copied.count(table) + not_copied.count(table) == 1);
  }
  for (const auto& [name, table] : copied) {
    INFO("copied table " << name);
    REQUIRE(sqlite_columns.count(name) == 1);
    std::set<std::string> named;
    for (const auto& c : table->columns) {
      INFO("column " << c.name);
      CHECK(named.insert(std::string(c.name)).second);
      const std::string pg_type = pg_columns[name][std::string(c.name)];
      switch (c.kind) {
        case store::CopyKind::integer: CHECK(pg_type == "bigint"); break;
        case store::CopyKind::real: CHECK(pg_type == "double precision"); break;
        case store::CopyKind::text: CHECK(pg_type == "text"); break;
        case store::CopyKind::packed: CHECK(pg_type == "bytea"); break;
      }
    }
    for (const auto& c : table->left_out) CHECK(named.insert(std::string(c)).second);
    CHECK(named == sqlite_columns[name]);
    // PostgreSQL's own columns are computed by the copy; every other one is copied or left out.
    for (const auto& c : table->computed) {
      CHECK(sqlite_columns[name].count(std::string(c)) == 0);
      CHECK(named.insert(std::string(c)).second);
    }
    std::set<std::string> in_pg;
    for (const auto& [column, type] : pg_columns[name]) in_pg.insert(column);
    CHECK(named == in_pg);
    CHECK(table->key_columns >= 1);
    CHECK(table->key_columns <= static_cast<int>(table->columns.size()));
  }
}
