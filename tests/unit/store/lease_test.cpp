// The leases role on each backend: claims raise the fence, renewals keep it, expired and released
// leases are claimed again, and fenced writes commit only while their lease holds.
#include "store_test_support.hpp"
#include "tests/support/catch_result.hpp"

#include <algorithm>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> names_of(const std::vector<HeldLease>& leases) {
  std::vector<std::string> out;
  for (const auto& l : leases) out.push_back(l.name);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("leases: a claim takes free leases up to the limit and raises their fence", "[store][leases]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint now = test::test_start();
  REQUIRE(store->ensure_leases({"source:a", "source:b", "source:c"}));
  auto first = store->claim_leases("x", {"source:a", "source:b", "source:c"}, 2, now, now + 15s);
  REQUIRE(first);
  REQUIRE(first->size() == 2);
  for (const auto& l : *first) CHECK(l.fence == 1);
  // The other instance gets what is left, and nothing held by x.
  auto second = store->claim_leases("y", {"source:a", "source:b", "source:c"}, 5, now, now + 15s);
  REQUIRE(second);
  REQUIRE(second->size() == 1);
  const auto taken = names_of(*first);
  CHECK(std::find(taken.begin(), taken.end(), (*second)[0].name) == taken.end());
  // A name never ensured has no row: nobody can claim it until it is ensured.
  CHECK(store->claim_leases("y", {"leader"}, 1, now, now + 15s).value().empty());
  REQUIRE(store->ensure_leases({"leader"}));
  auto leader = store->claim_leases("y", {"leader"}, 1, now, now + 15s);
  REQUIRE(leader);
  REQUIRE(leader->size() == 1);
  CHECK((*leader)[0] == HeldLease{"leader", 1});
  CHECK(store->claim_leases("x", {"leader"}, 1, now, now + 15s).value().empty());
}

TEST_CASE("leases: renewal keeps the fence, an expired lease goes to the next claimer with a new fence",
          "[store][leases]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t0 = test::test_start();
  REQUIRE(store->ensure_leases({"source:a", "source:b"}));
  REQUIRE(store->claim_leases("x", {"source:a", "source:b"}, 2, t0, t0 + 15s));
  auto renewed = store->renew_leases("x", t0 + 20s);
  REQUIRE(renewed);
  CHECK(*renewed == std::vector<HeldLease>{{"source:a", 1}, {"source:b", 1}});
  // Not expired yet at t0 + 19s: nobody else takes it.
  CHECK(store->claim_leases("y", {"source:a"}, 1, t0 + 19s, t0 + 35s).value().empty());
  // Expired at t0 + 20s.
  auto taken = store->claim_leases("y", {"source:a"}, 1, t0 + 20s, t0 + 35s);
  REQUIRE(taken);
  CHECK(*taken == std::vector<HeldLease>{{"source:a", 2}});
  // x finds out at its next renewal: only b is left.
  CHECK(store->renew_leases("x", t0 + 40s).value() == std::vector<HeldLease>{{"source:b", 1}});
  CHECK(store->renew_leases("y", t0 + 40s).value() == std::vector<HeldLease>{{"source:a", 2}});
}

TEST_CASE("leases: released leases are claimable at once, release_holder frees every lease of one holder",
          "[store][leases]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t0 = test::test_start();
  REQUIRE(store->ensure_leases({"source:a", "source:b", "source:c", "leader"}));
  REQUIRE(store->claim_leases("x", {"source:a", "source:b", "leader"}, 3, t0, t0 + 15s));
  REQUIRE(store->claim_leases("y", {"source:c"}, 1, t0, t0 + 15s));
  REQUIRE(store->release_leases("x", {"source:a", "source:c"}, t0 + 1s));  // c is y's: untouched
  CHECK(names_of(store->renew_leases("y", t0 + 15s).value()) == std::vector<std::string>{"source:c"});
  // Free since its release at t0 + 1s: not for a claim asking for leases free since t0.
  CHECK(store->claim_leases("y", {"source:a"}, 1, t0, t0 + 15s).value().empty());
  auto a = store->claim_leases("y", {"source:a"}, 1, t0 + 1s, t0 + 15s);
  REQUIRE(a);
  CHECK(*a == std::vector<HeldLease>{{"source:a", 2}});
  REQUIRE(store->release_holder("x", t0 + 2s));
  CHECK(store->renew_leases("x", t0 + 15s).value().empty());
  CHECK(store->claim_leases("y", {"leader", "source:b"}, 2, t0 + 2s, t0 + 15s).value().size() == 2);
}

TEST_CASE("leases: a fenced poll commits only while its lease holds", "[store][leases][ingest]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t0 = test::test_start();
  REQUIRE(store->ensure_leases({"source:reviews"}));
  auto claimed = store->claim_leases("x", {"source:reviews"}, 1, t0, t0 + 15s);
  REQUIRE(claimed);
  REQUIRE(claimed->size() == 1);
  const LeaseFence fence{"source:reviews", "x", (*claimed)[0].fence};
  CHECK(store->fence_holds(fence).value());

  std::vector<IngestItem> items{{test::sample_mention("r1"), test::sentiment_of(Label::negative), {},
                                 test::two_channels()}};
  auto stored = store->ingest_batch(items, fence);
  REQUIRE(stored);
  REQUIRE((*stored)[0]);
  CHECK((*stored)[0]->alerts_queued == 2);

  SourceState state;
  state.source = "reviews";
  state.polls = 1;
  state.lease = fence;
  REQUIRE(store->save_source_state(state));

  // Another instance takes the lease over (x was paused past its expiry).
  REQUIRE(store->claim_leases("y", {"source:reviews"}, 1, t0 + 16s, t0 + 31s).value().size() == 1);
  CHECK_FALSE(store->fence_holds(fence).value());

  // x's late writes are refused whole: no mention, no alert, no state.
  std::vector<IngestItem> late{{test::sample_mention("r2"), test::sentiment_of(Label::negative), {},
                                test::two_channels()}};
  auto refused = store->ingest_batch(late, fence);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == make_error_code(errc::lease_lost));
  CHECK_FALSE(store->mention_id("reviews", "r2").value().has_value());
  CHECK(store->outbox_counts().value().pending == 2);
  state.polls = 7;
  auto save = store->save_source_state(state);
  REQUIRE_FALSE(save);
  CHECK(save.error().code == make_error_code(errc::lease_lost));
  // A batch of saves skips the stale state and writes the rest.
  SourceState other;
  other.source = "other";
  other.polls = 2;
  REQUIRE(store->save_source_states({state, other}));
  CHECK(store->source_state("reviews").value().polls == 1);
  CHECK(store->source_state("other").value().polls == 2);
  CHECK_FALSE(test::in_transaction(*store));
}

TEST_CASE("leases: heartbeats count the live instances and notice a second process under one id",
          "[store][leases]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t0 = test::test_start();
  auto a = store->heartbeat("a", "a-1", t0, 15s);
  REQUIRE(a);
  CHECK(a->live == 1);
  CHECK_FALSE(a->id_clash);
  CHECK(store->heartbeat("b", "b-1", t0 + 1s, 15s).value().live == 2);
  CHECK(store->heartbeat("c", "c-1", t0 + 2s, 15s).value().live == 3);
  // a keeps beating; b and c stop: after the window only a is alive.
  CHECK(store->heartbeat("a", "a-1", t0 + 10s, 15s).value().live == 3);
  auto later = store->heartbeat("a", "a-1", t0 + 20s, 15s);
  REQUIRE(later);
  CHECK(later->live == 1);
  CHECK_FALSE(later->id_clash);
  // Another process writes a's row: a sees it at its next beat.
  REQUIRE(store->heartbeat("a", "a-2", t0 + 21s, 15s));
  CHECK(store->heartbeat("a", "a-1", t0 + 22s, 15s).value().id_clash);
  // Rows not seen for ten windows are removed.
  REQUIRE(store->heartbeat("a", "a-1", t0 + 1000s, 15s));
  CHECK(test::count(*store, "SELECT COUNT(*) FROM instances") == 1);
}

TEST_CASE("spikes: the pairs with negatives since a minute", "[store][spikes][leases]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  Mention m = test::sample_mention("n1");
  m.brand = "acme";
  m.published = test::test_start();
  understanding::Understanding u;
  u.topics = {"delivery"};
  REQUIRE(store->ingest(m, test::sentiment_of(Label::negative), u, test::two_channels()));
  const std::int64_t minute = std::chrono::floor<std::chrono::minutes>(test::test_start().time_since_epoch()).count();
  auto pairs = store->pairs_since(minute);
  REQUIRE(pairs);
  std::sort(pairs->begin(), pairs->end());
  CHECK(*pairs == std::vector<std::pair<std::string, std::string>>{{"acme", ""}, {"acme", "delivery"}});
  CHECK(store->pairs_since(minute + 1).value().empty());
}
