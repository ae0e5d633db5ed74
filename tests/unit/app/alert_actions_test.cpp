// AlertActions: who may act on an alert, what a tap does to the case, and which channels are told
// to update their messages — on a real SqliteStore with a manual clock.
#include "daemon/app/alert_actions.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/run_sync.hpp"

#include <spdlog/sinks/null_sink.h>

#include <set>

using namespace otklik;
using namespace std::chrono_literals;
using channels::ActionRequest;
using channels::ActionResultKind;

namespace {

ChannelConfig channel(std::string name, std::vector<std::string> allowed = {}) {
  ChannelConfig c;
  c.name = std::move(name);
  c.type = "telegram";
  c.chat_id = "-100";
  c.allowed_users = std::move(allowed);
  return c;
}

struct Fixture {
  ManualClock clock{TimePoint{} + std::chrono::days{20780} + 10h};
  std::unique_ptr<SqliteStore> store = std::move(SqliteStore::open(":memory:", clock).value());
  std::unique_ptr<StoreExecutor> exec = StoreExecutor::inline_on(*store);
  Config config;
  std::vector<std::string> woken;
  std::unique_ptr<AlertActions> actions;

  Fixture() {
    config.channels = {channel("support", {"111", "@Lead"}), channel("managers"), channel("other")};
    actions = std::make_unique<AlertActions>(
        config, *exec, clock, nullptr, [this](const std::string& ch) { woken.push_back(ch); },
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>()));
  }

  /// A negative mention alerted to support and managers, both posted.
  std::int64_t posted_alert(const std::string& id) {
    Mention m;
    m.source = "feed";
    m.external_id = id;
    m.text = "Нахамили в отделении";
    Sentiment s;
    s.label = Label::negative;
    s.score = -0.8;
    AlertPolicy policy;
    policy.alerts = {{"support", "alert", "", std::nullopt}, {"managers", "alert", "", std::nullopt}};
    policy.severity = "high";
    auto r = store->ingest(m, s, policy);
    REQUIRE(r);
    for (const std::string ch : {"support", "managers"}) {
      auto rows = store->lease(ch, clock.now(), 10s, 10);
      REQUIRE(rows);
      for (const auto& row : *rows) REQUIRE(store->mark_sent(row.id, "77", clock.now()));
    }
    return r->mention_id;
  }

  ActionRequest tap(std::string channel_name, std::string user_id, std::string username, CaseAction action,
                    std::int64_t mention) {
    ActionRequest r;
    r.channel = std::move(channel_name);
    r.actor = Actor{"telegram", user_id, username.empty() ? user_id : username};
    r.username = std::move(username);
    r.data = {action, mention};
    return r;
  }

  /// The kinds of pending outbox rows per channel, e.g. {"status"}.
  std::multiset<std::string> pending(const std::string& ch) {
    auto rows = store->lease(ch, clock.now() + 1h, 1s, 100);
    REQUIRE(rows);
    std::multiset<std::string> kinds;
    for (const auto& row : *rows) {
      kinds.insert(row.kind);
      REQUIRE(store->mark_sent(row.id, "", clock.now()));
    }
    return kinds;
  }
};

}  // namespace

TEST_CASE("allowed users are matched by id or @username, case-insensitively", "[actions]") {
  struct Case {
    std::vector<std::string> allowed;
    std::string_view id, username;
    bool ok;
  };
  const Case cases[] = {
      {{}, "5", "", true},
      {{"111"}, "111", "", true},
      {{"111"}, "112", "@x", false},
      {{"@Lead"}, "9", "@lead", true},
      {{"@Lead"}, "9", "@leader", false},
      {{"@Lead"}, "9", "", false},
      {{"111", "@ops"}, "2", "@OPS", true},
  };
  for (const auto& c : cases) {
    INFO(c.id << " " << c.username);
    CHECK(user_allowed(c.allowed, c.id, c.username) == c.ok);
  }
}

TEST_CASE("a tap takes the case once and tells every chat that posted it", "[actions]") {
  Fixture f;
  const std::int64_t id = f.posted_alert("r1");

  auto first = test::run_sync(f.actions->act(f.tap("support", "111", "", CaseAction::take, id)));
  CHECK(first.kind == ActionResultKind::changed);
  REQUIRE(first.record.has_value());
  CHECK(first.record->state == CaseState::taken);
  CHECK(f.pending("support") == std::multiset<std::string>{"status"});
  CHECK(f.pending("managers") == std::multiset<std::string>{"status"});
  CHECK(f.pending("other").empty());
  CHECK(std::set<std::string>(f.woken.begin(), f.woken.end()) == std::set<std::string>{"support", "managers"});

  // A double tap: nothing changes, nothing is queued.
  f.woken.clear();
  auto again = test::run_sync(f.actions->act(f.tap("support", "111", "", CaseAction::take, id)));
  CHECK(again.kind == ActionResultKind::unchanged);
  CHECK(f.pending("support").empty());
  CHECK(f.woken.empty());
}

TEST_CASE("taps from strangers, other chats and forged ids change nothing", "[actions]") {
  Fixture f;
  const std::int64_t id = f.posted_alert("r1");

  CHECK(test::run_sync(f.actions->act(f.tap("support", "999", "@stranger", CaseAction::take, id))).kind ==
        ActionResultKind::not_allowed);
  CHECK(test::run_sync(f.actions->act(f.tap("other", "111", "", CaseAction::take, id))).kind != ActionResultKind::changed);
  CHECK(test::run_sync(f.actions->act(f.tap("support", "111", "", CaseAction::take, id + 100))).kind != ActionResultKind::changed);
  CHECK(test::run_sync(f.actions->act(f.tap("nowhere", "111", "", CaseAction::take, id))).kind != ActionResultKind::changed);

  auto c = f.store->case_of(id);
  REQUIRE(c);
  REQUIRE(c->has_value());
  CHECK((*c)->state == CaseState::fresh);
  CHECK(f.pending("support").empty());
}

TEST_CASE("an action the state does not allow is refused with a reason", "[actions]") {
  Fixture f;
  const std::int64_t id = f.posted_alert("r1");
  REQUIRE(test::run_sync(f.actions->act(f.tap("managers", "5", "@anna", CaseAction::dismiss, id))).kind == ActionResultKind::changed);
  auto refused = test::run_sync(f.actions->act(f.tap("support", "111", "", CaseAction::take, id)));
  CHECK(refused.kind == ActionResultKind::refused);
  CHECK_FALSE(refused.text.empty());
  auto c = f.store->case_of(id);
  REQUIRE(c);
  CHECK((*c)->state == CaseState::dismissed);
}
