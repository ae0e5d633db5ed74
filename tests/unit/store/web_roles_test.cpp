// The web inbox's roles on each backend: the inbox (keyset paging, filters, full-text search,
// bounded counts, a case's history, negatives per hour, digests, the live feed), the team's
// relabels with the feedback export, and the users with their sessions.
#include "daemon/store/user_store.hpp"
#include "store_test_support.hpp"
#include "tests/support/catch_result.hpp"

#include <algorithm>
#include <set>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

/// One mention to store, with what the inbox filters on.
struct Seed {
  std::string id;
  TimePoint at = test::test_start() - 1h;  ///< event time (published; the clock is later)
  Label label = Label::neutral;
  std::string brand = "Acme";
  std::string source = "reviews";
  std::string title = "Delivery";
  std::string text = "The courier was late again";
  std::vector<std::string> topics;
  std::optional<double> rating = 3.0;
  std::string severity;                   ///< non-empty: alerted, with a case of this severity
};

std::int64_t put(test::TestStore& store, const Seed& s) {
  Mention m = test::sample_mention(s.id, s.text);
  m.published = s.at;
  m.brand = s.brand;
  m.source = s.source;
  m.title = s.title;
  m.rating = s.rating;
  understanding::Understanding u;
  u.topics = s.topics;
  AlertPolicy p = test::two_channels(!s.severity.empty());
  p.severity = s.severity;
  auto r = store.ingest(m, test::sentiment_of(s.label), u, p);
  REQUIRE(r);
  if (!s.severity.empty()) REQUIRE(r->alerts_queued > 0);
  return r->mention_id;
}

std::vector<std::int64_t> ids_of(const InboxPage& page) {
  std::vector<std::int64_t> out;
  for (const auto& r : page.rows) out.push_back(r.id);
  return out;
}

/// Every id matching `f`, page after page of `limit`.
std::vector<std::int64_t> all_ids(test::TestStore& store, const InboxFilter& f, int limit = 50) {
  std::vector<std::int64_t> out;
  InboxQuery q{f, std::nullopt, limit};
  for (int guard = 0; guard < 1000; ++guard) {
    auto page = store.inbox(q);
    REQUIRE(page);
    REQUIRE(page->rows.size() <= static_cast<std::size_t>(limit));
    for (const auto& r : page->rows) out.push_back(r.id);
    if (!page->next) break;
    q.after = page->next;
  }
  return out;
}

InboxFilter text_filter(std::string text) {
  InboxFilter f;
  f.text = std::move(text);
  return f;
}

Actor anna() { return Actor{"web", "anna", "Anna"}; }

const BoundedCount& facet(const std::vector<BoundedCount>& counts, const std::string& value) {
  for (const auto& c : counts)
    if (c.value == value) return c;
  FAIL("no count for " << value);
  return counts.front();
}

}  // namespace

TEST_CASE("inbox: newest first, keyset pages lose and repeat nothing among equal event times", "[store][inbox]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start() - 10h;
  // Seven mentions, three pairs sharing an event time: the id breaks the tie.
  std::vector<std::pair<TimePoint, std::int64_t>> expected;
  const TimePoint times[] = {t, t + 1h, t + 1h, t + 2h, t, t + 2h, t + 3h};
  for (int i = 0; i < 7; ++i) {
    const std::int64_t id = put(*store, Seed{.id = "m" + std::to_string(i), .at = times[i]});
    expected.emplace_back(times[i], id);
  }
  std::sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) { return a > b; });
  std::vector<std::int64_t> want;
  for (const auto& e : expected) want.push_back(e.second);

  for (int limit : {1, 2, 3, 7, 50}) {
    INFO("limit " << limit);
    CHECK(all_ids(*store, {}, limit) == want);
  }
  auto first = store->inbox(InboxQuery{{}, std::nullopt, 2});
  REQUIRE(first);
  CHECK(ids_of(*first) == std::vector<std::int64_t>{want[0], want[1]});
  REQUIRE(first->next);
  CHECK(*first->next == InboxCursor{first->rows[1].at, first->rows[1].id});
  CHECK(first->rows[0].at == t + 3h);
  // A page that ends exactly at the last row has no next page.
  auto whole = store->inbox(InboxQuery{{}, std::nullopt, 7});
  REQUIRE(whole);
  CHECK(whole->rows.size() == 7);
  CHECK_FALSE(whole->next);
  // After the oldest row: nothing.
  auto past = store->inbox(InboxQuery{{}, InboxCursor{t, want.back()}, 10});
  REQUIRE(past);
  CHECK(past->rows.empty());
  CHECK_FALSE(past->next);
}

TEST_CASE("inbox: each filter and their combinations", "[store][inbox]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start() - 10h;
  const std::int64_t a = put(*store, Seed{.id = "a", .at = t, .label = Label::negative, .topics = {"waiting"},
                                          .rating = 1.0, .severity = "high"});
  const std::int64_t b = put(*store, Seed{.id = "b", .at = t + 1h, .label = Label::negative, .brand = "Beta",
                                          .topics = {"waiting", "staff"}, .rating = 2.0, .severity = "low"});
  const std::int64_t c = put(*store, Seed{.id = "c", .at = t + 2h, .label = Label::positive, .source = "maps",
                                          .rating = 5.0});
  const std::int64_t d = put(*store, Seed{.id = "d", .at = t + 3h, .label = Label::neutral, .brand = "Beta",
                                          .source = "maps", .topics = {"staff"}, .rating = std::nullopt});
  const std::int64_t e = put(*store, Seed{.id = "e", .at = t + 4h, .label = Label::negative, .brand = "Gamma",
                                          .rating = 4.0, .severity = "high"});
  REQUIRE(store->apply_case_action(e, CaseAction::take, anna(), "", t + 5h));
  REQUIRE(store->apply_case_action(b, CaseAction::dismiss, anna(), "", t + 5h));

  auto ids = [&](InboxFilter f) { return all_ids(*store, f); };
  using V = std::vector<std::int64_t>;
  CHECK(ids({}) == V{e, d, c, b, a});
  CHECK(ids({.brands = {"Beta"}}) == V{d, b});
  CHECK(ids({.brands = {"Beta", "Gamma"}}) == V{e, d, b});
  CHECK(ids({.brands = {"Nobody"}}).empty());
  CHECK(ids({.sources = {"maps"}}) == V{d, c});
  CHECK(ids({.sources = {"maps", "reviews"}}) == V{e, d, c, b, a});
  CHECK(ids({.label = Label::negative}) == V{e, b, a});
  CHECK(ids({.label = Label::positive}) == V{c});
  CHECK(ids({.severity = "high"}) == V{e, a});
  CHECK(ids({.severity = "low"}) == V{b});
  CHECK(ids({.case_state = "new"}) == V{a});
  CHECK(ids({.case_state = "taken"}) == V{e});
  CHECK(ids({.case_state = "dismissed"}) == V{b});
  CHECK(ids({.case_state = "resolved"}).empty());
  CHECK(ids({.case_state = "none"}) == V{d, c});
  CHECK(ids({.severity = "high", .case_state = "none"}).empty());  // no case, no severity
  CHECK(ids({.topic = "waiting"}) == V{b, a});
  CHECK(ids({.topic = "staff"}) == V{d, b});
  CHECK(ids({.topic = "price"}).empty());
  CHECK(ids({.min_rating = 2.0}) == V{e, c, b});
  CHECK(ids({.max_rating = 2.0}) == V{b, a});
  CHECK(ids({.min_rating = 1.5, .max_rating = 4.5}) == V{e, b});
  CHECK(ids({.from = t + 1h}) == V{e, d, c, b});
  CHECK(ids({.to = t + 1h}) == V{a});
  CHECK(ids({.from = t + 1h, .to = t + 3h}) == V{c, b});

  // Combinations: AND across fields.
  CHECK(ids({.brands = {"Beta"}, .label = Label::negative}) == V{b});
  CHECK(ids({.brands = {"Acme", "Gamma"}, .label = Label::negative, .case_state = "new"}) == V{a});
  CHECK(ids({.sources = {"maps"}, .topic = "staff"}) == V{d});
  CHECK(ids({.label = Label::negative, .topic = "waiting", .from = t + 30min}) == V{b});
  CHECK(ids({.severity = "high", .case_state = "taken", .min_rating = 3.0}) == V{e});
  CHECK(ids({.brands = {"Beta"}, .case_state = "none", .text = "courier"}) == V{d});
  CHECK(ids({.brands = {"Gamma"}, .topic = "waiting"}).empty());

  // The rows carry what the page shows.
  auto page = store->inbox(InboxQuery{{.brands = {"Beta"}}, std::nullopt, 10});
  REQUIRE(page);
  REQUIRE(page->rows.size() == 2);
  const InboxRow& rb = page->rows[1];
  CHECK(rb.id == b);
  CHECK(rb.brand == "Beta");
  CHECK(rb.source == "reviews");
  CHECK(rb.url == "https://reviews.example/item/1");
  CHECK(rb.author == "Anna");
  CHECK(rb.title == "Delivery");
  CHECK(rb.text == "The courier was late again");
  CHECK(rb.rating == 2.0);
  CHECK(rb.label == Label::negative);
  CHECK(rb.score == -0.625);
  CHECK(rb.at == t + 1h);
  CHECK(rb.case_state == "dismissed");
  CHECK(rb.severity == "low");
  std::vector<std::string> topics = rb.topics;
  std::sort(topics.begin(), topics.end());
  CHECK(topics == std::vector<std::string>{"staff", "waiting"});
  CHECK_FALSE(rb.team_label);
  const InboxRow& rd = page->rows[0];
  CHECK(rd.case_state.empty());
  CHECK(rd.severity.empty());
  CHECK_FALSE(rd.rating);
}

TEST_CASE("inbox: full-text search by word prefixes over title and text", "[store][inbox][search]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start() - 10h;
  const std::int64_t queue = put(*store, Seed{.id = "q", .at = t, .title = "Очередь",
                                              .text = "Стояли в очереди у кассы сорок минут"});
  const std::int64_t cashier = put(*store, Seed{.id = "k", .at = t + 1h, .title = "Касса",
                                                .text = "Кассир был вежлив, но медленный"});
  const std::int64_t latin = put(*store, Seed{.id = "l", .at = t + 2h, .title = "Café",
                                              .text = "The NEAR-by courier 1=1 lost my parcel"});
  using V = std::vector<std::int64_t>;
  auto ids = [&](std::string text) { return all_ids(*store, text_filter(std::move(text))); };

  CHECK(ids("очеред") == V{queue});
  CHECK(ids("ОЧЕРЕДЬ") == V{queue});     // the title, in capitals
  CHECK(ids("Очередь") == V{queue});
  CHECK(ids("касс") == V{cashier, queue});  // «кассы», «Касса», «Кассир»
  CHECK(ids("очеред касс") == V{queue});    // every word required
  CHECK(ids("  касс,,очеред!!") == V{queue});
  CHECK(ids("кассир очеред").empty());
  CHECK(ids("courier") == V{latin});
  CHECK(ids("COUR") == V{latin});
  CHECK(ids("cafe") == V{latin});           // diacritics do not matter
  CHECK(ids("café") == V{latin});
  CHECK(ids("parcel lost") == V{latin});
  CHECK(ids("ourier").empty());             // prefixes, not infixes
  CHECK(ids("сорок минут") == V{queue});

  SECTION("no words: no search") {
    CHECK(ids("") == V{latin, cashier, queue});
    CHECK(ids("  ,.;!  ") == V{latin, cashier, queue});
  }
  SECTION("hostile input is words and nothing else") {
    CHECK(ids("\"") == V{latin, cashier, queue});
    CHECK(ids("*") == V{latin, cashier, queue});
    CHECK(ids("\"\"\"*)(") == V{latin, cashier, queue});
    CHECK(ids("NEAR(") == V{latin});       // the word "near" (in "NEAR-by")
    CHECK(ids("NEAR(courier parcel)") == V{latin});
    CHECK(ids("NEAR(очеред касс, 2)").empty());
    CHECK(ids("courier AND").empty());     // "and" is a word like any other: not in the text
    CHECK(ids("courier OR очеред").empty());
    CHECK(ids("'; DROP TABLE mentions; --").empty());
    CHECK(ids("OR 1=1").empty());
    CHECK(ids("1=1") == V{latin});
    CHECK(ids("title:очеред").empty());     // no column filters
    CHECK(ids("^очеред") == V{queue});
    CHECK(ids("очеред*") == V{queue});
    CHECK(ids("-касс") == V{cashier, queue});
    CHECK(ids("{title text}: касс").empty());
    CHECK(ids("\x01\xff\xfe касс") == V{cashier, queue});  // invalid UTF-8 separates
    // Pasted walls of text: a page, never a failure.
    std::string wall;
    for (int i = 0; i < 2000; ++i) wall += "courier ";
    CHECK(ids(wall) == V{latin});
    std::string many;
    for (int i = 0; i < 300; ++i) many += "w" + std::to_string(i) + " \"(";
    CHECK(ids(many).empty());
    CHECK(ids(std::string(5000, 'x')).empty());
    // Every row is still there.
    CHECK(ids("") == V{latin, cashier, queue});
  }
}

TEST_CASE("inbox: an edited text is searched as it is now", "[store][inbox][search]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  // Long enough to be stored deflated.
  std::string long_text;
  for (int i = 0; i < 40; ++i) long_text += "очередь у кассы снова ";
  const std::int64_t id = put(*store, Seed{.id = "x", .text = long_text});
  put(*store, Seed{.id = "y", .text = "nothing to see"});
  CHECK(all_ids(*store, text_filter("очеред")) == std::vector<std::int64_t>{id});
  // The same mention, edited: the old words are gone, the new ones found.
  REQUIRE(put(*store, Seed{.id = "x", .title = "Возврат", .text = "деньги вернули через неделю"}) == id);
  CHECK(all_ids(*store, text_filter("очеред")).empty());
  CHECK(all_ids(*store, text_filter("Delivery")).size() == 1);  // y's title; x's title changed
  CHECK(all_ids(*store, text_filter("вернули недел")) == std::vector<std::int64_t>{id});
  CHECK(all_ids(*store, text_filter("возврат")) == std::vector<std::int64_t>{id});
  // And back to a long, deflated text.
  REQUIRE(put(*store, Seed{.id = "x", .text = long_text + "касса"}) == id);
  CHECK(all_ids(*store, text_filter("вернули")).empty());
  CHECK(all_ids(*store, text_filter("очеред касса")) == std::vector<std::int64_t>{id});
  auto row = store->inbox_row(id);
  REQUIRE(row);
  REQUIRE(*row);
  CHECK((*row)->text == long_text + "касса");
}

TEST_CASE("inbox counts: exact below the cap, capped above, facets without the filter's own value", "[store][inbox]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start() - 10h;
  for (int i = 0; i < 4; ++i) put(*store, Seed{.id = "n" + std::to_string(i), .at = t + i * 1min,
                                                .label = Label::negative, .severity = "high"});
  for (int i = 0; i < 3; ++i) put(*store, Seed{.id = "p" + std::to_string(i), .at = t, .label = Label::positive});
  const std::int64_t other = put(*store, Seed{.id = "o", .label = Label::neutral, .brand = "Beta"});
  const auto first = all_ids(*store, {.label = Label::negative});
  REQUIRE(first.size() == 4);
  REQUIRE(store->apply_case_action(first[0], CaseAction::take, anna(), "", t + 1h));
  REQUIRE(store->apply_case_action(first[1], CaseAction::resolve, anna(), "", t + 1h));

  auto all = store->inbox_counts({}, 100);
  REQUIRE(all);
  CHECK(all->total == BoundedCount{"", 8, false});
  REQUIRE(all->labels.size() == 3);
  CHECK(facet(all->labels, "negative") == BoundedCount{"negative", 4, false});
  CHECK(facet(all->labels, "neutral") == BoundedCount{"neutral", 1, false});
  CHECK(facet(all->labels, "positive") == BoundedCount{"positive", 3, false});
  REQUIRE(all->states.size() == 6);
  CHECK(facet(all->states, "new") == BoundedCount{"new", 2, false});
  CHECK(facet(all->states, "taken") == BoundedCount{"taken", 1, false});
  CHECK(facet(all->states, "answered") == BoundedCount{"answered", 0, false});
  CHECK(facet(all->states, "resolved") == BoundedCount{"resolved", 1, false});
  CHECK(facet(all->states, "dismissed") == BoundedCount{"dismissed", 0, false});
  CHECK(facet(all->states, "none") == BoundedCount{"none", 4, false});

  // The label facet ignores the filter's label; the state facet ignores the filter's state.
  auto neg = store->inbox_counts({.label = Label::negative, .case_state = "new"}, 100);
  REQUIRE(neg);
  CHECK(neg->total == BoundedCount{"", 2, false});
  CHECK(facet(neg->labels, "negative").n == 2);
  CHECK(facet(neg->labels, "positive").n == 0);
  CHECK(facet(neg->states, "new").n == 2);
  CHECK(facet(neg->states, "taken").n == 1);
  CHECK(facet(neg->states, "none").n == 0);
  auto beta = store->inbox_counts({.brands = {"Beta"}}, 100);
  REQUIRE(beta);
  CHECK(beta->total.n == 1);
  CHECK(facet(beta->states, "none").n == 1);
  (void)other;

  // At the cap: exact. Above: the cap, flagged.
  auto capped = store->inbox_counts({}, 3);
  REQUIRE(capped);
  CHECK(capped->total == BoundedCount{"", 3, true});
  CHECK(facet(capped->labels, "negative") == BoundedCount{"negative", 3, true});
  CHECK(facet(capped->labels, "positive") == BoundedCount{"positive", 3, false});
  CHECK(facet(capped->labels, "neutral") == BoundedCount{"neutral", 1, false});
  CHECK(facet(capped->states, "none") == BoundedCount{"none", 3, true});
  CHECK(facet(capped->states, "new") == BoundedCount{"new", 2, false});
  auto searched = store->inbox_counts(text_filter("courier"), 5);
  REQUIRE(searched);
  CHECK(searched->total == BoundedCount{"", 5, true});
  CHECK(store->inbox_counts(text_filter("nowhere"), 5).value().total == BoundedCount{"", 0, false});
}

TEST_CASE("inbox row, a case's history and the live feed", "[store][inbox]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  const std::int64_t plain = put(*store, Seed{.id = "p"});
  CHECK_FALSE(store->inbox_row(plain + 100).value());
  CHECK(store->case_events(plain).value().empty());
  auto row = store->inbox_row(plain);
  REQUIRE(row);
  REQUIRE(*row);
  CHECK((*row)->id == plain);
  CHECK((*row)->case_state.empty());

  clock.set(t + 1min);
  const std::int64_t first = put(*store, Seed{.id = "a", .label = Label::negative, .severity = "high"});
  clock.set(t + 2min);
  const std::int64_t second = put(*store, Seed{.id = "b", .label = Label::negative, .severity = "low"});
  clock.set(t + 2min);
  const std::int64_t third = put(*store, Seed{.id = "c", .label = Label::negative, .severity = "low"});

  REQUIRE(store->apply_case_action(first, CaseAction::take, anna(), "mine", t + 10min));
  REQUIRE(store->apply_case_action(first, CaseAction::take, anna(), "", t + 11min));  // repeated: unchanged
  REQUIRE(store->apply_case_action(first, CaseAction::resolve, Actor{"telegram", "7", "@boris"}, "done", t + 12min));
  auto events = store->case_events(first);
  REQUIRE(events);
  REQUIRE(events->size() == 3);
  CHECK((*events)[0] == CaseEvent{"take", anna(), "mine", true, t + 10min});
  CHECK((*events)[1] == CaseEvent{"take", anna(), "", false, t + 11min});
  CHECK((*events)[2] == CaseEvent{"resolve", Actor{"telegram", "7", "@boris"}, "done", true, t + 12min});
  auto resolved = store->inbox_row(first).value();
  REQUIRE(resolved);
  CHECK(resolved->case_state == "resolved");
  CHECK(resolved->severity == "high");

  // The live feed: cases opened after a point, oldest first; the tie on time goes by id.
  auto feed = store->opened_since(InboxCursor{t, 0}, 10);
  REQUIRE(feed);
  REQUIRE(feed->size() == 3);
  CHECK((*feed)[0].id == first);
  CHECK((*feed)[1].id == second);
  CHECK((*feed)[2].id == third);
  CHECK((*feed)[1].severity == "low");
  CHECK((*feed)[1].case_state == "new");
  auto after_second = store->opened_since(InboxCursor{t + 2min, second}, 10);
  REQUIRE(after_second);
  REQUIRE(after_second->size() == 1);
  CHECK((*after_second)[0].id == third);
  CHECK(store->opened_since(InboxCursor{t + 1min, first}, 1).value().size() == 1);
  CHECK(store->opened_since(InboxCursor{t + 2min, third}, 10).value().empty());
}

TEST_CASE("negatives per hour and the digests sent", "[store][inbox]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint h = test::test_start() - 5h;  // a whole hour
  put(*store, Seed{.id = "a", .at = h + 5min, .label = Label::negative, .topics = {"waiting"}});
  put(*store, Seed{.id = "b", .at = h + 50min, .label = Label::negative});
  put(*store, Seed{.id = "c", .at = h + 1h + 1min, .label = Label::negative, .brand = "Beta"});
  put(*store, Seed{.id = "d", .at = h + 1h + 2min, .label = Label::positive});
  put(*store, Seed{.id = "e", .at = h + 3h, .label = Label::negative});

  auto hours = store->negatives_by_hour(ReportRange{h, h + 2h});
  REQUIRE(hours);
  std::vector<HourCount> got = *hours;
  std::sort(got.begin(), got.end(), [](const HourCount& a, const HourCount& b) {
    return std::tie(a.brand, a.topic, a.hour) < std::tie(b.brand, b.topic, b.hour);
  });
  CHECK(got == std::vector<HourCount>{{"Acme", "", h, 2}, {"Acme", "waiting", h, 1}, {"Beta", "", h + 1h, 1}});
  CHECK(store->negatives_by_hour(ReportRange{h + 4h, h + 5h}).value().empty());

  const TimePoint t = test::test_start();
  REQUIRE(store->claim_digest("2026-W46", "team", "<1@otklik>", t, 10min));
  REQUIRE(store->mark_digest_sent("2026-W46", "team", t + 1min));
  REQUIRE(store->claim_digest("2026-W47", "team", "<2@otklik>", t, 10min));
  REQUIRE(store->claim_digest("2026-W45", "boss", "<3@otklik>", t, 10min));
  auto digests = store->digest_rows(10);
  REQUIRE(digests);
  REQUIRE(digests->size() == 3);
  CHECK((*digests)[0].week == "2026-W47");
  CHECK((*digests)[1].week == "2026-W46");
  CHECK((*digests)[1].state == DigestState::sent);
  CHECK((*digests)[1].sent_at == t + 1min);
  CHECK((*digests)[2].week == "2026-W45");
  CHECK((*digests)[2].recipients == "boss");
  CHECK(store->digest_rows(1).value().size() == 1);
}

TEST_CASE("relabels: newest first, shown beside the scorer's label, merged into feedback", "[store][labels]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  const std::int64_t a = put(*store, Seed{.id = "a", .label = Label::negative, .severity = "high"});
  const std::int64_t b = put(*store, Seed{.id = "b", .label = Label::neutral, .title = "Title only", .text = ""});
  const std::int64_t c = put(*store, Seed{.id = "c", .label = Label::negative,
                                          .text = "Not bad at all", .severity = "high"});

  auto missing = store->relabel(Relabel{a + 100, Label::positive, anna(), t});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == make_error_code(errc::not_found));

  const Actor boris{"web", "boris", "Boris"};
  REQUIRE(store->relabel(Relabel{b, Label::negative, anna(), t + 1h}));
  REQUIRE(store->relabel(Relabel{b, Label::positive, boris, t + 2h}));
  auto list = store->relabels(b);
  REQUIRE(list);
  CHECK(*list == std::vector<Relabel>{{b, Label::positive, boris, t + 2h}, {b, Label::negative, anna(), t + 1h}});
  CHECK(store->relabels(a).value().empty());
  CHECK(store->inbox_row(b).value()->team_label == Label::positive);
  CHECK(store->inbox_row(b).value()->label == Label::neutral);  // the scorer's stays
  CHECK_FALSE(store->inbox_row(a).value()->team_label);

  // a: dismissed, then relabelled later (the relabel wins); c: relabelled, then dismissed (the
  // dismissal wins); b: relabelled twice (the latest).
  REQUIRE(store->apply_case_action(a, CaseAction::dismiss, anna(), "positive", t + 1h));
  REQUIRE(store->relabel(Relabel{a, Label::negative, boris, t + 3h}));
  REQUIRE(store->relabel(Relabel{c, Label::negative, boris, t + 1h}));
  REQUIRE(store->apply_case_action(c, CaseAction::dismiss, anna(), "", t + 4h));
  auto fb = store->feedback(t);
  REQUIRE(fb);
  REQUIRE(fb->size() == 3);
  CHECK((*fb)[0].mention_id == b);
  CHECK((*fb)[0].label == "positive");
  CHECK((*fb)[0].text == "Title only");
  CHECK((*fb)[0].at == t + 2h);
  CHECK((*fb)[0].by == "Boris");
  CHECK((*fb)[1].mention_id == a);
  CHECK((*fb)[1].label == "negative");
  CHECK((*fb)[1].at == t + 3h);
  CHECK((*fb)[1].by == "Boris");
  CHECK((*fb)[2].mention_id == c);
  CHECK((*fb)[2].label == "neutral");
  CHECK((*fb)[2].text == "Not bad at all");
  CHECK((*fb)[2].at == t + 4h);
  CHECK((*fb)[2].by == "Anna");
  // Since a point: the corrections whose latest is at or after it.
  auto later = store->feedback(t + 150min);
  REQUIRE(later);
  REQUIRE(later->size() == 2);
  CHECK((*later)[0].mention_id == a);
  CHECK((*later)[1].mention_id == c);
  CHECK(store->feedback(t + 5h).value().empty());
}

TEST_CASE("users: add, password, role, remove", "[store][users]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  const WebUser anna_user{"anna", WebRole::agent, "$argon2id$v=19$a", t, t};
  REQUIRE(store->add_user(anna_user));
  REQUIRE(store->add_user(WebUser{"boris", WebRole::admin, "", t, t}));
  auto taken = store->add_user(WebUser{"anna", WebRole::viewer, "", t, t});
  REQUIRE_FALSE(taken);
  CHECK(taken.error().code == make_error_code(errc::invalid_input));
  CHECK(store->user("anna").value() == anna_user);
  CHECK_FALSE(store->user("nobody").value());
  auto everyone = store->users();
  REQUIRE(everyone);
  REQUIRE(everyone->size() == 2);
  CHECK((*everyone)[0].name == "anna");  // by name
  CHECK((*everyone)[1].name == "boris");

  REQUIRE(store->set_role("anna", WebRole::viewer, t + 1h));
  REQUIRE(store->set_password("anna", "$argon2id$v=19$b", t + 2h));
  auto changed = store->user("anna").value();
  REQUIRE(changed);
  CHECK(changed->role == WebRole::viewer);
  CHECK(changed->password_hash == "$argon2id$v=19$b");
  CHECK(changed->created == t);
  CHECK(changed->updated == t + 2h);

  for (auto r : {store->set_role("nobody", WebRole::admin, t), store->set_password("nobody", "x", t),
                 store->remove_user("nobody")}) {
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::not_found));
  }
  REQUIRE(store->remove_user("anna"));
  CHECK_FALSE(store->user("anna").value());
  CHECK(store->users().value().size() == 1);
  REQUIRE(store->add_user(anna_user));  // the name is free again
}

TEST_CASE("sessions: the user's role now, expiry, logout everywhere", "[store][users]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start();
  REQUIRE(store->add_user(WebUser{"anna", WebRole::agent, "h", t, t}));
  REQUIRE(store->add_user(WebUser{"boris", WebRole::viewer, "h", t, t}));
  auto session = [&](std::string token, std::string user, TimePoint at) {
    std::string csrf = "csrf-" + token;
    return WebSession{std::move(token), std::move(user), WebRole::viewer, std::move(csrf), at, at, "10.0.0.1"};
  };
  auto unknown = store->create_session(session("s0", "nobody", t));
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == make_error_code(errc::not_found));

  REQUIRE(store->create_session(session("s1", "anna", t)));
  REQUIRE(store->create_session(session("s2", "anna", t + 1h)));
  REQUIRE(store->create_session(session("s3", "boris", t)));
  const TimePoint long_ago = t - 24h;
  auto s1 = store->session("s1", long_ago, long_ago);
  REQUIRE(s1);
  REQUIRE(*s1);
  CHECK((*s1)->user == "anna");
  CHECK((*s1)->role == WebRole::agent);  // the user's role, not what the session was given
  CHECK((*s1)->csrf == "csrf-s1");
  CHECK((*s1)->created == t);
  CHECK((*s1)->seen == t);
  CHECK((*s1)->address == "10.0.0.1");
  CHECK_FALSE(store->session("nope", long_ago, long_ago).value());

  // The role is read at every look-up.
  REQUIRE(store->set_role("anna", WebRole::admin, t));
  CHECK(store->session("s1", long_ago, long_ago).value()->role == WebRole::admin);

  // Touched: seen moves; idle before the limit: gone for good.
  REQUIRE(store->touch_session("s1", t + 2h));
  CHECK(store->session("s1", long_ago, long_ago).value()->seen == t + 2h);
  CHECK_FALSE(store->session("s3", t + 1min, long_ago).value());  // boris idle since t
  CHECK_FALSE(store->session("s3", long_ago, long_ago).value());  // deleted, not just hidden
  // Created before the absolute limit: gone, however fresh its last request.
  CHECK_FALSE(store->session("s1", long_ago, t + 1min).value());
  CHECK_FALSE(store->session("s1", long_ago, long_ago).value());
  CHECK(store->session("s2", long_ago, long_ago).value());

  // Logout everywhere.
  REQUIRE(store->create_session(session("s4", "anna", t + 1h)));
  CHECK(store->delete_sessions("anna").value() == 2);
  CHECK_FALSE(store->session("s2", long_ago, long_ago).value());
  CHECK(store->delete_sessions("anna").value() == 0);

  // One session ends; a new password ends them all; so does removing the user.
  REQUIRE(store->create_session(session("s5", "anna", t + 1h)));
  REQUIRE(store->create_session(session("s6", "anna", t + 1h)));
  REQUIRE(store->delete_session("s5"));
  CHECK_FALSE(store->session("s5", long_ago, long_ago).value());
  REQUIRE(store->delete_session("s5"));  // already gone: nothing to do
  REQUIRE(store->set_password("anna", "h2", t + 2h));
  CHECK_FALSE(store->session("s6", long_ago, long_ago).value());
  REQUIRE(store->create_session(session("s7", "boris", t + 1h)));
  REQUIRE(store->remove_user("boris"));
  CHECK_FALSE(store->session("s7", long_ago, long_ago).value());

  // Purge: idle or too old.
  REQUIRE(store->create_session(session("p1", "anna", t)));        // created t, seen t
  REQUIRE(store->create_session(session("p2", "anna", t + 3h)));   // fresh
  REQUIRE(store->create_session(session("p3", "anna", t - 2h)));   // old, but seen recently:
  REQUIRE(store->touch_session("p3", t + 3h));
  CHECK(store->purge_sessions(t + 1h, t - 1h).value() == 2);       // p1 idle, p3 too old
  CHECK(store->session("p2", long_ago, long_ago).value());
  CHECK_FALSE(store->session("p1", long_ago, long_ago).value());
  CHECK_FALSE(store->session("p3", long_ago, long_ago).value());
  CHECK(store->purge_sessions(t + 1h, t - 1h).value() == 0);
}
