// Fills an Otklik state file (SQLite) with a year of mentions for the web inbox benchmark
// (bench/web/run.sh), through the store's own ingest path: MentionStore::ingest_batch in batches,
// so that every index, count and the full-text index are written as the daemon writes them.
//
//   seed_inbox --db PATH [--mentions N] [--batch N] [--days N] [--negative PCT] [--seed N]
//              [--relabel-every N]
//
// Four brands with three sources each; Russian and English reviews from bench/web/review_text
// (complaints by topic, praise, neutral remarks, with streets, names and order numbers); event
// times spread over --days days before now. --negative % are negative: each with its topics, an
// alert to channel "team" (delivered: marked sent) and a case, moved through the lifecycle by the
// store's own CaseStore::apply_case_action — recent cases mostly still open, older ones mostly
// resolved or dismissed — and one mention in --relabel-every (200) relabelled by the team. Prints the rate.

#include "bench/web/review_text.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "daemon/understanding/author.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <iostream>

namespace {

using namespace otklik;
using namespace std::chrono;

struct Brand {
  const char* name;
  std::array<const char*, 3> sources;
};

constexpr std::array kBrands{
    Brand{"Zvezda", {"zvezda-banki", "zvezda-maps", "zvezda-vk"}},
    Brand{"Lavka", {"lavka-otzovik", "lavka-maps", "lavka-appstore"}},
    Brand{"Aurora", {"aurora-prodoctorov", "aurora-maps", "aurora-telegram"}},
    Brand{"Northwind", {"northwind-trustpilot", "northwind-reddit", "northwind-gmaps"}},
};

constexpr std::array kAgents{"anna", "oleg", "irina", "pavel", "maria"};
constexpr std::array kFirst{"Анна", "Иван", "Мария", "Павел", "Ольга", "Sergey", "Elena", "John", "Kate", "Дмитрий",
                            "Наталья", "Михаил", "Laura", "Tom", "Светлана"};
constexpr std::array kLast{"Петрова", "Смирнов", "Кузнецова", "Попов", "Васильева", "Ivanov", "Smith", "Orlova",
                           "Brown", "Соколов", "Новикова", "Морозов", "Wilson", "Лебедева"};

const char* severity_of(std::mt19937_64& rng) {
  const int x = std::uniform_int_distribution<int>(0, 99)(rng);
  return x < 20 ? "high" : x < 60 ? "medium" : "low";
}

/// The lifecycle actions a case went through, by its age: recent cases mostly still open, older
/// ones mostly closed (a few forgotten: still new or taken).
std::vector<CaseAction> history_of(std::mt19937_64& rng, Duration age) {
  const int x = std::uniform_int_distribution<int>(0, 99)(rng);
  if (age < hours(72)) {
    if (x < 50) return {};
    if (x < 80) return {CaseAction::take};
    if (x < 95) return {CaseAction::take, CaseAction::answer};
    return {CaseAction::dismiss};
  }
  if (x < 6) return {};
  if (x < 10) return {CaseAction::take};
  if (x < 18) return {CaseAction::take, CaseAction::answer};
  if (x < 30) return {CaseAction::dismiss};
  return {CaseAction::take, CaseAction::answer, CaseAction::resolve};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Seed an Otklik state file with a year of mentions for the web inbox benchmark"};
  std::string db;
  std::int64_t mentions = 1'000'000;
  int batch = 1000;
  int days = 365;
  int negative_percent = 10;
  std::uint64_t seed = 18;
  int relabel_every = 200;
  app.add_option("--db", db, "The state file (created if missing)")->required();
  app.add_option("--mentions", mentions, "Mentions to store");
  app.add_option("--batch", batch, "Mentions per ingest_batch transaction");
  app.add_option("--days", days, "Days the history spans, ending now");
  app.add_option("--negative", negative_percent, "Percent of negative mentions");
  app.add_option("--seed", seed, "Seed of the random texts");
  app.add_option("--relabel-every", relabel_every, "One mention in N relabelled by the team (0: none)");
  CLI11_PARSE(app, argc, argv);

  const TimePoint now = floor<seconds>(SystemClock::now());
  ManualClock clock(now);
  auto opened = SqliteStore::open(db, clock);
  if (!opened) {
    std::cerr << "seed_inbox: " << opened.error().message() << "\n";
    return 1;
  }
  SqliteStore& store = **opened;
  std::mt19937_64 rng(seed);
  const auto span = duration_cast<milliseconds>(hours(24) * std::max(days, 1));
  const std::int64_t n = std::max<std::int64_t>(mentions, 0);
  std::int64_t done = 0, negatives = 0, actions = 0, relabels = 0;
  const auto t0 = steady_clock::now();
  steady_clock::duration ingest_time{}, case_time{};

  while (done < n) {
    const std::int64_t end = std::min(n, done + std::max(batch, 1));
    // Seen when published (a few seconds later): the batch is fetched at its last item's time.
    const TimePoint batch_at = now - span + span * end / std::max<std::int64_t>(n, 1);
    clock.set(batch_at);
    std::vector<IngestItem> items;
    items.reserve(static_cast<std::size_t>(end - done));
    for (std::int64_t i = done; i < end; ++i) {
      const bool negative = std::uniform_int_distribution<int>(0, 99)(rng) < negative_percent;
      const bool positive = !negative && std::uniform_int_distribution<int>(0, 1)(rng) == 0;
      const auto kind = negative ? bench::ReviewKind::negative
                        : positive ? bench::ReviewKind::positive
                                   : bench::ReviewKind::neutral;
      bench::ReviewText review = bench::make_review(rng, kind);
      const Brand& brand = kBrands[static_cast<std::size_t>(i) % kBrands.size()];
      IngestItem item;
      Mention& m = item.mention;
      m.source = brand.sources[static_cast<std::size_t>(i / 4) % brand.sources.size()];
      m.external_id = fmt::format("r{}", i);
      m.url = fmt::format("https://reviews.example/{}/{}", m.source, i);
      const auto author = std::uniform_int_distribution<std::size_t>(0, 49'999)(rng);
      m.author = fmt::format("{} {} {}", kFirst[author % kFirst.size()], kLast[(author / 15) % kLast.size()],
                             author / 210);
      m.title = std::move(review.title);
      m.text = std::move(review.text);
      m.rating = review.rating;
      m.published = batch_at - milliseconds(span.count() * (end - 1 - i) / std::max<std::int64_t>(n, 1));
      m.fetched = batch_at;
      m.brand = brand.name;
      Sentiment& s = item.sentiment;
      s.label = negative ? Label::negative : positive ? Label::positive : Label::neutral;
      s.score = negative ? -0.72 : positive ? 0.64 : 0.05;
      s.confidence = 0.8;
      s.lang = review.russian ? Lang::ru : Lang::en;
      if (negative) {
        const std::string scored = scored_text(m);
        s.sentences = {{0, scored.size(), -0.72, Label::negative}};
        s.why = {{review.russian ? "ужасно" : "terrible", -0.7}};
        item.understanding.topics = review.topics;
        item.understanding.claims = {{0, m.text.size(), m.text, -0.7, review.topics}};
        item.policy.alerts = {{"team", "alert", "", std::nullopt}};
        item.policy.severity = severity_of(rng);
      }
      item.understanding.author_name_key = understanding::author_keys(m.source, m.author, m.author_id).name_key;
      items.push_back(std::move(item));
    }
    const auto b0 = steady_clock::now();
    auto stored = store.ingest_batch(items);
    if (!stored) {
      std::cerr << "seed_inbox: " << stored.error().message() << "\n";
      return 1;
    }
    // The alerts went out: delivered, as the daemon would have marked them.
    for (;;) {
      auto leased = store.lease("team", batch_at + hours(1), seconds(60), 500);
      if (!leased) {
        std::cerr << "seed_inbox: " << leased.error().message() << "\n";
        return 1;
      }
      if (leased->empty()) break;
      for (const auto& row : *leased)
        if (auto r = store.mark_sent(row.id, std::to_string(row.id), batch_at); !r) {
          std::cerr << "seed_inbox: " << r.error().message() << "\n";
          return 1;
        }
    }
    const auto b1 = steady_clock::now();
    ingest_time += b1 - b0;
    for (std::size_t k = 0; k < stored->size(); ++k) {
      const auto& r = (*stored)[k];
      if (!r) {
        std::cerr << "seed_inbox: " << r.error().message() << "\n";
        return 1;
      }
      const std::int64_t id = r->mention_id;
      const TimePoint at = *items[k].mention.published;
      if (items[k].sentiment.label == Label::negative) {
        ++negatives;
        TimePoint when = batch_at;
        for (CaseAction a : history_of(rng, duration_cast<Duration>(now - at))) {
          when += minutes(std::uniform_int_distribution<int>(5, 600)(rng));
          const std::string agent = kAgents[std::uniform_int_distribution<std::size_t>(0, kAgents.size() - 1)(rng)];
          auto applied = store.apply_case_action(id, a, Actor{"web", agent, agent}, "", std::min(when, now));
          if (!applied) {
            std::cerr << "seed_inbox: case " << id << ": " << applied.error().message() << "\n";
            return 1;
          }
          ++actions;
        }
      }
      if (relabel_every > 0 && id % relabel_every == 0) {
        const Label corrected = items[k].sentiment.label == Label::negative ? Label::neutral : Label::negative;
        if (auto rl = store.relabel({id, corrected, Actor{"web", "anna", "anna"}, batch_at + hours(2)}); !rl) {
          std::cerr << "seed_inbox: relabel " << id << ": " << rl.error().message() << "\n";
          return 1;
        }
        ++relabels;
      }
    }
    case_time += steady_clock::now() - b1;
    done = end;
    if (done % 100'000 == 0 || done == n)
      std::cerr << fmt::format("seed_inbox: {} mentions, {:.0f} s\n", done,
                               duration<double>(steady_clock::now() - t0).count());
  }
  clock.set(now);
  (void)store.database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const double s = duration<double>(steady_clock::now() - t0).count();
  std::error_code ec;
  const auto size = std::filesystem::file_size(db, ec);
  const auto words = bench::search_words();
  std::cout << fmt::format(
      "seeded {} mentions ({} negative with cases, {} case actions, {} relabels) in {:.1f} s: {:.0f} mentions/s "
      "(ingest_batch {:.1f} s, case actions and relabels {:.1f} s); {:.0f} MiB, {:.0f} bytes a mention\n",
      n, negatives, actions, relabels, s, static_cast<double>(n) / std::max(s, 1e-9),
      duration<double>(ingest_time).count(), duration<double>(case_time).count(),
      static_cast<double>(size) / 1048576.0, n > 0 ? static_cast<double>(size) / static_cast<double>(n) : 0.0);
  std::cout << fmt::format("search words: common \"{}\", rare \"{}\", two words \"{}\"\n", words.common, words.rare,
                           words.pair);
  return 0;
}
