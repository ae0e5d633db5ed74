// Fills an Otklik state file with a history of stored mentions, for the load benchmark's
// "no growth of per-poll cost with history" run (bench/daemon/load/run.sh --seed N).
//
//   seed_store --db PATH [--mentions N] [--sources PREFIX] [--count N] [--width N] [--brand B]
//              [--weeks N] [--negative PCT] [--authors N] [--channel NAME]
//
// Mentions go to sources PREFIX00000 … (zero-padded to --width digits, 5 by default, as the
// benchmark names its feeds), spread over the last --weeks weeks; --negative % are negative, with
// a topic, a case and their alert delivered to --channel; authors come from a pool of --authors
// names. Prints the rate and the file's size per mention.

#include "daemon/core/clock.hpp"
#include "tests/support/store/seed_history.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iostream>

int main(int argc, char** argv) {
  using namespace otklik;
  CLI::App app{"Seed an Otklik state file with a history of mentions"};
  std::string db;
  test::SeedOptions o;
  o.mentions = 1'000'000;
  o.sources = 10'000;
  o.source_prefix = "feed-";
  o.source_width = 5;
  o.brand = "";
  app.add_option("--db", db, "The state file (created if missing)")->required();
  app.add_option("--mentions", o.mentions, "Mentions to store");
  app.add_option("--sources", o.source_prefix, "Source name prefix");
  app.add_option("--count", o.sources, "Number of sources");
  app.add_option("--width", o.source_width, "Digits of the source number (zero-padded)");
  app.add_option("--brand", o.brand, "Brand of every mention");
  app.add_option("--weeks", o.weeks, "Weeks the history spans");
  app.add_option("--negative", o.negative_percent, "Percent of negative mentions");
  app.add_option("--authors", o.authors, "Size of the pool of author names");
  app.add_option("--channel", o.channel, "Channel the negatives' alerts went to");
  CLI11_PARSE(app, argc, argv);

  const TimePoint now = SystemClock::now();
  ManualClock clock(now);
  auto store = SqliteStore::open(db, clock);
  if (!store) {
    std::cerr << "seed_store: " << store.error().message() << "\n";
    return 1;
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto r = test::seed_history(**store, clock, now, o, [&](std::int64_t done) {
    if (done % 100'000 == 0 || done == o.mentions) std::cerr << fmt::format("seed_store: {} mentions\n", done);
  });
  if (!r) {
    std::cerr << "seed_store: " << r.error().message() << "\n";
    return 1;
  }
  (void)(*store)->database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::error_code ec;
  const auto size = std::filesystem::file_size(db, ec);
  std::cout << fmt::format("seeded {} mentions in {:.1f} s ({:.0f}/s); {} bytes, {:.0f} bytes a mention\n", o.mentions,
                           s, static_cast<double>(o.mentions) / std::max(s, 1e-9), size,
                           o.mentions > 0 ? static_cast<double>(size) / static_cast<double>(o.mentions) : 0.0);
  return 0;
}
