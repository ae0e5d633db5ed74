#include "daemon/app/pipeline.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "fake_scorer.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/run_sync.hpp"

using namespace otklik;
using namespace std::chrono_literals;

namespace {

Mention item(std::string id, std::string text, std::optional<TimePoint> published) {
  Mention m;
  m.source = "feed";
  m.external_id = std::move(id);
  m.text = std::move(text);
  m.published = published;
  m.brand = "bank";
  return m;
}

RouteConfig route(std::string channel, Severity min) {
  RouteConfig r;
  r.channel = std::move(channel);
  r.min_severity = min;
  return r;
}

struct Fixture {
  ManualClock clock{TimePoint{} + 24h * 20000};
  std::unique_ptr<SqliteStore> store = std::move(SqliteStore::open(":memory:", clock).value());
  test::FakeScorer scorer;
  Router router{{route("chat", Severity::low), route("managers", Severity::high)}};
  std::unique_ptr<StoreExecutor> exec = StoreExecutor::inline_on(*store);
  Pipeline pipeline{scorer, router, *exec, Lang::automatic};
  SourceConfig source;
  Fixture() {
    source.name = "feed";
    source.alert_max_age = 48h;
  }
  int pending(const std::string& channel) {
    auto rows = store->lease(channel, clock.now() + 1h, 1s, 100);
    REQUIRE(rows);
    return static_cast<int>(rows->size());
  }
};

}  // namespace

TEST_CASE("the first poll is a silent baseline except for young items", "[pipeline]") {
  Fixture f;
  const TimePoint now = f.clock.now();
  SourceState first;  // polls == 0
  first.source = "feed";
  auto sum = test::run_sync(f.pipeline.ingest(f.source, first,
                               {item("old", "BAD old", now - 72h), item("young", "BAD young", now - 1h),
                                item("undated", "BAD undated", std::nullopt), item("fine", "great", now)},
                               now));
  CHECK(sum.inserted == 4);
  CHECK(sum.negative == 3);
  CHECK(sum.channels == std::set<std::string>{"chat", "managers"});
  CHECK(f.pending("chat") == 1);      // only "young"
  CHECK(f.pending("managers") == 1);  // severity high
}

TEST_CASE("after the baseline every new negative item alerts once, by severity", "[pipeline]") {
  Fixture f;
  const TimePoint now = f.clock.now();
  SourceState later;
  later.source = "feed";
  later.polls = 3;
  auto sum = test::run_sync(f.pipeline.ingest(f.source, later,
                               {item("a", "BAD", now - 700h), item("b", "MEH", now), item("c", "nice", now)}, now));
  CHECK(sum.negative == 2);
  CHECK(f.pending("chat") == 2);
  CHECK(f.pending("managers") == 1);  // only the high-severity one

  auto again = test::run_sync(f.pipeline.ingest(f.source, later, {item("a", "BAD", now - 700h)}, now));
  CHECK(again.unchanged == 1);
  CHECK(again.channels.empty());
}

TEST_CASE("a source's sensitivity decides whether the same text alerts and is stored negative",
          "[pipeline][sensitivity]") {
  // "MILD" scores -0.1 (the scorer: neutral), "MEH" -0.2 (negative), "BAD" -0.8 (negative).
  struct Case {
    std::optional<double> threshold;
    int negative;
    Label mild, meh;
  };
  const Case cases[] = {
      {-0.05, 3, Label::negative, Label::negative},        // high: MILD alerts too
      {std::nullopt, 2, Label::neutral, Label::negative},  // normal: the scorer's label
      {-0.30, 1, Label::neutral, Label::neutral},          // low: only BAD
  };
  for (const Case& c : cases) {
    CAPTURE(c.threshold.value_or(0.0));
    Fixture f;
    f.source.negative_threshold = c.threshold;
    const TimePoint now = f.clock.now();
    SourceState later;
    later.source = "feed";
    later.polls = 1;
    auto sum = test::run_sync(f.pipeline.ingest(f.source, later,
                                                {item("mild", "MILD slow answer", now), item("meh", "MEH", now),
                                                 item("bad", "BAD", now), item("ok", "nice", now)},
                                                now));
    CHECK(sum.inserted == 4);
    CHECK(sum.negative == c.negative);
    CHECK(sum.alerts_queued == c.negative + 1);  // "chat" for each negative, "managers" for BAD
    CHECK(f.pending("chat") == c.negative);
    CHECK(f.pending("managers") == 1);
    auto known = f.store->known("feed", {"mild", "meh", "ok"});
    REQUIRE(known);
    REQUIRE(known->size() == 3);
    for (const KnownItem& k : *known) {
      // The stored label follows the sensitivity (the digest and the inbox read it); the
      // positive item stays positive under any of them.
      CAPTURE(k.external_id);
      CHECK(k.label == (k.external_id == "mild" ? c.mild : k.external_id == "meh" ? c.meh : Label::positive));
    }
  }
}

TEST_CASE("may_alert follows the age limit on the first poll only", "[pipeline]") {
  SourceConfig src;
  src.alert_max_age = 48h;
  SourceState first, later;
  later.polls = 1;
  const TimePoint now = TimePoint{} + 24h * 20000;
  struct Case {
    std::optional<TimePoint> published;
    const SourceState* state;
    bool want;
  };
  const Case cases[] = {
      {now - 47h, &first, true},  {now - 49h, &first, false}, {std::nullopt, &first, false},
      {now - 49h, &later, true},  {std::nullopt, &later, true}, {now + 1h, &first, true},
  };
  for (const auto& c : cases) {
    Mention m;
    m.published = c.published;
    CHECK(may_alert(src, *c.state, m, now) == c.want);
  }
}

namespace {

Mention answered(std::string id, std::string text, TimePoint published, std::string reply) {
  Mention m = item(std::move(id), std::move(text), published);
  m.company_reply = std::move(reply);
  return m;
}

std::vector<OutboxItem> leased(Fixture& f, const std::string& channel) {
  auto rows = f.store->lease(channel, f.clock.now() + 1h, 1s, 100);
  REQUIRE(rows);
  return *rows;
}

}  // namespace

TEST_CASE("a review the company already answered on the site: inform, act or quiet", "[pipeline][reply]") {
  SourceState later;
  later.source = "feed";
  later.polls = 3;
  SECTION("inform (the default): alerted, its case opens answered on the site") {
    Fixture f;
    const TimePoint now = f.clock.now();
    auto sum = test::run_sync(f.pipeline.ingest(f.source, later, {answered("a", "BAD", now, "Здравствуйте! Вернули деньги.")}, now));
    CHECK(sum.answered_on_site == 1);
    const auto rows = leased(f, "chat");
    REQUIRE(rows.size() == 1);
    auto c = f.store->case_of(rows[0].mention_id);
    REQUIRE(c);
    REQUIRE(c->has_value());
    CHECK((*c)->state == CaseState::answered);
    REQUIRE((*c)->answered.has_value());
    CHECK((*c)->answered->by.platform == "site");
    CHECK((*c)->answered->by.id == "feed");
    CHECK((*c)->answered->at == now);
  }
  SECTION("act: alerted with a case like any other") {
    Fixture f;
    f.source.answered = AnsweredPolicy::act;
    const TimePoint now = f.clock.now();
    auto sum = test::run_sync(f.pipeline.ingest(f.source, later, {answered("a", "BAD", now, "Разбираемся.")}, now));
    CHECK(sum.answered_on_site == 0);
    const auto rows = leased(f, "chat");
    REQUIRE(rows.size() == 1);
    auto c = f.store->case_of(rows[0].mention_id);
    REQUIRE(c);
    REQUIRE(c->has_value());
    CHECK((*c)->state == CaseState::fresh);
  }
  SECTION("quiet: stored, nobody is told") {
    Fixture f;
    f.source.answered = AnsweredPolicy::quiet;
    const TimePoint now = f.clock.now();
    auto sum = test::run_sync(f.pipeline.ingest(f.source, later, {answered("a", "BAD", now, "Разбираемся."), item("b", "BAD", now)}, now));
    CHECK(sum.inserted == 2);
    CHECK(f.pending("chat") == 1);  // only the unanswered one
  }
}

TEST_CASE("a reply that appears later marks the alerted case answered and updates the posted alert",
          "[pipeline][reply]") {
  Fixture f;
  SourceState later;
  later.source = "feed";
  later.polls = 3;
  const TimePoint now = f.clock.now();
  test::run_sync(f.pipeline.ingest(f.source, later, {item("a", "BAD", now)}, now));
  const auto rows = leased(f, "chat");
  REQUIRE(rows.size() == 1);
  const std::int64_t mention = rows[0].mention_id;
  REQUIRE(f.store->mark_sent(rows[0].id, "777", now));

  f.clock.advance(2h);
  const TimePoint then = f.clock.now();
  auto sum = test::run_sync(f.pipeline.ingest(f.source, later, {answered("a", "BAD", now, "Приносим извинения, деньги вернули.")}, then));
  CHECK(sum.unchanged == 1);
  CHECK(sum.answered_on_site == 1);
  CHECK(sum.channels == std::set<std::string>{"chat"});
  auto c = f.store->case_of(mention);
  REQUIRE(c);
  REQUIRE(c->has_value());
  CHECK((*c)->state == CaseState::answered);
  CHECK((*c)->answered->by.platform == "site");
  CHECK((*c)->answered->at == then);
  const auto status = leased(f, "chat");
  REQUIRE(status.size() == 1);
  CHECK(status[0].kind == "status");
  CHECK(status[0].mention_id == mention);

  // The same reply again, or an edit of it: nothing more.
  auto again = test::run_sync(f.pipeline.ingest(f.source, later, {answered("a", "BAD", now, "Приносим извинения, деньги вернули!")}, then));
  CHECK(again.answered_on_site == 0);
  CHECK(leased(f, "chat").empty());
}

TEST_CASE("a later reply leaves a case the team already answered, and act sources, alone", "[pipeline][reply]") {
  SourceState later;
  later.source = "feed";
  later.polls = 3;
  SECTION("answered here first") {
    Fixture f;
    const TimePoint now = f.clock.now();
    test::run_sync(f.pipeline.ingest(f.source, later, {item("a", "BAD", now)}, now));
    const auto rows = leased(f, "chat");
    REQUIRE(rows.size() == 1);
    REQUIRE(f.store->apply_case_action(rows[0].mention_id, CaseAction::answer, Actor{"telegram", "1", "@anna"}, "", now));
    auto sum = test::run_sync(f.pipeline.ingest(f.source, later, {answered("a", "BAD", now, "Ответили в личке.")}, now));
    CHECK(sum.answered_on_site == 0);
    auto c = f.store->case_of(rows[0].mention_id);
    REQUIRE(c);
    CHECK((*c)->answered->by.name == "@anna");
  }
  SECTION("act") {
    Fixture f;
    f.source.answered = AnsweredPolicy::act;
    const TimePoint now = f.clock.now();
    test::run_sync(f.pipeline.ingest(f.source, later, {item("a", "BAD", now)}, now));
    const auto rows = leased(f, "chat");
    REQUIRE(rows.size() == 1);
    auto sum = test::run_sync(f.pipeline.ingest(f.source, later, {answered("a", "BAD", now, "Разбираемся.")}, now));
    CHECK(sum.answered_on_site == 0);
    auto c = f.store->case_of(rows[0].mention_id);
    REQUIRE(c);
    CHECK((*c)->state == CaseState::fresh);
  }
  SECTION("a positive review with a reply is just stored") {
    Fixture f;
    const TimePoint now = f.clock.now();
    auto sum = test::run_sync(f.pipeline.ingest(f.source, later, {answered("p", "great", now, "Спасибо!")}, now));
    CHECK(sum.answered_on_site == 0);
    CHECK(f.pending("chat") == 0);
  }
}

TEST_CASE("a reply on a review that never alerted changes nothing and warns of nothing", "[pipeline][reply]") {
  Fixture f;
  SourceState first;  // the silent baseline: an undated negative stores without an alert
  first.source = "feed";
  const TimePoint now = f.clock.now();
  test::run_sync(f.pipeline.ingest(f.source, first, {item("a", "BAD", std::nullopt)}, now));
  CHECK(f.pending("chat") == 0);
  SourceState later = first;
  later.polls = 1;
  Mention replied = item("a", "BAD", std::nullopt);
  replied.company_reply = "Здравствуйте! Разобрались.";
  auto sum = test::run_sync(f.pipeline.ingest(f.source, later, {replied}, now));
  CHECK(sum.unchanged == 1);
  CHECK(sum.answered_on_site == 0);
  CHECK(sum.warnings.empty());
  CHECK(f.pending("chat") == 0);
}

TEST_CASE("one poll raises at most max_alerts_per_poll alerts, the rest are stored and told in one notice",
          "[pipeline][cap]") {
  Fixture f;
  const TimePoint now = f.clock.now();
  SourceState later;
  later.source = "feed";
  later.polls = 3;
  f.source.max_alerts_per_poll = 2;
  f.source.label = "Банки.ру · feed";
  f.source.url = "https://reviews.example/feed";
  std::vector<Mention> items;
  for (int i = 0; i < 5; ++i) items.push_back(item("n" + std::to_string(i), "BAD", now));
  auto sum = test::run_sync(f.pipeline.ingest(f.source, later, items, now));
  CHECK(sum.inserted == 5);
  CHECK(sum.alerts_capped == 3);
  auto rows = f.store->lease("chat", now + 1h, 1s, 100).value();
  int alerts = 0;
  std::vector<std::string> notices;
  for (const auto& r : rows) {
    if (r.kind == "alert") ++alerts;
    if (r.kind == "notice") notices.push_back(r.payload);
  }
  CHECK(alerts == 2);
  REQUIRE(notices.size() == 1);
  CHECK(notices[0].find("Ещё 3 негативных отзыва из Банки.ру · feed") != std::string::npos);
  CHECK(notices[0].find("https://reviews.example/feed") != std::string::npos);

  // Across slices of a big poll, and 0 = no cap.
  f.source.max_alerts_per_poll = 20;
  items.clear();
  for (int i = 0; i < 250; ++i) items.push_back(item("m" + std::to_string(i), "BAD", now));
  sum = test::run_sync(f.pipeline.ingest(f.source, later, items, now));
  CHECK(sum.inserted == 250);
  CHECK(sum.alerts_capped == 230);
  f.source.max_alerts_per_poll = 0;
  sum = test::run_sync(f.pipeline.ingest(f.source, later, {item("z1", "BAD", now), item("z2", "BAD", now)}, now));
  CHECK(sum.alerts_capped == 0);
  CHECK(sum.alerts_queued == 4);  // two channels? chat for both, managers only for high severity
}

TEST_CASE("the notice of held-back alerts speaks the team's language", "[pipeline][cap]") {
  SourceConfig s;
  s.name = "reviews";
  s.max_alerts_per_poll = 20;
  CHECK(capped_notice(s, 1, "ru").find("Ещё 1 негативный отзыв из reviews") != std::string::npos);
  CHECK(capped_notice(s, 25, "en").find("25 more negative reviews from reviews") != std::string::npos);
  CHECK(capped_notice(s, 25, "en").find("max_alerts_per_poll (20)") != std::string::npos);
}

TEST_CASE("a first poll's small silent slices linger on the store's queue; full, alerting and later ones do not",
          "[pipeline][linger]") {
  ManualClock clock{TimePoint{} + 24h * 20000};
  auto store = std::move(SqliteStore::open(":memory:", clock).value());
  test::FakeScorer scorer;
  Router router{{route("chat", Severity::low)}};
  auto exec = StoreExecutor::threaded(*store);
  Pipeline pipeline{scorer, router, *exec, Lang::automatic};
  SourceConfig source;
  source.name = "feed";
  source.alert_max_age = 48h;
  SourceState first;  // polls == 0
  first.source = "feed";
  SourceState later = first;
  later.polls = 1;
  const TimePoint now = clock.now();
  auto items = [&](const std::string& prefix, int n, std::optional<TimePoint> published) {
    std::vector<Mention> v;
    for (int i = 0; i < n; ++i) v.push_back(item(prefix + std::to_string(i), "BAD review " + std::to_string(i), published));
    return v;
  };
  auto lingered = [&] { return exec->stats().lingered.load(); };

  // A big backlog: slices of 200, 200 and 50 go one after another; only the last, small, lingers.
  auto big = test::run_sync(pipeline.ingest(source, first, items("big", 2 * Pipeline::kSlice + 50, now - 72h), now));
  CHECK(big.inserted == static_cast<int>(2 * Pipeline::kSlice + 50));
  CHECK(lingered() == 1);

  // A small backlog lingers.
  auto small = test::run_sync(pipeline.ingest(source, first, items("small", 20, now - 72h), now));
  CHECK(small.inserted == 20);
  CHECK(lingered() == 2);

  // A small first poll with a young negative alerts: it goes at once.
  auto young = items("old", 19, now - 72h);
  young.push_back(item("young", "BAD young", now - 1h));
  auto alerting = test::run_sync(pipeline.ingest(source, first, std::move(young), now));
  CHECK(alerting.inserted == 20);
  CHECK(alerting.alerts_queued == 1);
  CHECK(lingered() == 2);

  // Past the first poll nothing lingers.
  auto news = test::run_sync(pipeline.ingest(source, later, items("news", 20, now - 1h), now));
  CHECK(news.inserted == 20);
  CHECK(lingered() == 2);
  exec.reset();
}
