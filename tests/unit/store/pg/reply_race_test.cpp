// Replies on PostgreSQL with several instances on one database: two sessions queueing replies of
// one mention at the same moment (two agents, or an agent and the auto-reply pass) queue exactly
// one; the other is told busy or already there, never fails and never writes a second outbox row.
#include "daemon/store/pg/pg_store.hpp"
#include "pg_test_support.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/store/store_test_support.hpp"

#include <latch>
#include <thread>
#include <vector>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

constexpr int kMentions = 25;

std::int64_t put(test::TestStore& store, const std::string& id) {
  auto r = store.ingest(test::sample_mention(id), test::sentiment_of(Label::positive), {}, AlertPolicy{});
  REQUIRE(r);
  return r->mention_id;
}

ReplyRecord draft(std::int64_t mention_id, const std::string& text) {
  ReplyRecord r;
  r.mention_id = mention_id;
  r.channel = "support";
  r.actor = Actor{"telegram", "7", "@anna"};
  r.text = text;
  return r;
}

}  // namespace

TEST_CASE("PostgreSQL replies: two sessions queueing two replies of one mention at once queue one",
          "[store][pg][replies]") {
  const test::StoreSite site;
  ManualClock clock(test::test_start());
  const TimePoint t = test::test_start();
  auto a = site.open(clock);
  auto b = site.open(clock);
  std::vector<std::int64_t> mentions, of_a, of_b;
  for (int i = 0; i < kMentions; ++i) {
    mentions.push_back(put(*a, "m" + std::to_string(i)));
    of_a.push_back(a->add_reply_preview(draft(mentions.back(), "from a"), t).value());
    of_b.push_back(b->add_reply_preview(draft(mentions.back(), "from b"), t).value());
  }

  std::vector<Result<ReplyQueueOutcome>> got_a(kMentions, Failure(errc::cancelled, "not run"));
  std::vector<Result<ReplyQueueOutcome>> got_b(kMentions, Failure(errc::cancelled, "not run"));
  std::latch start(2);
  std::thread ta([&] {
    start.arrive_and_wait();
    for (int i = 0; i < kMentions; ++i) got_a[i] = a->queue_reply(of_a[i], Actor{"telegram", "7", "@anna"}, t);
  });
  std::thread tb([&] {
    start.arrive_and_wait();
    for (int i = 0; i < kMentions; ++i) got_b[i] = b->queue_reply(of_b[i], Actor{"slack", "U2", "Boris"}, t);
  });
  ta.join();
  tb.join();

  for (int i = 0; i < kMentions; ++i) {
    INFO("mention " << i);
    REQUIRE(got_a[i]);
    REQUIRE(got_b[i]);
    const bool a_won = *got_a[i] == ReplyQueueOutcome::queued;
    const bool b_won = *got_b[i] == ReplyQueueOutcome::queued;
    CHECK(a_won != b_won);
    CHECK((a_won ? *got_b[i] : *got_a[i]) == ReplyQueueOutcome::busy);
    CHECK(test::count(*a, "SELECT COUNT(*) FROM replies WHERE state = 'queued' AND mention_id = " +
                              std::to_string(mentions[i])) == 1);
  }
  CHECK(test::count(*a, "SELECT COUNT(*) FROM outbox WHERE kind = 'reply'") == kMentions);
  CHECK_FALSE(a->connection().in_transaction());
  CHECK_FALSE(b->connection().in_transaction());
}

TEST_CASE("PostgreSQL replies: an agent's reply and the auto-reply pass at once queue one", "[store][pg][replies]") {
  const test::StoreSite site;
  ManualClock clock(test::test_start());
  const TimePoint t = test::test_start();
  auto a = site.open(clock);
  auto b = site.open(clock);
  std::vector<std::int64_t> mentions, drafts;
  for (int i = 0; i < kMentions; ++i) {
    mentions.push_back(put(*a, "m" + std::to_string(i)));
    drafts.push_back(a->add_reply_preview(draft(mentions.back(), "from a"), t).value());
  }
  std::vector<Result<ReplyQueueOutcome>> manual(kMentions, Failure(errc::cancelled, "not run"));
  std::vector<Result<std::optional<std::int64_t>>> automatic(kMentions, Failure(errc::cancelled, "not run"));
  std::latch start(2);
  std::thread ta([&] {
    start.arrive_and_wait();
    for (int i = 0; i < kMentions; ++i) manual[i] = a->queue_reply(drafts[i], Actor{"telegram", "7", "@anna"}, t);
  });
  std::thread tb([&] {
    start.arrive_and_wait();
    for (int i = 0; i < kMentions; ++i) automatic[i] = b->queue_auto_reply(mentions[i], "Спасибо!", t);
  });
  ta.join();
  tb.join();
  for (int i = 0; i < kMentions; ++i) {
    INFO("mention " << i);
    REQUIRE(manual[i]);
    REQUIRE(automatic[i]);
    // The draft is a reply row already: the automatic pass never queues beside it.
    CHECK(*automatic[i] == std::nullopt);
    CHECK(*manual[i] == ReplyQueueOutcome::queued);
  }
  // Two passes at once over the same mentions: each thanked once.
  std::vector<std::int64_t> fresh;
  for (int i = 0; i < kMentions; ++i) fresh.push_back(put(*a, "f" + std::to_string(i)));
  std::vector<Result<std::optional<std::int64_t>>> first(kMentions, Failure(errc::cancelled, "not run"));
  std::vector<Result<std::optional<std::int64_t>>> second(kMentions, Failure(errc::cancelled, "not run"));
  std::latch again(2);
  std::thread pa([&] {
    again.arrive_and_wait();
    for (int i = 0; i < kMentions; ++i) first[i] = a->queue_auto_reply(fresh[i], "Спасибо!", t);
  });
  std::thread pb([&] {
    again.arrive_and_wait();
    for (int i = 0; i < kMentions; ++i) second[i] = b->queue_auto_reply(fresh[i], "Спасибо!", t);
  });
  pa.join();
  pb.join();
  for (int i = 0; i < kMentions; ++i) {
    INFO("fresh mention " << i);
    REQUIRE(first[i]);
    REQUIRE(second[i]);
    CHECK(first[i]->has_value() != second[i]->has_value());
  }
  CHECK(test::count(*a, "SELECT COUNT(*) FROM outbox WHERE kind = 'reply'") == 2 * kMentions);
}
