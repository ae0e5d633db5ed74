// The store's understanding parts: the understanding kept with a mention, topics for counting,
// the author lookup, negative times per brand and topic, spikes exactly once, source health.
#include "store_test_support.hpp"
#include "daemon/store/store_detail.hpp"
#include "tests/support/catch_result.hpp"

using namespace otklik;
using namespace std::chrono_literals;

namespace {

understanding::Understanding understood(std::vector<std::string> topics, std::string id_key = "",
                                        std::string name_key = "") {
  understanding::Understanding u;
  for (const auto& t : topics) u.claims.push_back({0, 4, "ждал час в очереди", -0.4, {t}});
  u.topics = std::move(topics);
  u.author_id_key = std::move(id_key);
  u.author_name_key = std::move(name_key);
  return u;
}

Mention by(std::string source, std::string id, std::string brand, TimePoint published, std::string text = "") {
  Mention m = text.empty() ? test::sample_mention(std::move(id)) : test::sample_mention(std::move(id), std::move(text));
  m.source = std::move(source);
  m.brand = std::move(brand);
  m.published = published;
  return m;
}

}  // namespace

TEST_CASE("the understanding is stored with the mention and read back", "[store][understanding]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  auto u = understood({"waiting", "rudeness"}, "reviews#u42", "анна петрова");
  u.brand = understanding::BrandMatch{"Acme", "Acmee", 0, 5, "typo", 1};
  auto r = store->ingest(test::sample_mention("a1"), test::sentiment_of(Label::negative), u, test::two_channels());
  REQUIRE(r);
  auto m = store->mention(r->mention_id);
  REQUIRE(m);
  REQUIRE(m->has_value());
  CHECK((*m)->understanding == u);
  CHECK(test::count(*store, "SELECT COUNT(*) FROM mention_topics WHERE mention_id = 1") == 2);

  // An edit replaces the topics.
  Mention edited = test::sample_mention("a1", "The courier was rude");
  REQUIRE(store->ingest(edited, test::sentiment_of(Label::negative), understood({"rudeness"}), test::two_channels()));
  CHECK(test::count(*store, "SELECT COUNT(*) FROM mention_topics WHERE mention_id = 1") == 1);
  CHECK(test::count(*store, "SELECT COUNT(*) FROM mention_topics WHERE topic = 'rudeness'") == 1);

  // Without understanding (the old overload) nothing breaks and nothing is counted.
  auto plain = store->ingest(test::sample_mention("a2"), test::sentiment_of(Label::neutral), test::two_channels());
  REQUIRE(plain);
  CHECK(store->mention(plain->mention_id).value()->understanding == understanding::Understanding{});
  CHECK(store->mention_id("reviews", "a2").value() == std::optional<std::int64_t>(plain->mention_id));
  CHECK_FALSE(store->mention_id("reviews", "nope").value().has_value());
}

TEST_CASE("author history finds earlier negatives by id key or name key within the window", "[store][understanding]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  const auto neg = test::sentiment_of(Label::negative);
  // Same person: same id on one site, same full name on another.
  REQUIRE(store->ingest(by("maps", "m1", "Acme", t - 20 * 24h), neg, understood({"waiting"}, "maps#7", "анна петрова"),
                        test::two_channels()));
  REQUIRE(store->ingest(by("banki", "b1", "Acme", t - 3 * 24h), neg, understood({"money"}, "", "анна петрова"),
                        test::two_channels(false)));
  // Too old, positive, or somebody else: not returned.
  REQUIRE(store->ingest(by("maps", "m0", "Acme", t - 40 * 24h), neg, understood({}, "maps#7", ""), test::two_channels()));
  REQUIRE(store->ingest(by("maps", "m2", "Acme", t - 2 * 24h), test::sentiment_of(Label::positive),
                        understood({}, "maps#7", ""), test::two_channels()));
  REQUIRE(store->ingest(by("maps", "m3", "Acme", t - 1 * 24h), neg, understood({}, "maps#8", "иван иванов"),
                        test::two_channels()));

  AuthorQuery q;
  q.id_key = "maps#7";
  q.name_key = "анна петрова";
  q.since = t - 30 * 24h;
  auto h = store->author_history(q);
  REQUIRE(h);
  REQUIRE(h->size() == 2);
  CHECK((*h)[0].source == "banki");  // newest first
  CHECK((*h)[0].topics == std::vector<std::string>{"money"});
  CHECK((*h)[0].case_state.empty());  // it queued no alert, so it has no case
  CHECK((*h)[1].source == "maps");
  CHECK((*h)[1].case_state == "new");
  CHECK((*h)[1].at == t - 20 * 24h);

  q.exclude_mention = (*h)[0].mention_id;
  CHECK(store->author_history(q).value().size() == 1);
  CHECK(store->author_history(AuthorQuery{}).value().empty());  // no keys: nobody
}

TEST_CASE("negatives are counted per brand, topic and minute, never in the future of first sight",
          "[store][understanding][spikes]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  const auto neg = test::sentiment_of(Label::negative);
  REQUIRE(store->ingest(by("s", "1", "Acme", t - 2h), neg, understood({"waiting"}), test::two_channels()));
  REQUIRE(store->ingest(by("s", "2", "Acme", t - 1h), neg, understood({"waiting", "rudeness"}), test::two_channels()));
  REQUIRE(store->ingest(by("s", "3", "Acme", t + 5h), neg, understood({"rudeness"}), test::two_channels()));
  REQUIRE(store->ingest(by("s", "4", "Other", t - 1h), neg, understood({"waiting"}), test::two_channels()));
  REQUIRE(store->ingest(by("s", "5", "Acme", t - 1h), test::sentiment_of(Label::neutral), understood({"waiting"}),
                        test::two_channels()));
  REQUIRE(store->ingest(by("s", "6", "Acme", t - 1h + 30s), neg, understood({}), test::two_channels()));
  auto minute = [](TimePoint x) { return store::to_ms(x) / 60000; };
  using MC = MinuteCount;
  const auto from = minute(t - 1000h), to = minute(t + 1000h);
  // "t + 5h" counts as first seen (t); two negatives in the minute of t - 1h.
  CHECK(store->negative_counts("Acme", "", from, to).value() ==
        std::vector<MC>{{minute(t - 2h), 1}, {minute(t - 1h), 2}, {minute(t), 1}});
  CHECK(store->negative_counts("Acme", "waiting", from, to).value() ==
        std::vector<MC>{{minute(t - 2h), 1}, {minute(t - 1h), 1}});
  CHECK(store->negative_counts("Acme", "rudeness", minute(t - 90min), to).value() ==
        std::vector<MC>{{minute(t - 1h), 1}, {minute(t), 1}});
  CHECK(store->negative_counts("Acme", "", minute(t - 90min), minute(t - 1h)).value() ==
        std::vector<MC>{{minute(t - 1h), 2}});
  CHECK(store->negative_counts("Nobody", "", from, to).value().empty());

  // An edit moves the counts: "2" is no longer negative, "1" changed its topics.
  REQUIRE(store->ingest(by("s", "2", "Acme", t - 1h, "fine now"), test::sentiment_of(Label::positive), understood({}),
                        test::two_channels()));
  REQUIRE(store->ingest(by("s", "1", "Acme", t - 2h, "edited"), neg, understood({"rudeness"}), test::two_channels()));
  CHECK(store->negative_counts("Acme", "", from, to).value() ==
        std::vector<MC>{{minute(t - 2h), 1}, {minute(t - 1h), 1}, {minute(t), 1}});
  CHECK(store->negative_counts("Acme", "waiting", from, to).value().empty());
  CHECK(store->negative_counts("Acme", "rudeness", from, to).value() ==
        std::vector<MC>{{minute(t - 2h), 1}, {minute(t), 1}});
}

TEST_CASE("a spike starts and ends exactly once, with its notices", "[store][understanding]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  SpikeRecord s;
  s.brand = "Acme";
  s.topic = "waiting";
  s.started = t;
  s.start_count = 12;
  s.usual = 2.5;
  const std::vector<AlertRequest> notices{{"team", "notice", R"({"title":"spike","text":"12"})"}};
  CHECK(store->start_spike(s, notices, t).value());
  CHECK_FALSE(store->start_spike(s, notices, t + 1min).value());  // already active
  s.topic = "";
  CHECK(store->start_spike(s, notices, t).value());  // another key
  CHECK(test::count(*store, "SELECT COUNT(*) FROM outbox WHERE kind = 'notice'") == 2);

  auto active = store->active_spikes().value();
  REQUIRE(active.size() == 2);
  CHECK(active[0].topic == "waiting");
  CHECK(active[0].usual == 2.5);
  REQUIRE(store->update_spike_peak(active[0].id, 20));
  REQUIRE(store->update_spike_peak(active[0].id, 15));  // never lowers the peak
  CHECK(store->active_spikes().value()[0].peak_count == 20);

  CHECK(store->end_spike(active[0].id, notices, t + 3h).value());
  CHECK_FALSE(store->end_spike(active[0].id, notices, t + 4h).value());
  CHECK(test::count(*store, "SELECT COUNT(*) FROM outbox WHERE kind = 'notice'") == 3);
  CHECK(store->active_spikes().value().size() == 1);
  s.topic = "waiting";
  CHECK(store->start_spike(s, notices, t + 5h).value());  // a new spike after the old one ended
}

TEST_CASE("source health is saved with its notices in one transaction", "[store][sources]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  SourceState st;
  st.source = "maps";
  st.polls = 9;
  st.empty_polls = 5;
  st.broken_since = test::test_start();
  st.broken_reason = "no items in 5 polls";
  REQUIRE(store->save_source_state(st, {{"ops", "notice", R"({"title":"broken"})"}}));
  auto got = store->source_state("maps").value();
  CHECK(got.empty_polls == 5);
  CHECK(got.broken_since == std::optional<TimePoint>(test::test_start()));
  CHECK(got.broken_reason == "no items in 5 polls");
  CHECK(test::count(*store, "SELECT COUNT(*) FROM outbox WHERE kind = 'notice' AND channel = 'ops'") == 1);
  st.broken_since.reset();
  st.broken_reason.clear();
  st.empty_polls = 0;
  REQUIRE(store->save_source_state(st));
  got = store->source_state("maps").value();
  CHECK_FALSE(got.broken_since.has_value());
  CHECK(got.empty_polls == 0);
}

TEST_CASE("details stored in version 1 (objects, before 2026-12-08) read back", "[store][understanding]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const Mention m = test::sample_mention("v1", "Ждал час в очереди. Нахамили.");
  auto r = store->ingest(m, test::sentiment_of(Label::negative), understood({"waiting"}), test::two_channels());
  REQUIRE(r);
  // The row as the previous version wrote it: Boost.JSON's objects, the claim's text left out
  // where it is its span of the text.
  const std::string sentiment =
      R"({"label":"negative","score":-8.105448318276418E-1,"confidence":5E-1,"lang":"ru",)"
      R"("sentences":[{"begin":0,"end":35,"score":-5.803444345876335E-1,"label":"negative"}],)"
      R"("why":[{"term":"хамство","weight":-7.2E0}]})";
  const std::string understanding =
      R"({"claims":[{"text":"","score":-4E-1,"topics":["waiting"],"begin":0,"end":35}],"topics":["waiting"]})";
  const std::string id = std::to_string(r->mention_id);
#if defined(OTKLIK_TEST_PG)
  const auto plain = [](const std::string& json) { return "decode('00', 'hex') || convert_to($$" + json + "$$, 'UTF8')"; };
#else
  const auto plain = [](const std::string& json) { return "'" + json + "'"; };
#endif
  REQUIRE(test::count(*store, "UPDATE mentions SET sentiment_json = " + plain(sentiment) +
                                  ", understanding_json = " + plain(understanding) + " WHERE id = " + id +
                                  " RETURNING 1") == 1);
  auto got = store->mention(r->mention_id);
  REQUIRE(got);
  REQUIRE(got->has_value());
  const Sentiment& s = (*got)->sentiment;
  CHECK(s.score == -0.8105448318276418);
  REQUIRE(s.sentences.size() == 1);
  CHECK(s.sentences[0].score == -0.5803444345876335);
  CHECK(s.sentences[0].label == Label::negative);
  REQUIRE(s.why.size() == 1);
  CHECK(s.why[0].term == "хамство");
  CHECK(s.why[0].weight == -7.2);
  const auto& u = (*got)->understanding;
  REQUIRE(u.claims.size() == 1);
  CHECK(u.claims[0].text == scored_text(m).substr(0, 35));
  CHECK(u.claims[0].score == -0.4);
  CHECK(u.topics == std::vector<std::string>{"waiting"});
}

TEST_CASE("a negative's details are stored in version 2 and read back whole", "[store][understanding]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  auto u = understood({"waiting", "rudeness"});
  auto r = store->ingest(test::sample_mention("c1"), test::sentiment_of(Label::negative), u, test::two_channels());
  REQUIRE(r);
#if !defined(OTKLIK_TEST_PG)
  // Plain or deflated, the stored text is version 2 (PostgreSQL keeps the same bytes in BYTEA).
  CHECK(test::count(*store, "SELECT COUNT(*) FROM mentions WHERE id = " + std::to_string(r->mention_id) +
                                " AND otklik_unpack_text(sentiment_json) LIKE '{\"v\":2,%'"
                                " AND otklik_unpack_text(understanding_json) LIKE '{\"v\":2,%'") == 1);
#endif
  auto got = store->mention(r->mention_id).value();
  REQUIRE(got);
  CHECK(got->sentiment == test::sentiment_of(Label::negative));
  CHECK(got->understanding == u);
}
