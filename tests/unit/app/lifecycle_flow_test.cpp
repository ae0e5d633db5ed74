// The lifecycle as the daemon runs it, with a manual clock: quiet hours hold alerts, a case opens
// with each alert, the SLA checker escalates each missed deadline once per step (also across a
// restart) and reminds to follow up after an answer.
#include "daemon/app/pipeline.hpp"
#include "daemon/app/sla_task.hpp"
#include "daemon/lifecycle/quiet_hours.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "fake_scorer.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/run_sync.hpp"

#include <boost/json.hpp>
#include <spdlog/sinks/null_sink.h>

#include <filesystem>
#include <random>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

// Monday 2026-11-23 00:00 UTC.
const TimePoint kMonday = TimePoint{} + std::chrono::days{20780};

Mention item(std::string id, std::string text) {
  Mention m;
  m.source = "feed";
  m.external_id = std::move(id);
  m.text = std::move(text);
  m.brand = "bank";
  return m;
}

RouteConfig route(std::string channel) {
  RouteConfig r;
  r.channel = std::move(channel);
  return r;
}

Config lifecycle_config() {
  Config c;
  c.sla.enabled = true;
  c.sla.defaults.take = 30min;
  c.sla.defaults.resolve = 2h;
  c.sla.defaults.business_hours = true;
  EscalationStepConfig first;
  first.channel = "managers";
  first.mention = {"@lead"};
  EscalationStepConfig second;
  second.after = 1h;
  second.channel = "managers";
  second.mention = {"@boss"};
  c.sla.escalation = {first, second};
  c.quiet_hours.enabled = true;
  c.quiet_hours.urgent_severity = Severity::high;
  c.lifecycle.follow_up = 24h;
  return c;  // [calendar]: Monday–Friday 09:00–18:00 UTC (the defaults)
}

std::filesystem::path temp_db() {
  std::random_device rd;
  return std::filesystem::temp_directory_path() /
         ("otklik-lifecycle-" + std::to_string(::getpid()) + "-" + std::to_string(rd()) + ".db");
}

struct Fixture {
  std::filesystem::path path = temp_db();
  ManualClock clock{kMonday + 10h};  // Monday 10:00, working time
  Config config = lifecycle_config();
  BusinessCalendar calendar = BusinessCalendar::create(config.calendar, TimeZone{}).value();
  std::unique_ptr<SqliteStore> store = std::move(SqliteStore::open(path.string(), clock).value());
  test::FakeScorer scorer;
  Router router{{route("chat")}};
  std::unique_ptr<StoreExecutor> exec = StoreExecutor::inline_on(*store);
  Pipeline pipeline{scorer, router, *exec, Lang::automatic};
  SourceConfig source;
  SourceState state;
  std::shared_ptr<spdlog::logger> log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());

  Fixture() {
    source.name = "feed";
    state.source = "feed";
    state.polls = 5;  // not the silent baseline
    const BusinessCalendar* cal = &calendar;
    QuietHoursConfig quiet = config.quiet_hours;
    pipeline.hold_with([cal, quiet](Severity s, TimePoint now) { return hold_until(quiet, *cal, s, now); });
  }
  ~Fixture() {
    store.reset();
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix, ec);
  }

  std::int64_t ingest(std::string id, std::string text) {
    auto sum =test::run_sync( pipeline.ingest(source, state, {item(std::move(id), std::move(text))}, clock.now()));
    REQUIRE(sum.failed == 0);
    auto total = store->mentions_total();
    REQUIRE(total);
    return *total;  // ids are 1, 2, … in these tests
  }
  SlaPassResult pass() { return run_sla_pass(*store, *store, config, calendar, clock.now(), *log); }
  std::vector<OutboxItem> due(const std::string& channel) {
    auto rows = store->lease(channel, clock.now(), 1s, 100);
    REQUIRE(rows);
    for (const auto& r : *rows) REQUIRE(store->mark_sent(r.id, "m" + std::to_string(r.id), clock.now()));
    return *rows;
  }
  void reopen() {
    store.reset();
    store = std::move(SqliteStore::open(path.string(), clock).value());
  }
};

Actor anna() { return Actor{"telegram", "42", "@anna"}; }

}  // namespace

TEST_CASE("alerts at night are held until the working day, urgent ones go at once", "[lifecycle][app]") {
  Fixture f;
  f.clock.set(kMonday + 22h);  // Monday 22:00
  f.ingest("mild", "MEH queue");  // low severity
  f.ingest("severe", "BAD rude");  // high severity
  auto now_due = f.due("chat");
  REQUIRE(now_due.size() == 1);
  CHECK(now_due[0].mention_id == 2);
  f.clock.set(kMonday + 24h + 8h + 59min);  // Tuesday 08:59
  CHECK(f.due("chat").empty());
  f.clock.set(kMonday + 24h + 9h);  // Tuesday 09:00
  auto released = f.due("chat");
  REQUIRE(released.size() == 1);
  CHECK(released[0].mention_id == 1);
}

TEST_CASE("a missed take deadline escalates once per step, also after a restart", "[lifecycle][app]") {
  Fixture f;
  const std::int64_t id = f.ingest("r1", "BAD queue");
  auto c = f.store->case_of(id);
  REQUIRE(c);
  REQUIRE(c->has_value());
  CHECK((*c)->state == CaseState::fresh);
  CHECK((*c)->route == "chat");
  REQUIRE(f.due("chat").size() == 1);  // the alert itself, posted

  auto first = f.pass();
  INFO("created " << std::chrono::duration_cast<std::chrono::minutes>((*c)->created - kMonday).count() << " min");
  INFO("next due " << (first.next_due ? std::chrono::duration_cast<std::chrono::minutes>(*first.next_due - kMonday).count() : -1) << " min");
  CHECK(first.escalations == 0);
  REQUIRE(first.next_due.has_value());
  CHECK(*first.next_due == kMonday + 10h + 30min);  // take deadline + step 1's after (0)

  f.clock.set(kMonday + 10h + 31min);
  auto late = f.pass();
  CHECK(late.escalations == 1);
  CHECK(late.channels.count("managers") == 1);
  CHECK(late.channels.count("chat") == 1);  // the original message is marked
  auto notices = f.due("managers");
  REQUIRE(notices.size() == 1);
  CHECK(notices[0].kind == "escalation");
  CHECK(notices[0].mention_id == id);
  auto payload = boost::json::parse(notices[0].payload).as_object();
  CHECK(payload.at("deadline").as_string() == "take");
  CHECK(payload.at("step").as_int64() == 1);
  CHECK(payload.at("mention").as_array().at(0).as_string() == "@lead");
  auto statuses = f.due("chat");
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].kind == "status");

  // The same moment again, and after a restart: nothing new.
  CHECK(f.pass().escalations == 0);
  f.reopen();
  CHECK(f.pass().escalations == 0);
  CHECK(f.due("managers").empty());

  // Step 2 an hour (of working time) later.
  f.clock.set(kMonday + 11h + 31min);
  CHECK(f.pass().escalations == 1);
  auto second = f.due("managers");
  REQUIRE(second.size() == 1);
  CHECK(boost::json::parse(second[0].payload).at("step").as_int64() == 2);
}

TEST_CASE("a taken case does not escalate its take deadline, an answered one gets a follow-up", "[lifecycle][app]") {
  Fixture f;
  const std::int64_t id = f.ingest("r1", "BAD fee");
  REQUIRE(f.due("chat").size() == 1);
  f.clock.set(kMonday + 10h + 10min);
  auto taken = f.store->apply_case_action(id, CaseAction::take, anna(), "", f.clock.now());
  REQUIRE(taken);
  CHECK(taken->changed);

  f.clock.set(kMonday + 11h);
  CHECK(f.pass().escalations == 0);

  f.clock.set(kMonday + 11h + 30min);
  REQUIRE(f.store->apply_case_action(id, CaseAction::answer, anna(), "replied on the site", f.clock.now()));
  CHECK(f.pass().follow_ups == 0);

  f.clock.set(kMonday + 35h + 30min);  // 24 h after the answer
  auto r = f.pass();
  CHECK(r.follow_ups == 1);
  CHECK(r.escalations == 0);  // the resolve deadline was met
  auto reminder = f.due("chat");
  REQUIRE(reminder.size() == 1);
  CHECK(reminder[0].kind == "follow_up");
  CHECK(f.pass().follow_ups == 0);
}

TEST_CASE("a dismissed case stops its clocks and is exported as feedback", "[lifecycle][app]") {
  Fixture f;
  const std::int64_t id = f.ingest("r1", "BAD but actually fine");
  REQUIRE(f.store->apply_case_action(id, CaseAction::dismiss, anna(), "", f.clock.now()));
  f.clock.set(kMonday + 15h);
  CHECK(f.pass().escalations == 0);
  auto fb = f.store->feedback(TimePoint{});
  REQUIRE(fb);
  REQUIRE(fb->size() == 1);
  CHECK(fb->front().text == "BAD but actually fine");
}
