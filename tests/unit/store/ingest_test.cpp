#include "store_test_support.hpp"
#include "tests/support/catch_result.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <tuple>
#include <vector>

using namespace otklik;
using namespace std::chrono_literals;
using test::count;
using test::sample_mention;
using test::sentiment_of;

namespace {

struct Step {
  std::string text;
  Label label;
  bool alert_new;
  IngestOutcome outcome;
  int alerts;  ///< rows this step queues
  std::string title = "Delivery";
};

struct Case {
  const char* name;
  std::vector<Step> steps;
};

constexpr auto neg = Label::negative;
constexpr auto pos = Label::positive;
constexpr auto neu = Label::neutral;
constexpr auto ins = IngestOutcome::inserted;
constexpr auto upd = IngestOutcome::updated;
constexpr auto same = IngestOutcome::unchanged;

test::FreshStore memory_store(Clock& clock) { return test::FreshStore(clock); }

}  // namespace

TEST_CASE("ingest decides insert/update/unchanged and when to queue alerts", "[store][ingest]") {
  const std::vector<Case> cases = {
      {"new negative queues one row per channel", {{"bad", neg, true, ins, 2}}},
      {"new positive queues nothing", {{"good", pos, true, ins, 0}}},
      {"new neutral queues nothing", {{"meh", neu, true, ins, 0}}},
      {"baseline negative queues nothing", {{"bad", neg, false, ins, 0}}},
      {"same text again is unchanged", {{"bad", neg, true, ins, 2}, {"bad", neg, true, same, 0}}},
      {"same text scored differently is still unchanged", {{"bad", pos, true, ins, 0}, {"bad", neg, true, same, 0}}},
      {"edit positive to negative alerts once",
       {{"good", pos, true, ins, 0}, {"bad", neg, true, upd, 2}, {"bad", neg, true, same, 0},
        {"worse", neg, true, upd, 0}}},
      {"edit negative to negative does not alert", {{"bad", neg, true, ins, 2}, {"worse", neg, true, upd, 0}}},
      {"edit of a silent baseline negative does not alert", {{"bad", neg, false, ins, 0}, {"worse", neg, true, upd, 0}}},
      {"negative, positive, negative again alerts twice",
       {{"bad", neg, true, ins, 2}, {"fixed", pos, true, upd, 0}, {"bad again", neg, true, upd, 2}}},
      {"edit to neutral does not alert", {{"good", pos, true, ins, 0}, {"meh", neu, true, upd, 0}}},
      {"a title edit is an edit", {{"bad", pos, true, ins, 0}, {"bad", neg, true, upd, 2, "Delivery!"}}},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      ManualClock clock(test::test_start());
      auto store = memory_store(clock);
      int total = 0;
      std::int64_t id = 0;
      for (std::size_t i = 0; i < c.steps.size(); ++i) {
        const Step& step = c.steps[i];
        INFO("step " << i);
        Mention m = sample_mention("42", step.text);
        m.title = step.title;
        auto r = store->ingest(m, sentiment_of(step.label), test::two_channels(step.alert_new));
        REQUIRE(r);
        CHECK(r->outcome == step.outcome);
        CHECK(r->alerts_queued == step.alerts);
        if (i == 0) id = r->mention_id;
        CHECK(r->mention_id == id);
        total += step.alerts;
        CHECK(count(*store, "SELECT COUNT(*) FROM outbox") == total);
        clock.advance(1min);
      }
      CHECK(store->mentions_total().value() == 1);
      CHECK(count(*store, "SELECT COUNT(*) FROM outbox WHERE mention_id = " + std::to_string(id) +
                              " AND state = 'pending'") == total);
    }
  }
}

TEST_CASE("a stored mention reads back with its sentiment and times", "[store][ingest]") {
  ManualClock clock(test::test_start());
  auto store = memory_store(clock);
  Mention m = sample_mention("7", "Курьер опоздал на два часа");
  m.company_reply = "Sorry!";
  m.subject = "арт. 12345678 · «Куртка зимняя»";
  Sentiment s = sentiment_of(Label::negative);
  s.lang = Lang::ru;
  s.why.push_back({"опоздал", -0.4375});
  auto r = store->ingest(m, s, {});
  REQUIRE(r);
  // A negative keeps the whole sentiment: sentences and "why", as alerts show them.
  auto first = store->mention(r->mention_id);
  REQUIRE(first);
  REQUIRE(first->has_value());
  CHECK((*first)->sentiment == s);
  CHECK((*first)->mention.subject == m.subject);

  clock.advance(90s);
  Mention edited = m;
  edited.text = "Курьер опоздал на три часа";
  edited.subject = "арт. 12345678 · «Куртка зимняя», размер 48";
  edited.rating.reset();
  edited.published.reset();
  Sentiment s2 = sentiment_of(Label::positive);
  auto r2 = store->ingest(edited, s2, {});
  REQUIRE(r2);
  CHECK(r2->outcome == IngestOutcome::updated);
  CHECK(r2->previous_label == Label::negative);

  auto got = store->mention(r->mention_id);
  REQUIRE(got);
  REQUIRE(got->has_value());
  const StoredMention& sm = **got;
  CHECK(sm.id == r->mention_id);
  CHECK(sm.mention == edited);
  // Not negative: label, score, confidence and language only (lean storage; the scorer is
  // deterministic for the rest).
  Sentiment lean = s2;
  lean.sentences.clear();
  lean.why.clear();
  CHECK(sm.sentiment == lean);
  CHECK(sm.first_seen == test::test_start());
  CHECK(sm.updated == test::test_start() + 90s);

  auto missing = store->mention(r->mention_id + 100);
  REQUIRE(missing);
  CHECK_FALSE(missing->has_value());
}

TEST_CASE("a rating change is an edit, a new company reply is stored quietly", "[store][ingest]") {
  ManualClock clock(test::test_start());
  auto store = memory_store(clock);
  Mention m = sample_mention("9");
  m.rating = 4.0;
  auto first = store->ingest(m, sentiment_of(Label::positive), test::two_channels());
  REQUIRE(first);

  Mention replied = m;
  replied.company_reply = "Thank you";
  auto r = store->ingest(replied, sentiment_of(Label::positive), test::two_channels());
  REQUIRE(r);
  CHECK(r->outcome == IngestOutcome::unchanged);
  CHECK(store->mention(first->mention_id).value()->mention.company_reply == "Thank you");

  Mention downgraded = replied;
  downgraded.rating = 1.0;
  r = store->ingest(downgraded, sentiment_of(Label::negative), test::two_channels());
  REQUIRE(r);
  CHECK(r->outcome == IngestOutcome::updated);
  CHECK(r->alerts_queued == 2);
}

TEST_CASE("the same external id in two sources is two mentions", "[store][ingest]") {
  ManualClock clock(test::test_start());
  auto store = memory_store(clock);
  Mention a = sample_mention("1");
  Mention b = a;
  b.source = "other";
  auto ra = store->ingest(a, sentiment_of(Label::neutral), {});
  auto rb = store->ingest(b, sentiment_of(Label::neutral), {});
  REQUIRE(ra);
  REQUIRE(rb);
  CHECK(ra->mention_id != rb->mention_id);
  CHECK(rb->outcome == IngestOutcome::inserted);
  CHECK(store->mentions_total().value() == 2);
}

TEST_CASE("a failing alert row rolls the mention back too", "[store][ingest]") {
  ManualClock clock(test::test_start());
  auto store = memory_store(clock);
  AlertPolicy bad = test::two_channels();
  bad.alerts.push_back({"", "alert", ""});  // violates CHECK (length(channel) > 0) after two good rows

  SECTION("on insert") {
    auto r = store->ingest(sample_mention("1", "awful"), sentiment_of(Label::negative), bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::store_failed));
    CHECK(r.error().detail.find(test::kCheckViolation) != std::string::npos);
    CHECK(store->mentions_total().value() == 0);
    CHECK(count(*store, "SELECT COUNT(*) FROM outbox") == 0);
  }
  SECTION("on update") {
    auto first = store->ingest(sample_mention("1", "fine"), sentiment_of(Label::positive), bad);
    REQUIRE(first);
    auto r = store->ingest(sample_mention("1", "awful"), sentiment_of(Label::negative), bad);
    REQUIRE_FALSE(r);
    auto kept = store->mention(first->mention_id).value();
    REQUIRE(kept);
    CHECK(kept->mention.text == "fine");
    CHECK(kept->sentiment.label == Label::positive);
    CHECK(count(*store, "SELECT COUNT(*) FROM outbox") == 0);
  }
  // The store is usable afterwards (no transaction left open).
  CHECK_FALSE(test::in_transaction(*store));
  auto ok = store->ingest(sample_mention("2", "awful"), sentiment_of(Label::negative), test::two_channels());
  REQUIRE(ok);
  CHECK(ok->alerts_queued == 2);
}

TEST_CASE("queued alerts survive the store going away", "[store][ingest][durability]") {
  const test::StoreSite site;
  ManualClock clock(test::test_start());

  SECTION("store object dropped") {
    {
      auto store = site.open(clock);
      REQUIRE(store->ingest(sample_mention("1"), sentiment_of(Label::negative), test::two_channels()));
    }
  }
  SECTION("process killed without closing anything") {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      auto store = site.open(clock);
      const bool ok =
          store->ingest(sample_mention("1"), sentiment_of(Label::negative), test::two_channels()).has_value();
      ::_exit(ok ? 0 : 1);  // no destructors, no close of the connection: like a crash after the commit
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
  }

  auto reopened = site.open(clock);
  auto counts = reopened->outbox_counts();
  REQUIRE(counts);
  CHECK(counts->pending == 2);
  auto leased = reopened->lease("telegram", test::test_start(), 30s, 10);
  REQUIRE(leased);
  REQUIRE(leased->size() == 1);
  CHECK(reopened->mention(leased->front().mention_id).value().has_value());
}

TEST_CASE("long texts and negative details are stored packed and read back whole", "[store][ingest][packed]") {
  ManualClock clock(test::test_start());
  auto store = memory_store(clock);
  std::string long_text;
  while (long_text.size() < 2000) long_text += "The courier was late again and nobody called back. ";
  auto r = store->ingest(sample_mention("long", long_text), sentiment_of(Label::negative), test::two_channels());
  REQUIRE(r);
  auto s = store->ingest(sample_mention("short", "late"), sentiment_of(Label::positive), test::two_channels());
  REQUIRE(s);
  // How each backend tells packed from plain: SQLite by the value's type (BLOB), PostgreSQL by
  // the marker byte in front of the BYTEA (packed_text.hpp: to_marked).
#if defined(OTKLIK_TEST_PG)
  const std::string packed = "get_byte(text, 0) = 1";
  const std::string plain = "get_byte(text, 0) = 0";
#else
  const std::string packed = "typeof(text) = 'blob'";
  const std::string plain = "typeof(text) = 'text'";
#endif
  const std::string long_id = std::to_string(r->mention_id);
  const std::string short_id = std::to_string(s->mention_id);
  CHECK(count(*store, "SELECT COUNT(*) FROM mentions WHERE id = " + long_id + " AND " + packed) == 1);
  CHECK(count(*store, "SELECT COUNT(*) FROM mentions WHERE id = " + short_id + " AND " + plain) == 1);
  CHECK(count(*store, "SELECT length(text) FROM mentions WHERE id = " + long_id) * 2 <
        static_cast<std::int64_t>(long_text.size()));
  auto got = store->mention(r->mention_id).value();
  REQUIRE(got);
  CHECK(got->mention.text == long_text);
  CHECK(got->sentiment.why == sentiment_of(Label::negative).why);
  CHECK(store->mention(s->mention_id).value()->mention.text == "late");
}

TEST_CASE("ingest_batch: an item that fails rolls back alone (a savepoint each)", "[store][ingest][batch]") {
  ManualClock clock(test::test_start());
  auto store = memory_store(clock);
  CHECK(store->ingest_batch({}).value().empty());

  AlertPolicy bad = test::two_channels();
  bad.alerts.push_back({"", "alert", ""});  // the third row violates CHECK (length(channel) > 0)
  auto first = store->ingest(sample_mention("edit", "fine"), sentiment_of(Label::positive), test::two_channels());
  REQUIRE(first);

  std::vector<IngestItem> items;
  items.push_back({sample_mention("a", "awful"), sentiment_of(Label::negative), {}, test::two_channels()});
  items.push_back({sample_mention("b", "awful too"), sentiment_of(Label::negative), {}, bad});
  items.push_back({sample_mention("edit", "awful now"), sentiment_of(Label::negative), {}, bad});
  items.push_back({sample_mention("c", "fine"), sentiment_of(Label::positive), {}, test::two_channels()});
  items.push_back({sample_mention("a", "awful"), sentiment_of(Label::negative), {}, test::two_channels()});
  auto results = store->ingest_batch(items);
  REQUIRE(results);
  REQUIRE(results->size() == 5);
  REQUIRE((*results)[0]);
  CHECK((*results)[0]->outcome == IngestOutcome::inserted);
  CHECK((*results)[0]->alerts_queued == 2);
  REQUIRE_FALSE((*results)[1]);
  CHECK((*results)[1].error().detail.find(test::kCheckViolation) != std::string::npos);
  REQUIRE_FALSE((*results)[2]);  // a failed edit keeps the stored version
  REQUIRE((*results)[3]);
  CHECK((*results)[3]->outcome == IngestOutcome::inserted);
  REQUIRE((*results)[4]);  // the batch sees its own earlier items
  CHECK((*results)[4]->outcome == IngestOutcome::unchanged);
  CHECK((*results)[4]->mention_id == (*results)[0]->mention_id);

  CHECK_FALSE(test::in_transaction(*store));
  CHECK(store->mentions_total().value() == 3);
  CHECK_FALSE(store->mention_id("reviews", "b").value().has_value());
  auto kept = store->mention(first->mention_id).value();
  REQUIRE(kept);
  CHECK(kept->mention.text == "fine");
  CHECK(count(*store, "SELECT COUNT(*) FROM outbox") == 2);
  CHECK(count(*store, "SELECT COUNT(*) FROM cases") == 1);
  CHECK(count(*store, "SELECT COALESCE(SUM(n), 0) FROM negative_counts WHERE topic = ''") == 1);
}

TEST_CASE("ingest_batch: rows prepared on the work threads store what the store would make", "[store][ingest][batch]") {
  ManualClock clock(test::test_start());
  auto store = memory_store(clock);
  std::string long_text;
  while (long_text.size() < 2000) long_text += "The courier was late again and nobody called back. ";
  std::vector<IngestItem> plain, prepared;
  for (const auto& [id, text, label] : {std::tuple{"long", long_text, Label::negative},
                                         std::tuple{"short", std::string("late"), Label::negative},
                                         std::tuple{"fine", std::string("all good, thanks"), Label::positive}}) {
    plain.push_back({sample_mention(std::string("p-") + id, text), sentiment_of(label), {}, test::two_channels()});
    IngestItem item{sample_mention(std::string("q-") + id, text), sentiment_of(label), {}, test::two_channels()};
    prepare_row(item);
    CHECK(item.prepared.ready);
    CHECK(item.prepared.text_hash == text_hash(item.mention));
    CHECK(item.prepared.sentiment_json.empty() == (label != Label::negative));
    prepared.push_back(std::move(item));
  }
  CHECK(prepared[0].prepared.packed_text.size() * 2 < long_text.size());  // deflated
  CHECK(prepared[1].prepared.packed_text.empty());                        // too short to pack
  auto a = store->ingest_batch(plain).value();
  auto b = store->ingest_batch(prepared).value();
  REQUIRE(a.size() == 3);
  REQUIRE(b.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    REQUIRE(a[i]);
    REQUIRE(b[i]);
    CHECK(b[i]->alerts_queued == a[i]->alerts_queued);
    const auto x = store->mention(a[i]->mention_id).value();
    const auto y = store->mention(b[i]->mention_id).value();
    REQUIRE(x);
    REQUIRE(y);
    CHECK(y->mention.text == x->mention.text);
    CHECK(y->sentiment.label == x->sentiment.label);
    CHECK(y->sentiment.why == x->sentiment.why);
    CHECK(y->sentiment.sentences.size() == x->sentiment.sentences.size());
  }
  // Same stored bytes: the prepared text is what the store would have packed.
  CHECK(count(*store, "SELECT COUNT(*) FROM mentions p JOIN mentions q ON q.external_id = 'q-' || substr(p.external_id, 3) "
                      "WHERE p.external_id LIKE 'p-%' AND p.text = q.text AND p.content_hash = q.content_hash "
                      "AND p.sentiment_json = q.sentiment_json AND p.understanding_json = q.understanding_json") == 3);
  // An unchanged item is found by the prepared hash too.
  auto again = store->ingest_batch(prepared).value();
  for (const auto& r : again) {
    REQUIRE(r);
    CHECK(r->outcome == IngestOutcome::unchanged);
  }
}
