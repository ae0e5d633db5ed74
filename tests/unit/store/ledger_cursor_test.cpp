// The ledgers role (the digest's exactly-once claims) and the cursors role, on the backend under
// test (store_test_support.hpp).
#include "store_test_support.hpp"
#include "tests/support/catch_result.hpp"

using namespace otklik;
using namespace std::chrono_literals;

namespace {

/// The failure code of a Result that must have failed.
template <class T>
std::error_code failure_code(const Result<T>& r) {
  REQUIRE_FALSE(r);
  return r.error().code;
}

}  // namespace

TEST_CASE("a digest is claimed once, leased while it is sent, and sent once", "[store][ledger]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();

  auto first = store->claim_digest("2026-W47", "team", "<m1@otklik>", t, 10min);
  REQUIRE(first);
  CHECK(first->outcome == ClaimOutcome::claimed);
  CHECK(first->row.attempts == 1);
  CHECK(first->row.next_attempt == t + 10min);
  CHECK(first->row.message_id == "<m1@otklik>");

  // Another claimer during the lease: busy, and the row keeps its first Message-ID.
  auto second = store->claim_digest("2026-W47", "team", "<m2@otklik>", t + 1min, 10min);
  REQUIRE(second);
  CHECK(second->outcome == ClaimOutcome::busy);
  CHECK(second->row.message_id == "<m1@otklik>");

  // After the lease (a crash during the send): claimed again, same Message-ID.
  auto third = store->claim_digest("2026-W47", "team", "<m3@otklik>", t + 10min, 10min);
  REQUIRE(third);
  CHECK(third->outcome == ClaimOutcome::claimed);
  CHECK(third->row.attempts == 2);
  CHECK(third->row.message_id == "<m1@otklik>");

  REQUIRE(store->mark_digest_sent("2026-W47", "team", t + 11min));
  auto row = store->find_digest("2026-W47", "team").value();
  REQUIRE(row);
  CHECK(row->state == DigestState::sent);
  CHECK(row->sent_at == t + 11min);
  CHECK(store->claim_digest("2026-W47", "team", "<m4@otklik>", t + 1h, 10min)->outcome ==
        ClaimOutcome::already_sent);
  // Marks apply to pending rows only.
  CHECK(failure_code(store->mark_digest_sent("2026-W47", "team", t + 2h)) == make_error_code(errc::invalid_input));
  CHECK(failure_code(store->mark_digest_retry("2026-W48", "team", t, "x")) == make_error_code(errc::invalid_input));
}

TEST_CASE("a digest retried, failed for good, and forced again", "[store][ledger]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();

  REQUIRE(store->claim_digest("2026-W47", "team", "<a@otklik>", t, 10min)->outcome == ClaimOutcome::claimed);
  REQUIRE(store->mark_digest_retry("2026-W47", "team", t + 30min, "451 try later"));
  auto row = store->find_digest("2026-W47", "team").value();
  REQUIRE(row);
  CHECK(row->state == DigestState::pending);
  CHECK(row->next_attempt == t + 30min);
  CHECK(row->last_error == "451 try later");
  CHECK(store->claim_digest("2026-W47", "team", "<b@otklik>", t + 20min, 10min)->outcome == ClaimOutcome::busy);

  REQUIRE(store->claim_digest("2026-W47", "team", "<b@otklik>", t + 30min, 10min)->outcome == ClaimOutcome::claimed);
  REQUIRE(store->mark_digest_failed("2026-W47", "team", "550 no such user"));
  auto failed = store->claim_digest("2026-W47", "team", "<c@otklik>", t + 2h, 10min);
  REQUIRE(failed);
  CHECK(failed->outcome == ClaimOutcome::failed);
  CHECK(failed->row.last_error == "550 no such user");

  // --force: back to pending, due now, a new Message-ID.
  REQUIRE(store->reset_digest("2026-W47", "team", "<d@otklik>", t + 3h));
  auto forced = store->claim_digest("2026-W47", "team", "<e@otklik>", t + 3h, 10min);
  REQUIRE(forced);
  CHECK(forced->outcome == ClaimOutcome::claimed);
  CHECK(forced->row.message_id == "<d@otklik>");
  CHECK(forced->row.last_error.empty());
  CHECK_FALSE(store->find_digest("2026-W48", "team").value().has_value());
}

TEST_CASE("the latest digest sent is per recipient list", "[store][ledger]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  CHECK_FALSE(store->latest_digest_sent("team").value().has_value());
  for (const char* week : {"2026-W09", "2026-W10", "2025-W52"}) {
    REQUIRE(store->claim_digest(week, "team", "<x@otklik>", t, 10min)->outcome == ClaimOutcome::claimed);
    REQUIRE(store->mark_digest_sent(week, "team", t));
  }
  REQUIRE(store->claim_digest("2026-W11", "team", "<y@otklik>", t, 10min)->outcome == ClaimOutcome::claimed);
  REQUIRE(store->claim_digest("2027-W01", "boss", "<z@otklik>", t, 10min)->outcome == ClaimOutcome::claimed);
  REQUIRE(store->mark_digest_sent("2027-W01", "boss", t));
  CHECK(store->latest_digest_sent("team").value() == std::optional<std::string>("2026-W10"));
  CHECK(store->latest_digest_sent("boss").value() == std::optional<std::string>("2027-W01"));
}

TEST_CASE("cursors are saved, replaced and read back", "[store][cursors]") {
  ManualClock clock(test::test_start());
  const test::StoreSite site;
  {
    auto store = site.open(clock);
    CHECK_FALSE(store->cursor("telegram:bot1").value().has_value());
    REQUIRE(store->save_cursor("telegram:bot1", "1001", test::test_start()));
    REQUIRE(store->save_cursor("telegram:bot2", "7", test::test_start()));
    REQUIRE(store->save_cursor("telegram:bot1", "1002", test::test_start() + 1s));
  }
  auto store = site.open(clock);  // a restart keeps them
  CHECK(store->cursor("telegram:bot1").value() == std::optional<std::string>("1002"));
  CHECK(store->cursor("telegram:bot2").value() == std::optional<std::string>("7"));
  CHECK(store->cursor("").value() == std::nullopt);
}
