// Group commit (StoreExecutor::run_grouped, sqlite::Database::begin_group): the pipeline's slices
// queued on the store's thread share one transaction; each caller resumes after the commit; a job
// that fails rolls the group back and every job of it runs again alone, so what is stored is
// exactly what one transaction a job would have stored.

#include "daemon/store/sqlite.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_executor.hpp"

#include "store_test_support.hpp"
#include "tests/support/catch_result.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <future>
#include <stdexcept>
#include <string>
#include <vector>

using namespace otklik;
using namespace otklik::test;
namespace asio = boost::asio;

namespace {

using Stored = Result<std::vector<Result<IngestResult>>>;

IngestItem item(const std::string& id, Label label = Label::negative, AlertPolicy policy = two_channels()) {
  return IngestItem{sample_mention(id, "awful " + id), sentiment_of(label), {}, std::move(policy)};
}

AlertPolicy failing_policy() {
  AlertPolicy bad = two_channels();
  bad.alerts.push_back({"", "alert", ""});  // violates CHECK (length(channel) > 0)
  return bad;
}

std::int64_t rows_seen_by_another_connection(const std::string& path) {
  auto db = sqlite::Database::open(path).value();
  return db.query_int64("SELECT COUNT(*) FROM mentions").value();
}

/// Holds the store's only lane until released, so that the jobs posted meanwhile queue up.
struct Gate {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  void hold(asio::io_context& ioc, StoreExecutor& exec) {
    asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
      co_await exec.run([this](Store&) {
        released.wait();
        return 0;
      });
    }, asio::detached);
  }
  /// Spawned last: runs once every job spawned before it has been posted.
  void open_later(asio::io_context& ioc) {
    asio::co_spawn(ioc, [this]() -> asio::awaitable<void> {
      release.set_value();
      co_return;
    }, asio::detached);
  }
};

/// A fresh store behind a threaded executor whose lane is held while the jobs are posted.
struct HeldStore {
  ManualClock clock{test_start()};
  FreshStore store{clock};
  std::unique_ptr<StoreExecutor> exec = StoreExecutor::threaded(*store);
  asio::io_context ioc;
  Gate gate;
  HeldStore() { gate.hold(ioc, *exec); }
  /// Spawns body(j) for every j below n, opens the lane once all are posted, runs them all.
  template <class Body>
  void run(int n, Body body) {
    for (int j = 0; j < n; ++j) asio::co_spawn(ioc, body(j), asio::detached);
    gate.open_later(ioc);
    ioc.run();
  }
  /// Joins the store's thread: every job has run.
  void finish() { exec.reset(); }
};

}  // namespace

TEST_CASE("a group: joined transactions commit nothing until the group does", "[store][group]") {
  TempDir dir;
  const std::string path = dir.file("otklik.db");
  ManualClock clock(test_start());
  auto store = SqliteStore::open(path, clock).value();
  sqlite::Database& db = store->database();

  REQUIRE(db.begin_group());
  CHECK(db.group_intact());
  CHECK_FALSE(db.begin_group());  // one at a time
  REQUIRE(store->ingest_batch({item("a")}));
  REQUIRE(store->ingest_batch({item("b")}));
  CHECK(db.in_transaction());  // the batches' commits were the group's
  CHECK(rows_seen_by_another_connection(path) == 0);
  CHECK(db.end_group(true));
  CHECK_FALSE(db.in_transaction());
  CHECK(rows_seen_by_another_connection(path) == 2);

  SECTION("a joined transaction that ends without commit spoils the group") {
    REQUIRE(db.begin_group());
    REQUIRE(store->ingest_batch({item("c")}));
    { auto tx = sqlite::Transaction::begin(db).value(); }  // never committed
    CHECK_FALSE(db.group_intact());
    CHECK_FALSE(db.end_group(true));
    CHECK_FALSE(db.in_transaction());
    CHECK(rows_seen_by_another_connection(path) == 2);
  }
  SECTION("end_group(false) rolls back an intact group") {
    REQUIRE(db.begin_group());
    REQUIRE(store->ingest_batch({item("c")}));
    CHECK(db.group_intact());
    CHECK_FALSE(db.end_group(false));
    CHECK_FALSE(db.in_transaction());
    CHECK(rows_seen_by_another_connection(path) == 2);
  }
  SECTION("outside a group a transaction is its own again") {
    REQUIRE(store->ingest_batch({item("d")}));
    CHECK_FALSE(db.in_transaction());
    CHECK(rows_seen_by_another_connection(path) == 3);
  }
}

TEST_CASE("grouped jobs queued together commit once, and each caller resumes after the commit",
          "[store][group]") {
  TempDir dir;
  const std::string path = dir.file("otklik.db");
  ManualClock clock(test_start());
  auto store = SqliteStore::open(path, clock).value();
  auto exec = StoreExecutor::threaded(*store);
  asio::io_context ioc;
  Gate gate;
  gate.hold(ioc, *exec);
  constexpr int kJobs = 5;
  std::vector<std::optional<Stored>> results(kJobs);
  std::vector<std::int64_t> seen_on_resume(kJobs, -1);
  for (int j = 0; j < kJobs; ++j) {
    asio::co_spawn(ioc, [&, j]() -> asio::awaitable<void> {
      const std::string id = std::to_string(j);
      // Named: GCC 12 destroys a non-trivial temporary in a co_await operand twice.
      auto job = [&, id](Store& s) {
        MentionStore& mentions = s;
        return mentions.ingest_batch({item(id + "a"), item(id + "b", Label::positive)});
      };
      results[static_cast<std::size_t>(j)] = co_await exec->run_grouped(std::move(job));
      seen_on_resume[static_cast<std::size_t>(j)] = rows_seen_by_another_connection(path);
    }, asio::detached);
  }
  gate.open_later(ioc);
  ioc.run();

  for (int j = 0; j < kJobs; ++j) {
    const auto& r = results[static_cast<std::size_t>(j)];
    REQUIRE(r);
    REQUIRE(*r);
    REQUIRE((*r)->size() == 2);
    for (const auto& one : **r) {
      REQUIRE(one);
      CHECK(one->outcome == IngestOutcome::inserted);
    }
    CHECK((**r)[0]->alerts_queued == 2);
    // The first job of the group too: its rows and the others' were committed before it resumed.
    CHECK(seen_on_resume[static_cast<std::size_t>(j)] == 2 * kJobs);
  }
  CHECK(exec->stats().groups.load() == 1);
  CHECK(exec->stats().grouped_jobs.load() == kJobs);
  CHECK(exec->stats().group_retries.load() == 0);
  CHECK(exec->stats().jobs.load() == kJobs + 1);
  exec.reset();
  CHECK_FALSE(store->database().in_transaction());
  CHECK(store->mentions_total().value() == 2 * kJobs);
  CHECK(count(*store, "SELECT COUNT(*) FROM outbox") == 2 * kJobs);
}

TEST_CASE("a grouped job that fails rolls the group back; every job then runs alone", "[store][group]") {
  HeldStore held;
  constexpr int kJobs = 4;
  std::vector<int> runs(kJobs, 0);
  std::vector<std::optional<Stored>> results(kJobs);
  held.run(kJobs, [&](int j) -> asio::awaitable<void> {
    const std::string id = std::to_string(j);
    auto job = [&, j, id](Store& s) {
      ++runs[static_cast<std::size_t>(j)];
      MentionStore& mentions = s;
      std::vector<IngestItem> items{item(id + "a")};
      if (j == 2) items.push_back(item(id + "bad", Label::negative, failing_policy()));
      return mentions.ingest_batch(items);
    };
    results[static_cast<std::size_t>(j)] = co_await held.exec->run_grouped(std::move(job));
  });

  // The group ran jobs 0, 1 and 2, stopped at the failure, rolled back, and ran all four alone.
  CHECK(runs == std::vector<int>{2, 2, 2, 1});
  CHECK(held.exec->stats().group_retries.load() == 1);
  CHECK(held.exec->stats().groups.load() == 0);
  for (int j = 0; j < kJobs; ++j) {
    const auto& r = results[static_cast<std::size_t>(j)];
    REQUIRE(r);
    REQUIRE(*r);
    REQUIRE((**r)[0]);
    CHECK((**r)[0]->outcome == IngestOutcome::inserted);  // not "unchanged": the group's rows were undone
  }
  REQUIRE((*results[2])->size() == 2);
  REQUIRE_FALSE((**results[2])[1]);
  CHECK((**results[2])[1].error().detail.find(kCheckViolation) != std::string::npos);
  held.finish();
  CHECK_FALSE(test::in_transaction(*held.store));
  CHECK(held.store->mentions_total().value() == kJobs);
  CHECK(count(*held.store, "SELECT COUNT(*) FROM mentions") == kJobs);
  CHECK(count(*held.store, "SELECT COUNT(*) FROM outbox") == 2 * kJobs);
}

TEST_CASE("a grouped job that throws: its caller gets the exception, the others are stored", "[store][group]") {
  HeldStore held;
  std::vector<int> outcome(3, 0);  // 1 stored, 2 threw
  held.run(3, [&](int j) -> asio::awaitable<void> {
    try {
      auto r = co_await held.exec->run_grouped([&, j](Store& s) {
        MentionStore& mentions = s;
        auto stored = mentions.ingest_batch({item(std::to_string(j))});
        if (j == 1) throw std::runtime_error("job 1 fails after writing");
        return stored;
      });
      outcome[static_cast<std::size_t>(j)] = r && (*r)[0] ? 1 : 0;
    } catch (const std::runtime_error&) {
      outcome[static_cast<std::size_t>(j)] = 2;
    }
  });
  CHECK(outcome == std::vector<int>{1, 2, 1});
  CHECK(held.exec->stats().group_retries.load() == 1);
  held.finish();
  CHECK_FALSE(test::in_transaction(*held.store));
  // Job 1's own transaction committed before it threw, as it would have without the group.
  CHECK(held.store->mentions_total().value() == 3);
}

TEST_CASE("a group holds at most group_limit() jobs", "[store][group]") {
  HeldStore held;
  const int jobs = static_cast<int>(StoreExecutor::group_limit()) + 8;
  int done = 0;
  held.run(jobs, [&](int j) -> asio::awaitable<void> {
    auto r = co_await held.exec->run_grouped([j](Store& s) {
      MentionStore& mentions = s;
      return mentions.ingest_batch({item(std::to_string(j), Label::positive)});
    });
    if (r && (*r)[0]) ++done;
  });
  CHECK(done == jobs);
  CHECK(held.exec->stats().groups.load() == 2);
  CHECK(held.exec->stats().grouped_jobs.load() == static_cast<std::uint64_t>(jobs));
  held.finish();
  CHECK(held.store->mentions_total().value() == jobs);
}

TEST_CASE("a job alone, or on an inline executor, is run(f)", "[store][group]") {
  ManualClock clock(test_start());
  FreshStore store(clock);
  auto inline_exec = StoreExecutor::inline_on(*store);
  auto threaded = StoreExecutor::threaded(*store);
  asio::io_context ioc;
  int stored = 0;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
    for (StoreExecutor* exec : {inline_exec.get(), threaded.get()}) {
      const std::string id = exec == inline_exec.get() ? "inline" : "alone";
      auto job = [id](Store& s) {
        MentionStore& mentions = s;
        return mentions.ingest_batch({item(id)});
      };
      auto r = co_await exec->run_grouped(std::move(job));
      if (r && (*r)[0]) ++stored;
    }
  }, asio::detached);
  ioc.run();
  CHECK(stored == 2);
  CHECK(threaded->stats().groups.load() == 0);  // nothing queued with it: its own transaction
  CHECK(threaded->stats().group_retries.load() == 0);
  threaded.reset();
  CHECK(store->mentions_total().value() == 2);
}

namespace {

/// A lingering grouped job that stores one item; counts itself in `done` when stored.
asio::awaitable<void> linger_one(StoreExecutor& exec, std::string id, std::chrono::milliseconds linger, int& done) {
  auto job = [id](Store& s) {
    MentionStore& mentions = s;
    return mentions.ingest_batch({item(id, Label::positive)});
  };
  auto r = co_await exec.run_grouped(std::move(job), linger);
  if (r && (*r)[0]) ++done;
}

constexpr std::chrono::hours kForever{1};  // far beyond the test's own wait: only a wake ends it

/// A fresh store behind a threaded executor, and an event loop for the lingering callers.
struct LingerStore {
  ManualClock clock{test_start()};
  FreshStore store{clock};
  std::unique_ptr<StoreExecutor> exec = StoreExecutor::threaded(*store);
  asio::io_context ioc;
  int done = 0;
  void spawn(const std::string& id, std::chrono::milliseconds linger) {
    asio::co_spawn(ioc, linger_one(*exec, id, linger, done), asio::detached);
  }
  /// Runs the loop until every caller is done (or 20 s, far beyond what they need).
  void run() { ioc.run_for(std::chrono::seconds(20)); }
  /// Joins the store's thread and counts the stored mentions.
  std::int64_t stored() {
    exec.reset();
    return store->mentions_total().value();
  }
};

}  // namespace

TEST_CASE("lingering jobs wait for one another and go together once linger_limit() are queued",
          "[store][group][linger]") {
  LingerStore l;
  const int jobs = static_cast<int>(StoreExecutor::linger_limit());
  for (int j = 0; j < jobs; ++j) l.spawn(std::to_string(j), kForever);
  l.run();
  CHECK(l.done == jobs);  // none waited out its linger
  CHECK(l.exec->stats().groups.load() == 1);
  CHECK(l.exec->stats().grouped_jobs.load() == static_cast<std::uint64_t>(jobs));
  CHECK(l.stored() == jobs);
}

TEST_CASE("a job that does not linger never waits for the lingering ones", "[store][group][linger]") {
  LingerStore l;
  for (int j = 0; j < 3; ++j) l.spawn("backlog" + std::to_string(j), std::chrono::milliseconds{300});
  for (int j = 0; j < 2; ++j) l.spawn("news" + std::to_string(j), std::chrono::milliseconds{0});
  // The news goes at once (alone or with the other news): the backlogs are still waiting.
  for (int i = 0; i < 2000 && l.done < 2; ++i) l.ioc.run_one_for(std::chrono::milliseconds(10));
  CHECK(l.done == 2);
  const auto groups = l.exec->stats().groups.load();
  const auto grouped = l.exec->stats().grouped_jobs.load();
  CHECK(grouped <= 2);
  // Then the backlogs, together, once their time is up.
  l.run();
  CHECK(l.done == 5);
  CHECK(l.exec->stats().groups.load() == groups + 1);
  CHECK(l.exec->stats().grouped_jobs.load() == grouped + 3);
  CHECK(l.stored() == 5);
}

TEST_CASE("lingering jobs beyond linger_limit() go in the next group", "[store][group][linger]") {
  LingerStore l;
  const int jobs = static_cast<int>(StoreExecutor::linger_limit()) + 5;
  for (int j = 0; j < jobs; ++j) l.spawn(std::to_string(j), std::chrono::milliseconds{200});
  l.run();
  CHECK(l.done == jobs);
  CHECK(l.exec->stats().groups.load() == 2);  // the first full group at once, the other 5 after their wait
  CHECK(l.exec->stats().grouped_jobs.load() == static_cast<std::uint64_t>(jobs));
  CHECK(l.stored() == jobs);
}

TEST_CASE("a lingering job alone goes after its linger, in a transaction of its own", "[store][group][linger]") {
  LingerStore l;
  const auto t0 = std::chrono::steady_clock::now();
  l.spawn("alone", std::chrono::milliseconds{50});
  l.run();
  CHECK(l.done == 1);
  CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds{50});
  CHECK(l.exec->stats().groups.load() == 0);
  CHECK(l.stored() == 1);
}

TEST_CASE("a lingering job whose caller is gone leaves the queue", "[store][group][linger]") {
  ManualClock clock(test_start());
  FreshStore store(clock);
  auto exec = StoreExecutor::threaded(*store);
  int done = 0;
  {
    asio::io_context ioc;
    asio::co_spawn(ioc, linger_one(*exec, "gone", kForever, done), asio::detached);
    ioc.run_for(std::chrono::milliseconds(100));  // queued, lingering
  }  // the io_context and the coroutine with it are destroyed
  asio::io_context ioc;
  asio::co_spawn(ioc, linger_one(*exec, "next", std::chrono::milliseconds{0}, done), asio::detached);
  ioc.run_for(std::chrono::seconds(20));
  CHECK(done == 1);
  CHECK(exec->stats().groups.load() == 0);  // "next" ran alone: nothing of "gone" was left queued
  exec.reset();
  CHECK(store->mentions_total().value() == 1);
}
