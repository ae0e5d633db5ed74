// The replies role on each backend: a reply from preview to posted, the outcomes of queueing it
// (a double tap, a second reply of the mention, an explicit edit, a cancelled or failed one), its
// outbox row, what an alert shows, and the auto-reply pass (its candidates, queued once).
#include "daemon/store/reply_store.hpp"
#include "store_test_support.hpp"
#include "tests/support/catch_result.hpp"

#include <map>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

const Actor kAnna{"telegram", "7", "@anna"};
const Actor kBoris{"slack", "U2", "Boris"};

std::int64_t put(test::TestStore& store, const std::string& id, Label label = Label::negative) {
  auto r = store.ingest(test::sample_mention(id), test::sentiment_of(label), {}, AlertPolicy{});
  REQUIRE(r);
  return r->mention_id;
}

ReplyRecord draft(std::int64_t mention_id, std::string text, bool edit = false) {
  ReplyRecord r;
  r.mention_id = mention_id;
  r.channel = "support";
  r.actor = kAnna;
  r.text = std::move(text);
  r.edit = edit;
  return r;
}

std::int64_t preview(test::TestStore& store, const ReplyRecord& r, TimePoint now) {
  auto id = store.add_reply_preview(r, now);
  REQUIRE(id);
  return *id;
}

/// The pending outbox rows of the replies of source "reviews".
std::vector<OutboxItem> reply_rows(test::TestStore& store, TimePoint now) {
  auto rows = store.lease(reply_channel("reviews"), now, 1s, 100);
  REQUIRE(rows);
  return *rows;
}

}  // namespace

TEST_CASE("replies: preview, queue with its outbox row, posted", "[store][replies]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  const auto mention = put(*store, "1");

  ReplyRecord r = draft(mention, "Спасибо, Анна! Курьер опоздал — мы вернули стоимость доставки.");
  r.source = "ignored: the mention's own is kept";
  r.state = ReplyState::posted;  // set by the store, not taken from the record
  const auto id = preview(*store, r, t);
  auto stored = store->reply(id).value();
  REQUIRE(stored);
  CHECK(stored->id == id);
  CHECK(stored->mention_id == mention);
  CHECK(stored->source == "reviews");
  CHECK(stored->channel == "support");
  CHECK(stored->actor == kAnna);
  CHECK(stored->text == r.text);
  CHECK(stored->state == ReplyState::preview);
  CHECK_FALSE(stored->edit);
  CHECK_FALSE(stored->automatic);
  CHECK(stored->created == t);
  CHECK(stored->updated == t);
  CHECK_FALSE(stored->posted_at);
  CHECK(store->latest_reply(mention).value() == std::nullopt);  // a preview is not shown on the alert

  REQUIRE(store->set_reply_preview_message(id, "4242"));
  CHECK(store->reply(id).value()->preview_message == "4242");

  CHECK(store->queue_reply(id, kBoris, t + 1min).value() == ReplyQueueOutcome::queued);
  stored = store->reply(id).value();
  CHECK(stored->state == ReplyState::queued);
  CHECK(stored->actor == kBoris);  // who pressed Post
  CHECK(stored->updated == t + 1min);
  CHECK(store->latest_reply(mention).value() == stored);

  // Its outbox row: the reply channel of the source, kind "reply", the mention, {"reply": id}.
  const auto rows = reply_rows(*store, t + 1min);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].channel == "reply:reviews");
  CHECK(rows[0].kind == "reply");
  CHECK(rows[0].mention_id == mention);
  CHECK(rows[0].payload == "{\"reply\":" + std::to_string(id) + "}");
  CHECK(rows[0].created == t + 1min);
  CHECK(rows[0].attempts == 0);

  REQUIRE(store->mark_reply_posted(id, "wb-answer-9", t + 2min));
  stored = store->reply(id).value();
  CHECK(stored->state == ReplyState::posted);
  CHECK(stored->site_answer_id == "wb-answer-9");
  CHECK(stored->posted_at == t + 2min);
  CHECK(stored->updated == t + 2min);
  // Posted again (a dispatcher retrying after a crash): stays as it was.
  REQUIRE(store->mark_reply_posted(id, "other", t + 3min));
  CHECK(store->reply(id).value() == stored);
  CHECK(store->latest_reply(mention).value() == stored);
  CHECK_FALSE(test::in_transaction(*store));
}

TEST_CASE("replies: a double tap, a second reply, an edit", "[store][replies]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  const auto mention = put(*store, "1");
  const auto first = preview(*store, draft(mention, "first"), t);
  const auto second = preview(*store, draft(mention, "second"), t);
  const auto edit = preview(*store, draft(mention, "edited", true), t);

  CHECK(store->queue_reply(first, kAnna, t).value() == ReplyQueueOutcome::queued);
  // The same Post again, here or on another instance: nothing more is written.
  CHECK(store->queue_reply(first, kBoris, t + 1s).value() == ReplyQueueOutcome::already_queued);
  CHECK(store->reply(first).value()->actor == kAnna);
  // Another reply while the first is in flight; an edit too: one reply of a mention at a time.
  CHECK(store->queue_reply(second, kBoris, t + 1s).value() == ReplyQueueOutcome::busy);
  CHECK(store->queue_reply(edit, kBoris, t + 1s).value() == ReplyQueueOutcome::busy);
  CHECK(store->reply(second).value()->state == ReplyState::preview);
  CHECK(reply_rows(*store, t + 1s).size() == 1);

  REQUIRE(store->mark_reply_posted(first, "a1", t + 2s));
  CHECK(store->queue_reply(first, kBoris, t + 3s).value() == ReplyQueueOutcome::already_posted);
  CHECK(store->queue_reply(second, kBoris, t + 3s).value() == ReplyQueueOutcome::already_posted);
  CHECK(store->reply(second).value()->state == ReplyState::preview);

  // An explicit edit replaces the posted answer: queued, with an outbox row of its own.
  CHECK(store->queue_reply(edit, kBoris, t + 4s).value() == ReplyQueueOutcome::queued);
  const auto rows = reply_rows(*store, t + 1h);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].payload == "{\"reply\":" + std::to_string(edit) + "}");
  CHECK(store->latest_reply(mention).value()->id == edit);
  REQUIRE(store->mark_reply_posted(edit, "a1", t + 5s));
  CHECK(store->reply(first).value()->state == ReplyState::posted);  // the first stays as it was
  CHECK(store->latest_reply(mention).value()->id == edit);

  // Another edit after the edit is posted: queued as well (each is an explicit action).
  const auto again = preview(*store, draft(mention, "edited twice", true), t + 6s);
  CHECK(store->queue_reply(again, kAnna, t + 6s).value() == ReplyQueueOutcome::queued);
  CHECK(store->queue_reply(999999, kAnna, t).value() == ReplyQueueOutcome::not_found);
}

TEST_CASE("replies: cancelled and failed", "[store][replies]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  const auto mention = put(*store, "1");

  const auto cancelled = preview(*store, draft(mention, "no"), t);
  CHECK(store->cancel_reply(cancelled, t + 1s).value());
  CHECK(store->reply(cancelled).value()->state == ReplyState::cancelled);
  CHECK(store->reply(cancelled).value()->updated == t + 1s);
  CHECK_FALSE(store->cancel_reply(cancelled, t + 2s).value());
  CHECK(store->queue_reply(cancelled, kAnna, t + 3s).value() == ReplyQueueOutcome::cancelled);
  CHECK(reply_rows(*store, t + 1h).empty());

  const auto failing = preview(*store, draft(mention, "too long for the site"), t);
  REQUIRE(store->queue_reply(failing, kAnna, t + 4s).value() == ReplyQueueOutcome::queued);
  CHECK_FALSE(store->cancel_reply(failing, t + 5s).value());  // queued: no longer a preview
  REQUIRE(store->mark_reply_failed(failing, "HTTP 400: text over 1000 characters", t + 6s));
  auto stored = store->reply(failing).value();
  CHECK(stored->state == ReplyState::failed);
  CHECK(stored->error == "HTTP 400: text over 1000 characters");
  CHECK_FALSE(stored->posted_at);
  CHECK(store->queue_reply(failing, kAnna, t + 7s).value() == ReplyQueueOutcome::failed);
  CHECK(store->latest_reply(mention).value() == stored);  // the alert shows the site's reason
  // A failed reply cannot be posted after all; a preview cannot fail or be posted.
  CHECK(store->mark_reply_posted(failing, "x", t + 8s).error().code == errc::invalid_input);
  const auto draft_only = preview(*store, draft(mention, "draft"), t);
  CHECK(store->mark_reply_failed(draft_only, "x", t).error().code == errc::invalid_input);
  CHECK(store->mark_reply_posted(draft_only, "x", t).error().code == errc::invalid_input);

  // A corrected reply after the refusal: queued (the failed one holds nothing).
  const auto retry = preview(*store, draft(mention, "shorter"), t + 9s);
  CHECK(store->queue_reply(retry, kAnna, t + 9s).value() == ReplyQueueOutcome::queued);
  CHECK(store->latest_reply(mention).value()->id == retry);
}

TEST_CASE("replies: unknown mentions and replies", "[store][replies]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  CHECK(store->add_reply_preview(draft(424242, "x"), t).error().code == errc::not_found);
  CHECK(store->reply(1).value() == std::nullopt);
  CHECK(store->set_reply_preview_message(1, "m").error().code == errc::not_found);
  CHECK(store->cancel_reply(1, t).error().code == errc::not_found);
  CHECK(store->mark_reply_posted(1, "a", t).error().code == errc::not_found);
  CHECK(store->mark_reply_failed(1, "a", t).error().code == errc::not_found);
  CHECK(store->latest_reply(424242).value() == std::nullopt);
  CHECK(store->queue_auto_reply(424242, "thanks", t).error().code == errc::not_found);
  CHECK(test::count(*store, "SELECT COUNT(*) FROM replies") == 0);
}

TEST_CASE("auto replies: positive, not relabelled, unanswered, without a reply, in the window", "[store][replies]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t0 = test::test_start();
  // First seen one minute apart (the clock gives first_seen).
  std::map<std::string, std::int64_t> id;
  for (const char* name : {"early", "a", "negative", "relabelled", "confirmed", "answered", "drafted", "b", "late"}) {
    const Label label = std::string_view(name) == "negative" ? Label::negative : Label::positive;
    id[name] = put(*store, name, label);
    clock.advance(1min);
  }
  Mention other = test::sample_mention("other-source");
  other.source = "maps";
  clock.set(t0 + 2min);
  REQUIRE(store->ingest(other, test::sentiment_of(Label::positive), {}, AlertPolicy{}));
  REQUIRE(store->relabel(Relabel{id["relabelled"], Label::neutral, kAnna, t0 + 1h}));
  REQUIRE(store->relabel(Relabel{id["confirmed"], Label::negative, kAnna, t0 + 1h}));
  REQUIRE(store->relabel(Relabel{id["confirmed"], Label::positive, kBoris, t0 + 2h}));  // the latest says positive
  REQUIRE(store->update_reply(id["answered"], "Спасибо!"));
  preview(*store, draft(id["drafted"], "x"), t0);  // any reply row, a preview too

  const auto window = store->auto_reply_candidates("reviews", t0 + 1min, t0 + 8min, 10).value();
  CHECK(window == std::vector<std::int64_t>{id["a"], id["confirmed"], id["b"]});
  CHECK(store->auto_reply_candidates("reviews", t0 + 1min, t0 + 8min, 2).value() ==
        std::vector<std::int64_t>{id["a"], id["confirmed"]});
  CHECK(store->auto_reply_candidates("reviews", t0, t0 + 9min, 10).value() ==
        std::vector<std::int64_t>{id["early"], id["a"], id["confirmed"], id["b"], id["late"]});
  CHECK(store->auto_reply_candidates("reviews", t0 + 8min, t0 + 8min, 10).value().empty());
  CHECK(store->auto_reply_candidates("reviews", t0, t0 + 9min, 0).value().empty());
  CHECK(store->auto_reply_candidates("nowhere", t0, t0 + 9min, 10).value().empty());
}

TEST_CASE("auto replies: queued once, with their outbox row", "[store][replies]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  const auto mention = put(*store, "1", Label::positive);
  const auto queued = store->queue_auto_reply(mention, "Спасибо за отзыв!", t).value();
  REQUIRE(queued);
  CHECK(store->queue_auto_reply(mention, "Спасибо за отзыв!", t + 1s).value() == std::nullopt);
  auto stored = store->reply(*queued).value();
  REQUIRE(stored);
  CHECK(stored->state == ReplyState::queued);
  CHECK(stored->automatic);
  CHECK_FALSE(stored->edit);
  CHECK(stored->actor == Actor{"auto", "", "auto"});
  CHECK(stored->channel == "auto");
  CHECK(stored->source == "reviews");
  CHECK(stored->text == "Спасибо за отзыв!");
  CHECK(stored->created == t);
  const auto rows = reply_rows(*store, t);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].channel == "reply:reviews");
  CHECK(rows[0].kind == "reply");
  CHECK(rows[0].mention_id == mention);
  CHECK(rows[0].payload == "{\"reply\":" + std::to_string(*queued) + "}");
  CHECK(store->auto_reply_candidates("reviews", t - 1h, t + 1h, 10).value().empty());

  // A mention with a reply of any state, even a cancelled preview, is not thanked automatically.
  const auto other = put(*store, "2", Label::positive);
  const auto cancelled = preview(*store, draft(other, "x"), t);
  REQUIRE(store->cancel_reply(cancelled, t));
  CHECK(store->queue_auto_reply(other, "Спасибо!", t).value() == std::nullopt);
  CHECK(test::count(*store, "SELECT COUNT(*) FROM outbox WHERE kind = 'reply'") == 1);
  // The agent's reply after the automatic one: the automatic reply is in flight.
  const auto manual = preview(*store, draft(mention, "x"), t);
  CHECK(store->queue_reply(manual, kAnna, t).value() == ReplyQueueOutcome::busy);
}

TEST_CASE("replies: the schema keeps one reply of a mention in flight and one answer", "[store][replies]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  const auto mention = put(*store, "1");
  const auto id = preview(*store, draft(mention, "x"), t);
  REQUIRE(store->queue_reply(id, kAnna, t).value() == ReplyQueueOutcome::queued);
  // A writer that would skip queue_reply's checks is refused by the unique indexes.
  const std::string insert = "INSERT INTO replies (mention_id, source, text, state, edit, created_at, updated_at) "
                             "VALUES (" + std::to_string(mention) + ", 'reviews', 'y', ";
#if defined(OTKLIK_TEST_PG)
  auto exec = [&](const std::string& sql) { return store->connection().exec(sql); };
#else
  auto exec = [&](const std::string& sql) { return store->database().exec(sql); };
#endif
  CHECK_FALSE(exec(insert + "'queued', 1, 0, 0)"));
  CHECK_FALSE(exec(insert + "'posted', 0, 0, 0)"));
  REQUIRE(store->mark_reply_posted(id, "a", t));
  CHECK_FALSE(exec(insert + "'queued', 0, 0, 0)"));
  CHECK(exec(insert + "'posted', 1, 0, 0)"));  // an edit posted beside it
  CHECK(exec(insert + "'failed', 0, 0, 0)"));
}
