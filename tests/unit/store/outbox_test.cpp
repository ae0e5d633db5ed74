#include "store_test_support.hpp"
#include "tests/support/catch_result.hpp"

#include <vector>

using namespace otklik;
using namespace std::chrono_literals;
using test::count;

namespace {

struct Fixture {
  ManualClock clock{test::test_start()};
  test::FreshStore store{clock};
  TimePoint t0 = test::test_start();

  /// Queues a row for `channel` created at t0 + `offset`.
  std::int64_t add(const std::string& channel, std::chrono::seconds offset = 0s) {
    auto id = store->enqueue({channel, "alert", "{}"}, 0, t0 + offset);
    REQUIRE(id);
    return *id;
  }

  std::vector<std::int64_t> lease_ids(const std::string& channel, TimePoint now, int limit = 10,
                                      std::chrono::seconds lease = 60s) {
    auto items = store->lease(channel, now, lease, limit);
    REQUIRE(items);
    std::vector<std::int64_t> ids;
    for (const OutboxItem& i : *items) ids.push_back(i.id);
    return ids;
  }
};

using Ids = std::vector<std::int64_t>;

}  // namespace

TEST_CASE("lease returns due rows of one channel, oldest first, up to the limit", "[store][outbox]") {
  Fixture f;
  const auto a1 = f.add("tg");
  const auto b1 = f.add("slack");
  const auto a2 = f.add("tg");
  const auto a3 = f.add("tg", 30s);  // not due before t0 + 30s
  const auto a4 = f.add("tg");

  CHECK(f.lease_ids("tg", f.t0, 2) == Ids{a1, a2});
  CHECK(f.lease_ids("tg", f.t0, 10) == Ids{a4});  // a1, a2 leased; a3 not due
  CHECK(f.lease_ids("tg", f.t0 + 30s, 10) == Ids{a3});
  CHECK(f.lease_ids("slack", f.t0, 10) == Ids{b1});
  CHECK(f.lease_ids("none", f.t0, 10).empty());
  CHECK(f.lease_ids("tg", f.t0, 0).empty());
}

TEST_CASE("lease hands out item fields", "[store][outbox]") {
  Fixture f;
  auto r = f.store->ingest(test::sample_mention("1"), test::sentiment_of(Label::negative), test::two_channels());
  REQUIRE(r);
  auto items = f.store->lease("slack", f.t0, 60s, 10);
  REQUIRE(items);
  REQUIRE(items->size() == 1);
  const OutboxItem& item = items->front();
  CHECK(item.channel == "slack");
  CHECK(item.kind == "alert");
  CHECK(item.payload == R"({"thread":"x"})");
  CHECK(item.mention_id == r->mention_id);
  CHECK(item.attempts == 0);
  CHECK(item.created == f.t0);
}

TEST_CASE("a leased row is not leased again until its lease expires", "[store][outbox]") {
  Fixture f;
  const auto id = f.add("tg");
  CHECK(f.lease_ids("tg", f.t0, 10, 60s) == Ids{id});
  CHECK(f.lease_ids("tg", f.t0 + 59s, 10, 60s).empty());
  CHECK(f.store->next_due("tg").value() == f.t0 + 60s);
  CHECK(f.lease_ids("tg", f.t0 + 60s, 10, 60s) == Ids{id});  // expired: a crashed sender's row is retried
  CHECK(f.lease_ids("tg", f.t0 + 61s, 10, 60s).empty());
}

TEST_CASE("mark_retry counts the attempt and schedules the next", "[store][outbox]") {
  Fixture f;
  const auto id = f.add("tg");
  REQUIRE(f.lease_ids("tg", f.t0) == Ids{id});
  REQUIRE(f.store->mark_retry(id, f.t0 + 5min, "timeout: connect"));
  CHECK(f.lease_ids("tg", f.t0 + 4min).empty());
  CHECK(f.store->next_due("tg").value() == f.t0 + 5min);
  auto items = f.store->lease("tg", f.t0 + 5min, 60s, 10);
  REQUIRE(items);
  REQUIRE(items->size() == 1);
  CHECK(items->front().attempts == 1);
  CHECK(count(*f.store, "SELECT COUNT(*) FROM outbox WHERE last_error = 'timeout: connect'") == 1);
}

TEST_CASE("mark_sent and mark_dead finish a row for good", "[store][outbox]") {
  Fixture f;
  const auto sent = f.add("tg");
  const auto dead = f.add("tg");
  REQUIRE(f.lease_ids("tg", f.t0) == Ids{sent, dead});
  REQUIRE(f.store->mark_sent(sent, "msg-981", f.t0 + 1s));
  REQUIRE(f.store->mark_dead(dead, "permanent: chat not found", f.t0 + 1s));

  CHECK(f.lease_ids("tg", f.t0 + 1h).empty());
  CHECK_FALSE(f.store->next_due("tg").value().has_value());
  CHECK(count(*f.store, "SELECT COUNT(*) FROM outbox WHERE state = 'sent' AND remote_id = 'msg-981' "
                        "AND lease_until IS NULL AND attempts = 1") == 1);
  CHECK(count(*f.store, "SELECT COUNT(*) FROM outbox WHERE state = 'dead' AND lease_until IS NULL "
                        "AND last_error = 'permanent: chat not found'") == 1);

  // A finished row cannot be marked again (a late duplicate report from a dispatcher).
  auto again = f.store->mark_retry(sent, f.t0 + 2h, "late");
  REQUIRE_FALSE(again);
  CHECK(again.error().code == make_error_code(errc::invalid_input));
  CHECK_FALSE(f.store->mark_sent(dead, "x", f.t0));
  CHECK_FALSE(f.store->mark_dead(12345, "no such row", f.t0));
  CHECK(count(*f.store, "SELECT COUNT(*) FROM outbox WHERE state = 'sent'") == 1);
}

TEST_CASE("release_all_leases makes leased rows due again", "[store][outbox]") {
  Fixture f;
  const auto a = f.add("tg");
  const auto b = f.add("slack");
  REQUIRE(f.lease_ids("tg", f.t0, 10, 300s) == Ids{a});
  REQUIRE(f.lease_ids("slack", f.t0, 10, 300s) == Ids{b});
  REQUIRE(f.store->release_all_leases());
  CHECK(f.lease_ids("tg", f.t0 + 1s) == Ids{a});
  CHECK(f.lease_ids("slack", f.t0 + 1s) == Ids{b});
}

TEST_CASE("next_due is the earliest pending attempt of the channel", "[store][outbox]") {
  Fixture f;
  CHECK_FALSE(f.store->next_due("tg").value().has_value());
  f.add("tg", 40s);
  f.add("tg", 20s);
  f.add("slack", 5s);
  CHECK(f.store->next_due("tg").value() == f.t0 + 20s);
  CHECK(f.store->next_due("slack").value() == f.t0 + 5s);
}

TEST_CASE("outbox_counts counts by state and finds the oldest pending row", "[store][outbox]") {
  Fixture f;
  auto empty = f.store->outbox_counts();
  REQUIRE(empty);
  CHECK(empty->pending == 0);
  CHECK_FALSE(empty->oldest_pending_created.has_value());

  const auto a = f.add("tg", 0s);
  const auto b = f.add("tg", 10s);
  f.add("tg", 20s);
  f.add("slack", 30s);
  REQUIRE(f.lease_ids("tg", f.t0 + 10s) == Ids{a, b});
  REQUIRE(f.store->mark_sent(a, "1", f.t0 + 11s));
  REQUIRE(f.store->mark_dead(b, "bad", f.t0 + 11s));

  auto counts = f.store->outbox_counts();
  REQUIRE(counts);
  CHECK(counts->pending == 2);
  CHECK(counts->sent == 1);
  CHECK(counts->dead == 1);
  CHECK(counts->oldest_pending_created == f.t0 + 20s);
}

TEST_CASE("enqueue stores rows with or without a mention", "[store][outbox]") {
  Fixture f;
  auto r = f.store->ingest(test::sample_mention("1"), test::sentiment_of(Label::neutral), {});
  REQUIRE(r);
  auto with = f.store->enqueue({"tg", "notice", "{\"n\":1}"}, r->mention_id, f.t0);
  auto without = f.store->enqueue({"tg", "notice", ""}, 0, f.t0);
  REQUIRE(with);
  REQUIRE(without);
  CHECK(*without > *with);
  auto items = f.store->lease("tg", f.t0, 60s, 10);
  REQUIRE(items);
  REQUIRE(items->size() == 2);
  CHECK((*items)[0].mention_id == r->mention_id);
  CHECK((*items)[0].kind == "notice");
  CHECK((*items)[1].mention_id == 0);

  auto dangling = f.store->enqueue({"tg", "alert", ""}, 999, f.t0);  // foreign key enforced
  REQUIRE_FALSE(dangling);
  CHECK(dangling.error().detail.find(test::kForeignKeyViolation) != std::string::npos);
}
