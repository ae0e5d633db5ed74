#pragma once
/// The role calls of a running daemon — a poll, an alert's delivery, the timers, the weekly digest —
/// made once each over a seeded history (seed_history.hpp), for the query-plan tests of both
/// backends: whatever SQL they send is what the daemon sends.

#include "daemon/store/store.hpp"
#include "daemon/store/store_detail.hpp"
#include "daemon/understanding/author.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/store/seed_history.hpp"
#include "tests/unit/store/store_test_support.hpp"

#include <chrono>

namespace otklik::test {

/// Uses every role of `store` once, as the daemon does, at `t` (REQUIREs each call).
inline void use_every_role(Store& store, TimePoint t) {
  using namespace std::chrono_literals;
  // A poll: state, the known lookup, new / edited / unchanged items, a reply, the author's history.
  SourceState state = store.source_state("seed-1").value();
  state.polls += 1;
  REQUIRE(store.save_source_state(state, {{"chat", "notice", "{}", std::nullopt}}));
  REQUIRE(store.save_source_states({state}));
  REQUIRE(store.source_states());
  Mention m = sample_mention("new-1");
  m.source = "seed-1";
  m.author = seed_author(7);
  m.brand = "Acme";
  understanding::Understanding u;
  u.topics = {"waiting"};
  u.author_name_key = understanding::author_keys(m.source, m.author, m.author_id).name_key;
  AlertPolicy policy = two_channels();
  policy.severity = "high";
  REQUIRE(store.known("seed-1", {"seed-1", "seed-51", "new-1"}));
  AuthorQuery q;
  q.name_key = u.author_name_key;
  q.id_key = "seed-1#u1";
  q.since = t - 30 * 24h;
  REQUIRE(store.author_history(q));
  auto inserted = store.ingest(m, sentiment_of(Label::negative), u, policy).value();
  Mention edited = m;
  edited.text += " Still waiting.";
  REQUIRE(store.ingest_batch({IngestItem{edited, sentiment_of(Label::negative), u, policy},
                               IngestItem{m, sentiment_of(Label::positive), {}, {}}}));
  REQUIRE(store.update_reply(inserted.mention_id, "Разбираемся."));
  REQUIRE(store.mention_id("seed-1", "new-1"));
  REQUIRE(store.mentions_total());

  // An alert: lease, build, deliver, record; a case action and its status rows.
  auto rows = store.lease("telegram", t + 1h, 60s, 1).value();
  REQUIRE_FALSE(rows.empty());
  REQUIRE(store.mention(rows[0].mention_id));
  REQUIRE(store.case_of(rows[0].mention_id));
  REQUIRE(store.posted_alerts(rows[0].mention_id));
  REQUIRE(store.mark_sent(rows[0].id, "1", t));
  REQUIRE(store.next_due("telegram"));
  auto more = store.lease("slack", t + 1h, 60s, 1).value();
  REQUIRE_FALSE(more.empty());
  REQUIRE(store.mark_retry(more[0].id, t + 1min, "timeout"));
  REQUIRE(store.retry_now("slack", t + 1h));
  auto again = store.lease("slack", t + 1h, 60s, 1).value();
  REQUIRE_FALSE(again.empty());
  REQUIRE(store.mark_dead(again[0].id, "403", t));
  REQUIRE(store.set_channel_hold("telegram", t + 1min));
  REQUIRE(store.channel_hold("telegram"));
  REQUIRE(store.apply_case_action(inserted.mention_id, CaseAction::take, Actor{"telegram", "1", "@a"}, "", t));
  REQUIRE(store.enqueue({"telegram", "status", "{}", std::nullopt}, inserted.mention_id, t));
  REQUIRE(store.outbox_counts());

  // A reply from the chat: preview, Post, the dispatcher's outcome, what the alert shows; the
  // auto-reply pass (its candidates, one thanked); a refused one.
  ReplyRecord draft;
  draft.mention_id = inserted.mention_id;
  draft.channel = "telegram";
  draft.actor = Actor{"telegram", "1", "@a"};
  draft.text = "Спасибо за отзыв. Курьер опоздал — мы вернули стоимость доставки.";
  const std::int64_t reply_id = store.add_reply_preview(draft, t).value();
  REQUIRE(store.set_reply_preview_message(reply_id, "77"));
  REQUIRE(store.queue_reply(reply_id, Actor{"telegram", "1", "@a"}, t).value() == ReplyQueueOutcome::queued);
  REQUIRE(store.reply(reply_id));
  REQUIRE(store.mark_reply_posted(reply_id, "answer-1", t));
  REQUIRE(store.latest_reply(inserted.mention_id));
  const std::int64_t spare = store.add_reply_preview(draft, t).value();
  REQUIRE(store.cancel_reply(spare, t));
  const auto thank = store.auto_reply_candidates("seed-1", t - 30 * 24h, t, 5).value();
  REQUIRE_FALSE(thank.empty());
  const auto thanked = store.queue_auto_reply(thank[0], "Спасибо!", t).value();
  REQUIRE(thanked);
  REQUIRE(store.mark_reply_failed(*thanked, "HTTP 403", t));

  // The timers: due cases, escalations, follow-ups, spikes, cursors.
  REQUIRE(store.due_cases(t, 100));
  REQUIRE(store.plan_case_check(inserted.mention_id, t + 1h));
  REQUIRE(store.next_case_check());
  REQUIRE(store.record_escalation(inserted.mention_id, "take", 1, {"managers", "escalation", "{}", std::nullopt}, t));
  REQUIRE(store.record_follow_up(inserted.mention_id, {"telegram", "follow_up", "{}", std::nullopt}, t));
  const std::int64_t minute = store::to_ms(t) / 60000;
  REQUIRE(store.negative_counts("Acme", "", minute - 50000, minute));
  REQUIRE(store.negative_counts("Acme", "waiting", minute - 50000, minute));
  REQUIRE(store.active_spikes());
  SpikeRecord spike;
  spike.brand = "Acme";
  spike.started = t;
  REQUIRE(store.start_spike(spike, {{"chat", "notice", "{}", std::nullopt}}, t));
  const auto active = store.active_spikes().value();
  REQUIRE_FALSE(active.empty());
  REQUIRE(store.update_spike_peak(active[0].id, 9));
  REQUIRE(store.end_spike(active[0].id, {{"chat", "notice", "{}", std::nullopt}}, t));
  REQUIRE(store.save_cursor("telegram:bot1", "42", t));
  REQUIRE(store.cursor("telegram:bot1"));

  // The weekly digest: a week's reports and the ledger.
  const ReportRange week{t - 7 * 24h, t}, prev{t - 14 * 24h, t - 7 * 24h};
  REQUIRE(store.count_rows(false, week, prev, {}));
  REQUIRE(store.count_rows(true, week, prev, {"Acme"}));
  REQUIRE(store.topic_counts(week, prev, {}));
  REQUIRE(store.rating_averages(week, {}));
  REQUIRE(store.report_cases(week, {}));
  REQUIRE(store.top_negative(week, {}, 10));
  REQUIRE(store.authored_negatives(ReportRange{t - 30 * 24h, t}, {}));
  REQUIRE(store.claim_digest("2026-W47", "a@b.c", "<id>", t, 15min));
  REQUIRE(store.mark_digest_sent("2026-W47", "a@b.c", t));
  REQUIRE(store.find_digest("2026-W47", "a@b.c"));
  REQUIRE(store.latest_digest_sent("a@b.c"));

  // Several instances: a lease round, a fenced slice and state, the leader's spike pairs.
  std::vector<std::string> leases{"leader"};
  for (int i = 0; i < 50; ++i) leases.push_back("source:seed-" + std::to_string(i));
  REQUIRE(store.ensure_leases(leases));
  REQUIRE(store.heartbeat("a", "a-1", t, 15s));
  REQUIRE(store.renew_leases("a", t + 15s));
  const auto claimed = store.claim_leases("a", leases, 10, t, t + 15s).value();
  REQUIRE_FALSE(claimed.empty());
  REQUIRE(store.claim_leases("a", leases, 10, t - 15s, t + 15s));
  const LeaseFence fence{claimed[0].name, "a", claimed[0].fence};
  REQUIRE(store.fence_holds(fence));
  Mention fenced = sample_mention("fenced-1");
  fenced.source = "seed-1";
  REQUIRE(store.ingest_batch({IngestItem{fenced, sentiment_of(Label::negative), u, policy}}, fence));
  SourceState leased = store.source_state("seed-1").value();
  leased.lease = fence;
  REQUIRE(store.save_source_state(leased));
  REQUIRE(store.pairs_since(minute - 5));
  REQUIRE(store.release_leases("a", {claimed[0].name}, t));
  REQUIRE(store.release_holder("a", t));
}

}  // namespace otklik::test
