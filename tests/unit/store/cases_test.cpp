#include "daemon/lifecycle/sla.hpp"
#include "daemon/store/migrations.hpp"
#include "store_test_support.hpp"
#include "tests/support/catch_result.hpp"

using namespace otklik;
using namespace std::chrono_literals;
using test::count;
using test::sample_mention;
using test::sentiment_of;

namespace {


AlertPolicy policy(std::string severity = "high") {
  AlertPolicy p = test::two_channels();
  p.severity = std::move(severity);
  return p;
}

/// Ingests a new negative mention that opens a case; returns its id.
std::int64_t alerted(test::TestStore& store, const std::string& external_id, const AlertPolicy& p = policy()) {
  auto r = store.ingest(sample_mention(external_id), sentiment_of(Label::negative), p);
  REQUIRE(r);
  REQUIRE(r->alerts_queued > 0);
  return r->mention_id;
}

Actor anna() { return Actor{"telegram", "42", "@anna"}; }

std::int64_t due_rows(test::TestStore& store, const std::string& channel, TimePoint at) {
  auto items = store.lease(channel, at, 60s, 100);
  REQUIRE(items);
  return static_cast<std::int64_t>(items->size());
}

}  // namespace

TEST_CASE("ingest opens a case with the alert", "[store][cases]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);

  const std::int64_t id = alerted(*store, "a", policy("high"));
  auto c = store->case_of(id);
  REQUIRE(c);
  REQUIRE(*c);
  CHECK((*c)->mention_id == id);
  CHECK((*c)->state == CaseState::fresh);
  CHECK((*c)->severity == "high");
  CHECK((*c)->route == "telegram");
  CHECK((*c)->created == test::test_start());
  CHECK_FALSE((*c)->taken);
  CHECK((*c)->take_escalations == 0);
  CHECK_FALSE((*c)->follow_up_sent);

  SECTION("no alert, no case") {
    auto pos = store->ingest(sample_mention("b"), sentiment_of(Label::positive), policy());
    REQUIRE(pos);
    CHECK_FALSE(store->case_of(pos->mention_id).value());
    auto baseline = store->ingest(sample_mention("c"), sentiment_of(Label::negative), test::two_channels(false));
    REQUIRE(baseline);
    CHECK_FALSE(store->case_of(baseline->mention_id).value());
    AlertPolicy no_rows = policy();
    no_rows.alerts.clear();
    auto silent = store->ingest(sample_mention("d"), sentiment_of(Label::negative), no_rows);
    REQUIRE(silent);
    CHECK_FALSE(store->case_of(silent->mention_id).value());
  }
  SECTION("open_case false queues the alert only") {
    AlertPolicy p = policy();
    p.open_case = false;
    const std::int64_t other = alerted(*store, "e", p);
    CHECK_FALSE(store->case_of(other).value());
  }
  SECTION("a mention that turns negative again keeps its first case") {
    REQUIRE(store->apply_case_action(id, CaseAction::take, anna(), "", test::test_start() + 1min));
    clock.advance(1h);
    REQUIRE(store->ingest(sample_mention("a", "fixed, thanks"), sentiment_of(Label::positive), policy()));
    auto again = store->ingest(sample_mention("a", "broken again"), sentiment_of(Label::negative), policy("low"));
    REQUIRE(again);
    CHECK(again->alerts_queued == 2);
    auto kept = store->case_of(id).value();
    REQUIRE(kept);
    CHECK(kept->state == CaseState::taken);
    CHECK(kept->severity == "high");
    CHECK(kept->created == test::test_start());
    CHECK(count(*store, "SELECT COUNT(*) FROM cases") == 1);
  }
  CHECK_FALSE(store->case_of(9999).value());
}

TEST_CASE("not_before holds an outbox row until then", "[store][cases]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint now = test::test_start();
  AlertPolicy p = policy();
  p.alerts = {{"telegram", "alert", "", now + 9h}, {"slack", "alert", "", now - 1h}};
  const std::int64_t id = alerted(*store, "a", p);
  CHECK(count(*store, "SELECT created_at FROM outbox WHERE channel = 'telegram'") ==
        count(*store, "SELECT created_at FROM outbox WHERE channel = 'slack'"));
  CHECK(due_rows(*store, "telegram", now + 8h) == 0);
  CHECK(store->next_due("telegram").value() == now + 9h);
  CHECK(due_rows(*store, "telegram", now + 9h) == 1);
  CHECK(store->next_due("slack").value() == now);  // a past not_before is due at once, not earlier
  CHECK(due_rows(*store, "slack", now) == 1);

  auto queued = store->enqueue({"email", "notice", "{}", now + 2h}, id, now);
  REQUIRE(queued);
  CHECK(store->next_due("email").value() == now + 2h);
  CHECK(due_rows(*store, "email", now + 1h) == 0);
  CHECK(due_rows(*store, "email", now + 2h) == 1);
}

TEST_CASE("apply_case_action stores transitions and every attempt's history", "[store][cases]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const std::int64_t id = alerted(*store, "a");
  const TimePoint t = test::test_start();

  auto take = store->apply_case_action(id, CaseAction::take, anna(), "", t + 5min);
  REQUIRE(take);
  CHECK(take->changed);
  CHECK(take->record.state == CaseState::taken);
  auto twice = store->apply_case_action(id, CaseAction::take, Actor{"slack", "U1", "Boris"}, "", t + 6min);
  REQUIRE(twice);
  CHECK_FALSE(twice->changed);
  CHECK(twice->refused.empty());
  auto answer = store->apply_case_action(id, CaseAction::answer, anna(), "called back", t + 30min);
  REQUIRE(answer);
  CHECK(answer->changed);
  auto refused = store->apply_case_action(id, CaseAction::dismiss, anna(), "", t + 31min);
  REQUIRE(refused);
  CHECK_FALSE(refused->changed);
  CHECK(refused->refusal == CaseRefusal::already_answered);
  CHECK(refused->refused == "already_answered");

  auto stored = store->case_of(id).value();
  REQUIRE(stored);
  CHECK(stored->state == CaseState::answered);
  REQUIRE(stored->taken);
  CHECK(stored->taken->by.platform == "telegram");
  CHECK(stored->taken->by.id == "42");
  CHECK(stored->taken->by.name == "@anna");
  CHECK(stored->taken->at == t + 5min);
  REQUIRE(stored->answered);
  CHECK(stored->answered->at == t + 30min);
  CHECK(stored->note == "called back");
  CHECK_FALSE(stored->resolved);
  CHECK_FALSE(stored->dismissed);

  CHECK(count(*store, "SELECT COUNT(*) FROM case_events WHERE mention_id = " + std::to_string(id)) == 4);
  CHECK(count(*store, "SELECT COUNT(*) FROM case_events WHERE changed = 1") == 2);
  CHECK(count(*store, "SELECT COUNT(*) FROM case_events WHERE actor_platform = 'slack' AND action = 'take' "
                      "AND changed = 0") == 1);

  auto reopen = store->apply_case_action(id, CaseAction::reopen, anna(), "", t + 1h);
  REQUIRE(reopen);
  auto reopened = store->case_of(id).value();
  CHECK(reopened->state == CaseState::taken);
  CHECK_FALSE(reopened->answered);
  CHECK(reopened->taken);

  auto missing = store->apply_case_action(12345, CaseAction::take, anna(), "", t);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == make_error_code(errc::not_found));
  CHECK(count(*store, "SELECT COUNT(*) FROM case_events WHERE mention_id = 12345") == 0);
}

TEST_CASE("active_cases lists new, taken and answered cases, oldest first", "[store][cases]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  std::vector<std::int64_t> ids;
  for (const char* ext : {"a", "b", "c", "d", "e"}) {
    ids.push_back(alerted(*store, ext));
    clock.advance(1min);
  }
  const TimePoint t = clock.now();
  REQUIRE(store->apply_case_action(ids[1], CaseAction::take, anna(), "", t));
  REQUIRE(store->apply_case_action(ids[2], CaseAction::answer, anna(), "", t));
  REQUIRE(store->apply_case_action(ids[3], CaseAction::resolve, anna(), "", t));
  REQUIRE(store->apply_case_action(ids[4], CaseAction::dismiss, anna(), "", t));
  auto active = store->active_cases();
  REQUIRE(active);
  REQUIRE(active->size() == 3);
  CHECK((*active)[0].mention_id == ids[0]);
  CHECK((*active)[0].state == CaseState::fresh);
  CHECK((*active)[1].mention_id == ids[1]);
  CHECK((*active)[1].state == CaseState::taken);
  CHECK((*active)[2].mention_id == ids[2]);
  CHECK((*active)[2].state == CaseState::answered);
}

TEST_CASE("escalations and follow-ups are recorded exactly once, with their outbox rows", "[store][cases]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const std::int64_t id = alerted(*store, "a");
  const TimePoint t = test::test_start() + 1h;
  const AlertRequest esc{"managers", "escalation", R"({"deadline":"take","step":1})"};
  const std::string rows = "SELECT COUNT(*) FROM outbox WHERE kind = 'escalation' AND mention_id = " + std::to_string(id);

  CHECK(store->record_escalation(id, "take", 1, esc, t).value());
  CHECK_FALSE(store->record_escalation(id, "take", 1, esc, t).value());      // again
  CHECK_FALSE(store->record_escalation(id, "take", 3, esc, t).value());      // skips step 2
  CHECK(count(*store, rows) == 1);
  CHECK(store->record_escalation(id, "take", 2, esc, t + 1h).value());
  CHECK(store->record_escalation(id, "resolve", 1, esc, t + 2h).value());
  CHECK(count(*store, rows) == 3);
  auto c = store->case_of(id).value();
  CHECK(c->take_escalations == 2);
  CHECK(c->resolve_escalations == 1);

  auto bad_kind = store->record_escalation(id, "answer", 1, esc, t);
  REQUIRE_FALSE(bad_kind);
  CHECK(bad_kind.error().code == make_error_code(errc::invalid_input));
  CHECK_FALSE(store->record_escalation(id, "take", 0, esc, t));
  auto no_case = store->record_escalation(777, "take", 1, esc, t);
  REQUIRE_FALSE(no_case);
  CHECK(no_case.error().code == make_error_code(errc::not_found));

  const AlertRequest follow{"telegram", "follow_up", "{}", t + 10h};
  CHECK(store->record_follow_up(id, follow, t).value());
  CHECK_FALSE(store->record_follow_up(id, follow, t + 1min).value());
  CHECK(count(*store, "SELECT COUNT(*) FROM outbox WHERE kind = 'follow_up'") == 1);
  CHECK(store->case_of(id).value()->follow_up_sent == t);
  CHECK(due_rows(*store, "telegram", t + 9h) == 1);   // the alert only: the follow-up is held
  CHECK(due_rows(*store, "telegram", t + 10h) == 2);  // the follow-up, and the alert's lease expired
  auto no_case_follow = store->record_follow_up(777, follow, t);
  REQUIRE_FALSE(no_case_follow);
  CHECK(no_case_follow.error().code == make_error_code(errc::not_found));
}

TEST_CASE("posted_alerts returns the delivered alert rows of a mention", "[store][cases]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const std::int64_t id = alerted(*store, "a");
  const std::int64_t other = alerted(*store, "b");
  const TimePoint now = test::test_start();
  CHECK(store->posted_alerts(id).value().empty());

  auto slack = store->lease("slack", now, 60s, 10).value();
  REQUIRE(slack.size() == 2);
  REQUIRE(store->mark_sent(slack[0].id, "1700000000.000100", now));
  REQUIRE(store->mark_sent(slack[1].id, "", now));  // a webhook reports no message id
  REQUIRE(store->enqueue({"slack", "notice", "{}"}, id, now));
  auto notice = store->lease("slack", now, 60s, 10).value();
  REQUIRE(notice.size() == 1);
  REQUIRE(store->mark_sent(notice[0].id, "1700000000.000300", now));

  auto posted = store->posted_alerts(id);
  REQUIRE(posted);
  REQUIRE(posted->size() == 1);  // the telegram row is still pending; the notice is not an alert
  CHECK((*posted)[0].outbox_id == slack[0].id);
  CHECK((*posted)[0].channel == "slack");
  CHECK((*posted)[0].remote_id == "1700000000.000100");
  CHECK((*posted)[0].payload == R"({"thread":"x"})");
  auto other_posted = store->posted_alerts(other).value();
  REQUIRE(other_posted.size() == 1);
  CHECK(other_posted[0].remote_id.empty());
}

TEST_CASE("feedback lists dismissed mentions since a time", "[store][cases]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  auto m1 = store->ingest(sample_mention("a", "Great service, but the line was long"), sentiment_of(Label::negative),
                          policy());
  auto m2 = store->ingest(sample_mention("b", "Not sure about the fee"), sentiment_of(Label::negative), policy());
  const std::int64_t m3 = alerted(*store, "c");
  REQUIRE(m1);
  REQUIRE(m2);
  REQUIRE(store->apply_case_action(m2->mention_id, CaseAction::dismiss, anna(), "", t + 1h));
  REQUIRE(store->apply_case_action(m1->mention_id, CaseAction::dismiss, anna(), "positive", t + 2h));
  REQUIRE(store->apply_case_action(m3, CaseAction::answer, anna(), "", t + 3h));

  auto all = store->feedback(t);
  REQUIRE(all);
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].mention_id == m2->mention_id);
  CHECK((*all)[0].label == "neutral");
  CHECK((*all)[0].text == "Not sure about the fee");
  CHECK((*all)[0].at == t + 1h);
  CHECK((*all)[1].mention_id == m1->mention_id);
  CHECK((*all)[1].label == "positive");
  CHECK(store->feedback(t + 90min).value().size() == 1);

  // A reopened case is no longer feedback.
  REQUIRE(store->apply_case_action(m1->mention_id, CaseAction::reopen, anna(), "", t + 4h));
  CHECK(store->feedback(t).value().size() == 1);
}

TEST_CASE("a restart in the middle keeps cases and never repeats an escalation", "[store][cases]") {
  const test::StoreSite site;
  ManualClock clock(test::test_start());
  // Mon 2026-11-23 12:00 UTC; around the clock so that the test reads simply: take 30m, resolve 4h.
  SlaConfig sla;
  sla.enabled = true;
  sla.defaults.business_hours = false;
  sla.escalation = {{0min, "managers", {"@boss"}, 0}, {1h, "heads", {}, 0}};
  const BusinessCalendar always;

  auto run_checks = [&](test::TestStore& store) {
    int sent = 0;
    for (const CaseRecord& c : store.active_cases().value()) {
      const SlaPlan p = plan(c, sla, always, 24h, clock.now());
      for (const DueEscalation& e : p.escalations) {
        const AlertRequest req{e.config->channel, "escalation", "{}"};
        if (store.record_escalation(c.mention_id, to_string(e.deadline), e.step, req, clock.now()).value()) ++sent;
      }
    }
    return sent;
  };

  std::int64_t id = 0;
  {
    auto store = site.open(clock);
    id = alerted(*store, "a");
    clock.advance(45min);  // past take_by: step 1
    CHECK(run_checks(*store) == 1);
    REQUIRE(store->apply_case_action(id, CaseAction::take, anna(), "", clock.now()));
  }
  {
    auto store = site.open(clock);
    auto c = store->case_of(id).value();
    REQUIRE(c);
    CHECK(c->state == CaseState::taken);
    CHECK(c->take_escalations == 1);
    CHECK(run_checks(*store) == 0);  // taken late: no more take steps, step 1 not repeated
    // A stale planner (e.g. the previous run's view) cannot record step 1 again.
    CHECK_FALSE(store->record_escalation(id, "take", 1, {"managers", "escalation", "{}"}, clock.now()).value());
    clock.advance(5h);  // past resolve_by + 1h: resolve steps 1 and 2 at once
    CHECK(run_checks(*store) == 2);
  }
  {
    auto store = site.open(clock);
    CHECK(run_checks(*store) == 0);
    CHECK(count(*store, "SELECT COUNT(*) FROM outbox WHERE kind = 'escalation'") == 3);
    // The history: the take and each escalation step once (the page's timeline shows them).
    CHECK(count(*store, "SELECT COUNT(*) FROM case_events") == 4);
    CHECK(count(*store, "SELECT COUNT(*) FROM case_events WHERE action IN ('escalate:take:1', "
                        "'escalate:resolve:1', 'escalate:resolve:2') AND actor_platform = 'otklik'") == 3);
    auto c = store->case_of(id).value();
    CHECK(c->resolve_escalations == 2);
    REQUIRE(c->taken);
    CHECK(c->taken->by.name == "@anna");
  }
}

#if !defined(OTKLIK_TEST_PG)  // SQLite's own upgrade path (PostgreSQL starts at version 6)
TEST_CASE("a version 1 database with data is migrated and gains cases", "[store][cases]") {
  test::TempDir dir;
  const std::string path = dir.file("v1.db");
  {
    auto db = sqlite::Database::open(path);
    REQUIRE(db);
    REQUIRE(store::migrate(*db, store::migrations().first(1), 1));
    REQUIRE(db->exec(
        "INSERT INTO mentions (id, source, external_id, fetched_at, text_hash, label, score, confidence, lang, "
        "sentiment_json, first_seen_at, updated_at, text) VALUES (1, 'reviews', 'old-1', 1000, 'h', 'negative', "
        "-0.5, 0.9, 'ru', '{}', 1000, 1000, 'old text');"
        "INSERT INTO outbox (channel, kind, mention_id, state, next_attempt_at, created_at, remote_id) "
        "VALUES ('telegram', 'alert', 1, 'sent', 1000, 1000, '77');"));
  }
  ManualClock clock(test::test_start());
  auto store = SqliteStore::open(path, clock).value();
  CHECK(count(*store, "PRAGMA user_version") == store::latest_schema_version());
  CHECK(count(*store, "SELECT COUNT(*) FROM mentions") == 1);
  CHECK(count(*store, "SELECT COUNT(*) FROM cases") == 0);
  CHECK_FALSE(store->case_of(1).value());
  auto posted = store->posted_alerts(1);
  REQUIRE(posted);
  REQUIRE(posted->size() == 1);
  CHECK(posted->front().remote_id == "77");
  const std::int64_t id = alerted(*store, "new-1");
  CHECK(store->case_of(id).value());
  CHECK(store->active_cases().value().size() == 1);
}
#endif
