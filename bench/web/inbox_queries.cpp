// The store's side of the web inbox benchmark: how long InboxStore::inbox (one page of 50) and
// InboxStore::inbox_counts (the counts beside the filter, capped as the page caps them) take on a
// seeded state file, each filter of the page benchmark on its own, with no HTTP and no daemon —
// so that a slow page can be told apart into its page query and its counts.
//
//   inbox_queries --db PATH [--repeat 20] [--cap 10000] [--pages 50]
//
// Run it on a file seed_inbox filled (not while a daemon writes it). Prints a markdown table.

#include "bench/web/review_text.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/store/sqlite_store.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <functional>
#include <iostream>

namespace {

using namespace otklik;
using Millis = std::chrono::duration<double, std::milli>;

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(q * static_cast<double>(v.size()))));
  return v[std::min(rank, v.size()) - 1];
}

/// Runs `f` `repeat` times (after one unmeasured run); the times in ms. Exits on a failure.
std::vector<double> timed(int repeat, const std::function<Result<void>()>& f, const std::string& what) {
  std::vector<double> out;
  for (int i = 0; i <= repeat; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    if (auto r = f(); !r) {
      std::cerr << "inbox_queries: " << what << ": " << r.error().message() << "\n";
      std::exit(1);
    }
    if (i > 0) out.push_back(Millis(std::chrono::steady_clock::now() - t0).count());
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Time the inbox's store queries on a seeded state file"};
  std::string db;
  int repeat = 20;
  std::int64_t cap = 10000;
  int pages = 50;
  app.add_option("--db", db, "A state file seeded by seed_inbox")->required();
  app.add_option("--repeat", repeat, "Measured runs of each query");
  app.add_option("--cap", cap, "Where counts stop (the page's cap)");
  app.add_option("--pages", pages, "Depth of the paging row");
  CLI11_PARSE(app, argc, argv);

  SystemClock::time_point now = SystemClock::now();
  ManualClock clock(now);
  auto opened = SqliteStore::open(db, clock);
  if (!opened) {
    std::cerr << "inbox_queries: " << opened.error().message() << "\n";
    return 1;
  }
  SqliteStore& store = **opened;
  auto total = store.mentions_total();
  const auto words = bench::search_words();

  struct Row {
    std::string name;
    InboxFilter filter;
  };
  std::vector<Row> rows;
  rows.push_back({"no filter", {}});
  {
    InboxFilter f;
    f.label = Label::negative;
    rows.push_back({"label=negative", f});
  }
  {
    InboxFilter f;
    f.brands = {"Northwind"};
    rows.push_back({"brand=Northwind", f});
  }
  {
    InboxFilter f;
    f.case_state = "new";
    rows.push_back({"state=new", f});
  }
  {
    InboxFilter f;
    f.topic = "waiting";
    rows.push_back({"topic=waiting", f});
  }
  for (const auto& [label, word] : {std::pair{"common word", words.common}, std::pair{"rare word", words.rare},
                                    std::pair{"two words", words.pair}}) {
    InboxFilter f;
    f.text = word;
    rows.push_back({fmt::format("q={} ({})", word, label), f});
  }

  std::cout << fmt::format("\n### Inbox store queries at {} mentions (SQLite, {} runs each)\n\n",
                           total ? *total : -1, repeat);
  std::cout << "| Filter | Rows | inbox() p50 ms | inbox() p99 ms | Count | inbox_counts() p50 ms | inbox_counts() p99 ms |\n";
  std::cout << "|---|---:|---:|---:|---|---:|---:|\n";
  for (const auto& row : rows) {
    InboxQuery q;
    q.filter = row.filter;
    std::size_t got = 0;
    const auto page = timed(repeat, [&]() -> Result<void> {
      auto r = store.inbox(q);
      if (!r) return r.error();
      got = r->rows.size();
      return {};
    }, row.name);
    BoundedCount count;
    const auto counts = timed(repeat, [&]() -> Result<void> {
      auto r = store.inbox_counts(row.filter, cap);
      if (!r) return r.error();
      count = r->total;
      return {};
    }, row.name + " counts");
    std::cout << fmt::format("| {} | {} | {:.1f} | {:.1f} | {}{} | {:.1f} | {:.1f} |\n", row.name, got,
                             percentile(page, 0.5), percentile(page, 0.99), count.n, count.capped ? "+" : "",
                             percentile(counts, 0.5), percentile(counts, 0.99));
  }

  // Keyset paging: the page after the cursor of the one before, `pages` deep.
  std::vector<double> steps;
  for (int run = 0; run < std::max(1, repeat / 5); ++run) {
    InboxQuery q;
    for (int depth = 0; depth <= pages; ++depth) {
      const auto t0 = std::chrono::steady_clock::now();
      auto r = store.inbox(q);
      if (!r) {
        std::cerr << "inbox_queries: paging: " << r.error().message() << "\n";
        return 1;
      }
      if (depth > 0) steps.push_back(Millis(std::chrono::steady_clock::now() - t0).count());
      if (!r->next) break;
      q.after = r->next;
    }
  }
  std::cout << fmt::format("| pages 1…{} by cursor (no filter) | 50 | {:.1f} | {:.1f} | | | |\n", pages,
                           percentile(steps, 0.5), percentile(steps, 0.99));
  return 0;
}
