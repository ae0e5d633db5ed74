// The SQLite inbox's query shapes (sqlite_inbox_query.hpp): whichever index drives a page or a
// count, the rows are the same. The role tests meet the drives their small stores choose; here
// every drive that can serve a filter is run against a reference computed from the seeded rows.
#include "daemon/store/sqlite_inbox_query.hpp"
#include "daemon/store/sqlite_search.hpp"
#include "daemon/store/store_detail.hpp"
#include "store_test_support.hpp"
#include "tests/support/catch_result.hpp"

#include <algorithm>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

struct Row {
  std::int64_t id = 0;
  TimePoint at{};
  std::string brand, source, topic, state, severity, word;
  Label label = Label::neutral;
  double rating = 0;
};

bool matches(const Row& r, const InboxFilter& f) {
  const auto in = [](const std::vector<std::string>& list, const std::string& v) {
    return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
  };
  if (!in(f.brands, r.brand) || !in(f.sources, r.source)) return false;
  if (f.label && *f.label != r.label) return false;
  if (!f.severity.empty() && f.severity != r.severity) return false;
  if (f.case_state == "none" && !r.state.empty()) return false;
  if (!f.case_state.empty() && f.case_state != "none" && f.case_state != r.state) return false;
  if (!f.topic.empty() && f.topic != r.topic) return false;
  if (f.min_rating && r.rating < *f.min_rating) return false;
  if (f.max_rating && r.rating > *f.max_rating) return false;
  if (f.from && r.at < *f.from) return false;
  if (f.to && r.at >= *f.to) return false;
  // The seeded words: "alpha" or "beta" (and "common" in every text).
  if (!f.text.empty() && f.text != "common" && r.word.rfind(f.text, 0) != 0) return false;
  return true;
}

std::vector<store::InboxDrive> drives_for(const InboxFilter& f) {
  using D = store::InboxDrive;
  std::vector<D> out{D::time};
  if (!f.text.empty()) out.push_back(D::search);
  if (!f.topic.empty()) out.push_back(D::topic);
  if (!f.case_state.empty() && f.case_state != "none") out.push_back(D::case_state);
  if (!f.brands.empty()) out.push_back(D::brand);
  if (!f.sources.empty()) out.push_back(D::source);
  if (f.label) out.push_back(D::label);
  return out;
}

}  // namespace

TEST_CASE("every drive of an inbox filter finds the same rows and counts", "[store][inbox]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  const TimePoint t = test::test_start() - 100h;
  const std::vector<std::string> brands{"Acme", "Beta", "Gamma"};
  const std::vector<std::string> sources{"maps", "reviews"};
  const std::vector<std::string> topics{"", "waiting", "money"};
  std::vector<Row> rows;
  for (int i = 0; i < 48; ++i) {
    Row r;
    r.at = t + (i / 3) * 1h;  // three rows per event time: ties everywhere
    r.brand = brands[static_cast<std::size_t>(i) % 3];
    r.source = sources[static_cast<std::size_t>(i / 2) % 2];
    r.topic = topics[static_cast<std::size_t>(i / 3) % 3];
    r.label = i % 4 == 0 ? Label::positive : i % 4 == 1 ? Label::neutral : Label::negative;
    r.rating = 1 + i % 5;
    r.word = i % 3 == 1 ? "alpha" : "beta";
    Mention m = test::sample_mention("m" + std::to_string(i), "common " + r.word + " words");
    m.published = r.at;
    m.brand = r.brand;
    m.source = r.source;
    m.rating = r.rating;
    understanding::Understanding u;
    if (!r.topic.empty()) u.topics = {r.topic};
    AlertPolicy p = test::two_channels(r.label == Label::negative && i % 5 != 0);
    p.severity = i % 2 == 0 ? "high" : "low";
    auto in = store->ingest(m, test::sentiment_of(r.label), u, p);
    REQUIRE(in);
    r.id = in->mention_id;
    if (in->alerts_queued > 0) {
      r.state = "new";
      r.severity = p.severity;
      if (i % 3 == 0) {
        REQUIRE(store->apply_case_action(r.id, CaseAction::take, Actor{"web", "a", "A"}, "", clock.now()));
        r.state = "taken";
      }
    }
    rows.push_back(r);
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.at, a.id) > std::tie(b.at, b.id);
  });

  const std::vector<InboxFilter> filters{
      {},
      {.brands = {"Acme"}},
      {.brands = {"Gamma", "Acme", "Acme"}},
      {.sources = {"maps"}},
      {.brands = {"Beta"}, .sources = {"maps", "reviews"}},
      {.label = Label::negative},
      {.label = Label::positive, .from = t + 5h, .to = t + 12h},
      {.severity = "high"},
      {.case_state = "new"},
      {.severity = "low", .case_state = "taken"},
      {.case_state = "none"},
      {.severity = "high", .case_state = "none"},
      {.topic = "waiting"},
      {.label = Label::negative, .topic = "money", .min_rating = 2.0},
      {.min_rating = 2.0, .max_rating = 3.0},
      {.text = "alpha"},
      {.text = "common"},
      {.brands = {"Acme", "Beta"}, .label = Label::negative, .case_state = "new", .topic = "waiting",
       .text = "bet"},
      {.sources = {"reviews"}, .case_state = "taken", .text = "alpha"},
  };
  sqlite::Database& db = store->database();
  for (std::size_t fi = 0; fi < filters.size(); ++fi) {
    const InboxFilter& f = filters[fi];
    std::vector<std::int64_t> want;
    for (const Row& r : rows) {
      if (matches(r, f)) want.push_back(r.id);
    }
    const std::string match = store::fts_match(db, f.text).value();
    for (store::InboxDrive drive : drives_for(f)) {
      INFO("filter " << fi << ", drive " << static_cast<int>(drive));
      // Page by page, four rows at a time.
      std::vector<std::int64_t> got;
      std::optional<InboxCursor> after;
      for (int guard = 0; guard < 100; ++guard) {
        const auto q = store::inbox_ids_sql(f, match, drive, after, 4);
        auto st = db.prepare(q.sql);
        REQUIRE(st);
        store::bind_all(*st, q.params);
        int n = 0;
        while (st->step().value()) {
          got.push_back(st->int64(0));
          after = InboxCursor{store::from_ms(st->int64(1)), st->int64(0)};
          ++n;
        }
        if (n < 4) break;
      }
      CHECK(got == want);
      for (std::int64_t cap : {std::int64_t{0}, std::int64_t{3}, std::int64_t{1000}}) {
        const auto q = store::inbox_count_sql(f, match, drive, cap);
        auto st = db.prepare(q.sql);
        REQUIRE(st);
        store::bind_all(*st, q.params);
        REQUIRE(st->step().value());
        CHECK(st->int64(0) == std::min<std::int64_t>(static_cast<std::int64_t>(want.size()), cap + 1));
      }
    }
    // And through the role: the drive it picks.
    std::vector<std::int64_t> paged;
    InboxQuery query{f, std::nullopt, 5};
    for (int guard = 0; guard < 100; ++guard) {
      auto page = store->inbox(query);
      REQUIRE(page);
      for (const auto& r : page->rows) paged.push_back(r.id);
      if (!page->next) break;
      query.after = page->next;
    }
    CHECK(paged == want);
  }
}
