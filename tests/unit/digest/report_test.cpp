#include "daemon/digest/digest_data.hpp"
#include "daemon/digest/render.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/store/store_test_support.hpp"

using namespace otklik;
using namespace otklik::digest;
using namespace std::chrono;

namespace {

TimePoint utc(unsigned m, unsigned d, int h = 0, int min = 0) {
  return sys_days{year{2026} / month{m} / day{d}} + hours{h} + minutes{min};
}

/// A store of the backend under test (a SQLite file, or with OTKLIK_TEST_PG a PostgreSQL database
/// of its own) with a hand-made fortnight of mentions and cases (see the comments).
struct Fixture {
  ManualClock clock{utc(11, 1)};
  otklik::test::StoreSite site;
  std::unique_ptr<otklik::test::TestStore> store = site.open(clock);

  /// Ingests a mention published (and first seen) at `at`; a negative one with `open_case`
  /// queues an alert and opens a case created at `at`.
  std::int64_t add(std::string source, std::string brand, std::string id, Label label, double score,
                   std::optional<double> rating, std::optional<TimePoint> published, TimePoint at,
                   std::string author = "", std::string author_id = "", bool open_case = true) {
    clock.set(at);
    Mention m;
    m.source = std::move(source);
    m.brand = std::move(brand);
    m.external_id = std::move(id);
    m.url = "https://reviews.example/" + m.external_id;
    m.author = std::move(author);
    m.author_id = std::move(author_id);
    m.title = "Заголовок " + m.external_id;
    m.text = "Текст отзыва " + m.external_id;
    m.rating = rating;
    m.published = published;
    m.fetched = at;
    Sentiment s;
    s.label = label;
    s.score = score;
    AlertPolicy p;
    p.alert_new = open_case;
    p.alerts = {{"tg", "alert", ""}};
    p.severity = "medium";
    auto r = store->ingest(m, s, p);
    REQUIRE(r);
    return r->mention_id;
  }
  std::int64_t add_at(std::string source, std::string brand, std::string id, Label label, double score,
                      std::optional<double> rating, TimePoint at, std::string author = "", std::string author_id = "",
                      bool open_case = true) {
    return add(std::move(source), std::move(brand), std::move(id), label, score, rating, at, at, std::move(author),
               std::move(author_id), open_case);
  }

  void act(std::int64_t mention, CaseAction a, TimePoint at) {
    auto r = store->apply_case_action(mention, a, Actor{"telegram", "7", "@anna"}, "", at);
    REQUIRE(r);
    REQUIRE(r->refused.empty());
  }

  void source(std::string name, std::int64_t failures, std::optional<TimePoint> success) {
    SourceState st;
    st.source = std::move(name);
    st.polls = 5;
    st.consecutive_failures = failures;
    st.last_success = success;
    st.last_error = failures > 0 ? "timeout: connect" : "";
    REQUIRE(store->save_source_state(st));
  }

  /// W46 (9–15 Nov) and W47 (16–22 Nov), UTC.
  void fill() {
    using L = Label;
    // Week 46.
    m1 = add_at("reviews", "Acme", "m1", L::negative, -0.4, 2.0, utc(11, 10, 10), "Ольга");  // stays new
    add_at("reviews", "Acme", "m2", L::neutral, 0.0, 3.0, utc(11, 11));
    add_at("maps", "Beta", "m3", L::positive, 0.6, 5.0, utc(11, 12));
    add_at("maps", "Beta", "m4", L::positive, 0.5, 4.0, utc(11, 13));
    // Week 47.
    m5 = add_at("reviews", "Acme", "m5", L::negative, -0.9, 1.0, utc(11, 16, 10), "Иван Петров");
    act(m5, CaseAction::take, utc(11, 16, 10, 10));      // 10 min: on time
    act(m5, CaseAction::answer, utc(11, 16, 12));        // 2 h: on time
    m6 = add_at("reviews", "Acme", "m6", L::negative, -0.5, 2.0, utc(11, 17, 10), "Аноним");
    act(m6, CaseAction::take, utc(11, 17, 11));          // 60 min: late
    act(m6, CaseAction::answer, utc(11, 17, 16));        // 6 h: late
    m7 = add_at("maps", "Acme", "m7", L::negative, -0.7, std::nullopt, utc(11, 18, 10), "иван  петров");  // missed
    m8 = add_at("reviews", "Acme", "m8", L::negative, -0.3, std::nullopt, utc(11, 19, 10), "Аноним");
    act(m8, CaseAction::dismiss, utc(11, 19, 11));       // not a complaint: out of the numbers
    add_at("reviews", "Acme", "m9", L::positive, 0.8, 5.0, utc(11, 20));
    add_at("maps", "Beta", "m10", L::negative, -0.6, 1.0, utc(11, 21, 12), "Ivan", "u7", false);
    // No published time: it counts in the week it was first seen.
    add("maps", "Beta", "m11", L::negative, -0.2, std::nullopt, std::nullopt, utc(11, 22, 8), "I. P.", "u7", false);
    // Next week, and long before: in neither week, nor in the 30-day window.
    add_at("reviews", "Acme", "m12", L::positive, 0.5, 5.0, utc(11, 23, 1));
    add_at("reviews", "Acme", "m13", L::negative, -0.95, 1.0, utc(10, 15), "Иван Петров", "", false);

    source("reviews", 0, utc(11, 22));
    source("maps", 3, utc(11, 20));
    source("old", 0, utc(11, 10));
  }

  ReportOptions options() const {
    ReportOptions o;
    o.week = {2026, 47};
    o.sla.enabled = true;
    o.sla.defaults.take = 30min;
    o.sla.defaults.resolve = 4h;
    o.sla.defaults.business_hours = false;
    o.top_n = 3;
    o.now = utc(11, 23, 9);
    return o;
  }

  std::int64_t m1 = 0, m5 = 0, m6 = 0, m7 = 0, m8 = 0;
};

}  // namespace

TEST_CASE("build_report: counts per brand and source against the previous week", "[digest][report]") {
  Fixture f;
  f.fill();
  auto r = build_report(*f.store, f.options());
  REQUIRE(r);
  CHECK(r->week == IsoWeek{2026, 47});
  CHECK(r->range == TimeRange{utc(11, 16), utc(11, 23)});
  CHECK(r->total == CountRow{"", 7, 4, 6, 1});
  REQUIRE(r->by_brand.size() == 2);
  CHECK(r->by_brand[0] == CountRow{"Acme", 5, 2, 4, 1});
  CHECK(r->by_brand[1] == CountRow{"Beta", 2, 2, 2, 0});
  REQUIRE(r->by_source.size() == 2);
  CHECK(r->by_source[0] == CountRow{"reviews", 4, 2, 3, 1});
  CHECK(r->by_source[1] == CountRow{"maps", 3, 2, 3, 0});
}

TEST_CASE("build_report: rating trend per brand, oldest week first", "[digest][report]") {
  Fixture f;
  f.fill();
  auto r = build_report(*f.store, f.options());
  REQUIRE(r);
  REQUIRE(r->rating_weeks.size() == 6);
  CHECK(r->rating_weeks.front() == IsoWeek{2026, 42});
  CHECK(r->rating_weeks.back() == IsoWeek{2026, 47});
  REQUIRE(r->ratings.size() == 2);
  const RatingTrend& acme = r->ratings[0];
  CHECK(acme.brand == "Acme");
  CHECK_FALSE(acme.average[3].has_value());
  CHECK(acme.average[4] == Approx(2.5));
  CHECK(acme.average[5] == Approx(8.0 / 3));
  CHECK(acme.rated[5] == 3);
  CHECK(r->ratings[1].average[4] == Approx(4.5));
  CHECK(r->ratings[1].average[5] == Approx(1.0));
}

TEST_CASE("build_report: time to take and answer, within SLA, overdue", "[digest][report]") {
  Fixture f;
  f.fill();
  auto r = build_report(*f.store, f.options());
  REQUIRE(r);
  CHECK(r->sla_enabled);
  // m5 (10 min), m6 (60 min), m7 (not taken, missed); m8 dismissed is left out.
  CHECK(r->take == ResponseStats{3, 2, Duration{10min}, Duration{60min}, 1, 3});
  CHECK(r->answer == ResponseStats{3, 2, Duration{2h}, Duration{6h}, 1, 3});
  // Open and past a deadline now: m1 (from the week before) and m7.
  CHECK(r->overdue_total == 2);
  REQUIRE(r->overdue.size() == 2);
  CHECK(r->overdue[0].mention_id == f.m1);
  CHECK(r->overdue[0].deadline == "take");
  CHECK(r->overdue[0].overdue == duration_cast<Duration>(utc(11, 23, 9) - utc(11, 10, 10, 30)));
  CHECK(r->overdue[1].mention_id == f.m7);
  CHECK(r->overdue[1].state == "new");
  CHECK(r->overdue[1].brand == "Acme");
  CHECK(r->overdue[1].url == "https://reviews.example/m7");
  CHECK(r->overdue[1].excerpt == "Заголовок m7 — Текст отзыва m7");

  // A case taken late but not answered shows the answer deadline.
  f.act(f.m7, CaseAction::take, utc(11, 23, 8));
  auto again = build_report(*f.store, f.options());
  REQUIRE(again);
  REQUIRE(again->overdue.size() == 2);
  CHECK(again->overdue[1].deadline == "answer");
  CHECK(again->overdue[1].taken_by == "@anna");
  CHECK(again->overdue[1].overdue == duration_cast<Duration>(utc(11, 23, 9) - utc(11, 18, 14)));
}

TEST_CASE("build_report: working time when the policy counts business hours", "[digest][report]") {
  Fixture f;
  // Friday 17:50, taken Monday 09:10: 20 minutes of a 09:00–18:00 working week.
  const auto m = f.add_at("reviews", "Acme", "b1", Label::negative, -0.5, 1.0, utc(11, 20, 17, 50));
  f.act(m, CaseAction::take, utc(11, 23, 9, 10));
  ReportOptions o = f.options();
  o.now = utc(11, 23, 10);
  o.sla.defaults.business_hours = true;
  CalendarConfig cal;
  cal.configured = true;
  auto calendar = BusinessCalendar::create(cal, TimeZone{});
  REQUIRE(calendar);
  o.calendar = *calendar;
  auto r = build_report(*f.store, o);
  REQUIRE(r);
  CHECK(r->take.median == Duration{20min});
  CHECK(r->take.within_sla == 1);
  o.sla.defaults.business_hours = false;
  r = build_report(*f.store, o);
  REQUIRE(r);
  CHECK(r->take.median == Duration{63h + 20min});
  CHECK(r->take.within_sla == 0);
}

TEST_CASE("build_report: top negatives, repeat complainers, broken sources", "[digest][report]") {
  Fixture f;
  f.fill();
  auto r = build_report(*f.store, f.options());
  REQUIRE(r);
  REQUIRE(r->top_negative.size() == 3);
  CHECK(r->top_negative[0].mention_id == f.m5);
  CHECK(r->top_negative[0].score == Approx(-0.9));
  CHECK(r->top_negative[0].case_state == "answered");
  CHECK(r->top_negative[0].rating == 1.0);
  CHECK(r->top_negative[0].author == "Иван Петров");
  CHECK(r->top_negative[1].mention_id == f.m7);
  CHECK(r->top_negative[2].source == "maps");
  CHECK(r->top_negative[2].case_state.empty());

  // "Иван Петров" and "иван  петров" are one author across sources; u7 is one author on maps;
  // "Аноним" twice is nobody in particular; m13 is older than 30 days.
  REQUIRE(r->repeat_complainers.size() == 2);
  CHECK(r->repeat_complainers[0].author == "I. P.");
  CHECK(r->repeat_complainers[0].negatives == 2);
  CHECK(r->repeat_complainers[0].per_source == std::vector<std::pair<std::string, std::int64_t>>{{"maps", 2}});
  CHECK(r->repeat_complainers[1].author == "иван  петров");
  CHECK(r->repeat_complainers[1].per_source ==
        std::vector<std::pair<std::string, std::int64_t>>{{"maps", 1}, {"reviews", 1}});
  CHECK(r->repeat_complainers[1].last_url == "https://reviews.example/m7");

  REQUIRE(r->broken_sources.size() == 2);
  CHECK(r->broken_sources[0].source == "maps");
  CHECK(r->broken_sources[0].consecutive_failures == 3);
  CHECK(r->broken_sources[1].source == "old");
  ReportOptions o = f.options();
  o.sources = {"reviews", "maps"};
  r = build_report(*f.store, o);
  REQUIRE(r);
  REQUIRE(r->broken_sources.size() == 1);
  CHECK(r->broken_sources[0].source == "maps");
}

TEST_CASE("build_report: the brand filter narrows every section", "[digest][report]") {
  Fixture f;
  f.fill();
  ReportOptions o = f.options();
  o.brands = {"Beta"};
  auto r = build_report(*f.store, o);
  REQUIRE(r);
  CHECK(r->total == CountRow{"", 2, 2, 2, 0});
  REQUIRE(r->by_source.size() == 1);
  CHECK(r->by_source[0].name == "maps");
  CHECK(r->take.cases == 0);
  CHECK(r->overdue.empty());
  REQUIRE(r->top_negative.size() == 2);
  REQUIRE(r->repeat_complainers.size() == 1);
  CHECK(r->repeat_complainers[0].author == "I. P.");
}

TEST_CASE("build_report: an empty store and a week in a time zone", "[digest][report]") {
  Fixture f;
  ReportOptions o = f.options();
  o.zone = TimeZone::fixed("Europe/Moscow", 3h);
  auto r = build_report(*f.store, o);
  REQUIRE(r);
  CHECK(r->range == TimeRange{utc(11, 15, 21), utc(11, 22, 21)});
  CHECK(r->total == CountRow{});
  CHECK(r->take == ResponseStats{});
  CHECK_FALSE(r->take.median.has_value());
  CHECK(r->ratings.empty());
  CHECK(r->top_negative.empty());
}

TEST_CASE("percentile", "[digest][report]") {
  std::vector<Duration> v{5min, 1min, 3min, 2min, 4min, 6min, 7min, 8min, 9min, 10min};
  CHECK(percentile(v, 50) == Duration{5min});
  CHECK(percentile(v, 90) == Duration{9min});
  std::vector<Duration> one{7min};
  CHECK(percentile(one, 90) == Duration{7min});
  std::vector<Duration> none;
  CHECK_FALSE(percentile(none, 50).has_value());
}

TEST_CASE("build_report: negatives per complaint topic against the previous week", "[digest][report]") {
  Fixture f;
  auto add = [&](std::string id, std::string brand, Label label, TimePoint at, std::vector<std::string> topics) {
    f.clock.set(at);
    Mention m;
    m.source = "reviews";
    m.brand = std::move(brand);
    m.external_id = std::move(id);
    m.text = "Текст отзыва " + m.external_id;
    m.published = at;
    m.fetched = at;
    Sentiment s;
    s.label = label;
    s.score = label == Label::negative ? -0.5 : 0.4;
    understanding::Understanding u;
    u.topics = std::move(topics);
    REQUIRE(f.store->ingest(m, s, u, AlertPolicy{}));
  };
  add("t1", "Acme", Label::negative, utc(11, 10), {"waiting"});                // W46
  add("t2", "Acme", Label::negative, utc(11, 16, 9), {"waiting", "rudeness"});  // W47 from here
  add("t3", "Acme", Label::negative, utc(11, 17), {"waiting"});
  add("t4", "Beta", Label::negative, utc(11, 18), {"waiting"});
  add("t5", "Acme", Label::negative, utc(11, 19), {"money"});
  add("t6", "Acme", Label::positive, utc(11, 19), {"waiting"});  // not a complaint: not counted
  add("t7", "Acme", Label::negative, utc(11, 23, 2), {"money"});  // the next week
  ReportOptions o = f.options();
  o.topic_names = {{"waiting", "Ожидание и очереди"}, {"rudeness", "Хамство"}};
  auto r = build_report(*f.store, o);
  REQUIRE(r);
  REQUIRE(r->by_topic.size() == 3);
  CHECK(r->by_topic[0] == TopicCount{"waiting", "Ожидание и очереди", 3, 1});
  CHECK(r->by_topic[1] == TopicCount{"money", "money", 1, 0});  // not in the names: shown by id
  CHECK(r->by_topic[2] == TopicCount{"rudeness", "Хамство", 1, 0});

  o.brands = {"Beta"};
  r = build_report(*f.store, o);
  REQUIRE(r);
  REQUIRE(r->by_topic.size() == 1);
  CHECK(r->by_topic[0] == TopicCount{"waiting", "Ожидание и очереди", 1, 0});

  const std::string text = render_text(*r, DigestLocale::ru);
  CHECK(text.find("Темы жалоб") != std::string::npos);
  CHECK(text.find("Ожидание и очереди: 1\u00a0негативный отзыв, +1 к прошлой неделе") != std::string::npos);
  const std::string html = render_html(*r, DigestLocale::en);
  CHECK(html.find("Complaint topics") != std::string::npos);
  CHECK(html.find("Ожидание и очереди") != std::string::npos);
}

TEST_CASE("build_report: a source that polls fine but finds nothing is a source with problems", "[digest][report]") {
  Fixture f;
  SourceState st;
  st.source = "maps";
  st.polls = 40;
  st.last_success = utc(11, 22, 10);
  st.empty_polls = 6;
  st.broken_since = utc(11, 21, 9);
  st.broken_reason = "no items in 5 polls in a row";
  REQUIRE(f.store->save_source_state(st));
  auto r = build_report(*f.store, f.options());
  REQUIRE(r);
  REQUIRE(r->broken_sources.size() == 1);
  CHECK(r->broken_sources[0].source == "maps");
  CHECK(r->broken_sources[0].consecutive_failures == 0);
  CHECK(r->broken_sources[0].last_error == "no items in 5 polls in a row");
}
