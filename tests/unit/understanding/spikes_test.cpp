// Spike detection: baseline windows, robust usual levels, start and end with hysteresis, and
// the words of the notices.
#include "daemon/understanding/spikes.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

using namespace otklik::understanding;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kHour = 3600 * 1000;
constexpr std::int64_t kNow = 1'800'000'000'000;  // a fixed instant; no clock

/// `per_window` events in each baseline window (3 h) plus `now_count` in the current one.
std::vector<std::int64_t> history(int per_window, int now_count, const SpikeParams& p) {
  std::vector<std::int64_t> t;
  const std::int64_t w = std::chrono::duration_cast<std::chrono::milliseconds>(p.window).count();
  const std::int64_t windows = std::int64_t{p.baseline_weeks} * 7 * 24 * kHour / w;
  for (std::int64_t k = windows; k >= 1; --k)
    for (int i = 0; i < per_window; ++i) t.push_back(kNow - k * w - 1000 * (i + 1));
  for (int i = 0; i < now_count; ++i) t.push_back(kNow - 1000 * (i + 1));
  std::sort(t.begin(), t.end());
  return t;
}

}  // namespace

TEST_CASE("baseline windows are back to back before the current window", "[understanding][spikes]") {
  SpikeParams p;
  p.window = 180min;
  p.baseline_weeks = 1;
  std::vector<std::int64_t> t{kNow - 1,                 // current window
                              kNow - 3 * kHour,         // the current window's start: still current? no: (now-w, now]
                              kNow - 3 * kHour - 1,     // first baseline window
                              kNow - 6 * kHour - 5,     // second
                              kNow - 7 * 24 * kHour - 3 * kHour + 1,  // the last baseline window
                              kNow - 7 * 24 * kHour - 3 * kHour - 1}; // before the baseline
  std::sort(t.begin(), t.end());
  const auto counts = baseline_counts(t, kNow, p);
  REQUIRE(counts.size() == 56);  // 7 days × 8 windows
  CHECK(counts[0] == 2);         // "now − 3h" is outside (now − w, now], so it is the baseline's
  CHECK(counts[1] == 1);
  CHECK(counts[55] == 1);
  CHECK(current_count(t, kNow, p) == 1);
}

TEST_CASE("a spike needs a minimum, a ratio and a distance from the usual spread", "[understanding][spikes]") {
  SpikeParams p;  // 3 h windows, 4 weeks, min 5, ratio 3, mad_k 3.5
  struct Case {
    const char* what;
    int per_window;
    int now;
    bool above;
  };
  const Case cases[] = {
      {"a quiet brand: four complaints are not a spike", 0, 4, false},
      {"a quiet brand: five are", 0, 5, true},
      {"two a window usually: five are not three times that", 2, 5, false},
      {"two a window usually: six are", 2, 6, true},
      {"ten a window usually: twenty are not", 10, 20, false},
      {"ten a window usually: thirty are", 10, 30, true},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const auto t = history(c.per_window, c.now, p);
    const auto v = assess(current_count(t, kNow, p), baseline_counts(t, kNow, p), p);
    CHECK(v.count == c.now);
    CHECK(v.median == c.per_window);
    CHECK(v.above == c.above);
  }
}

TEST_CASE("a noisy baseline raises the threshold through the MAD", "[understanding][spikes]") {
  SpikeParams p;
  p.min_ratio = 1.5;
  std::vector<int> baseline;
  for (int i = 0; i < 200; ++i) baseline.push_back(i % 2 == 0 ? 2 : 8);  // median 5, MAD 3
  const auto v = assess(12, baseline, p);
  CHECK(v.median == 5);
  CHECK(v.mad == 3);
  CHECK(v.threshold == 21);  // floor(5 + 3.5 × 1.4826 × 3) + 1
  CHECK_FALSE(v.above);
  CHECK(assess(21, baseline, p).above);
}

TEST_CASE("one earlier spike in the baseline does not hide the next", "[understanding][spikes]") {
  SpikeParams p;
  std::vector<int> baseline(224, 1);
  for (int i = 0; i < 5; ++i) baseline[static_cast<std::size_t>(i)] = 40;  // last week's storm
  const auto v = assess(8, baseline, p);
  CHECK(v.median == 1);
  CHECK(v.usual == Approx(1.0 + 39.0 * 5 / 224));  // the mean is the floor here
  CHECK(v.above);
}

TEST_CASE("start above, end only well below: no flapping at the threshold", "[understanding][spikes]") {
  SpikeParams p;
  const std::vector<int> quiet(224, 0);
  struct Step {
    int count;
    SpikeChange change;
  };
  const Step steps[] = {{4, SpikeChange::none},    {5, SpikeChange::started}, {4, SpikeChange::none},
                        {5, SpikeChange::none},    {3, SpikeChange::none},    {2, SpikeChange::ended},
                        {3, SpikeChange::none},    {5, SpikeChange::started}, {0, SpikeChange::ended}};
  bool active = false;
  for (const auto& s : steps) {
    CAPTURE(s.count);
    const auto change = next(active, assess(s.count, quiet, p));
    CHECK(change == s.change);
    if (change == SpikeChange::started) active = true;
    if (change == SpikeChange::ended) active = false;
  }
}

TEST_CASE("an empty baseline still has a usual level", "[understanding][spikes]") {
  SpikeParams p;
  const auto v = assess(5, std::vector<int>{}, p);
  CHECK(v.usual == 0.5);
  CHECK(v.ratio == 10);
  CHECK(v.above);
}

TEST_CASE("spike notices count in words with the right forms", "[understanding][spikes]") {
  SpikeParams p;
  std::vector<int> baseline(224, 0);
  for (std::size_t i = 0; i < baseline.size(); i += 2) baseline[i] = 3;
  for (std::size_t i = 1; i < baseline.size(); i += 2) baseline[i] = 2;  // usual 2.5, median 2.5
  auto v = assess(17, baseline, p);
  auto ru = spike_started_text(v, "Рокетбанк", "Ожидание и очереди", 180min, "ru");
  CHECK(ru.title == "Рокетбанк: всплеск негатива про «Ожидание и очереди»");
  CHECK(ru.text == "17 негативных отзывов про «Ожидание и очереди» за 3 часа — в 7 раз больше обычного (обычно 2–3).");
  auto en = spike_started_text(v, "", "", 60min, "en");
  CHECK(en.title == "Spike of negative reviews");
  CHECK(en.text == "17 negative reviews in 1 hour — 7 times the usual (usually 2–3).");
  v = assess(21, std::vector<int>(224, 0), p);
  CHECK(spike_started_text(v, "", "", 90min, "ru").text ==
        "21 негативный отзыв за 90 минут — в 42 раза больше обычного (обычно 0–1).");
  auto end = spike_ended_text(17, 2, "Рокетбанк", "", 300min, 180min, "ru");
  CHECK(end.title == "Рокетбанк: всплеск негатива закончился");
  CHECK(end.text == "Сейчас 2 негативных отзыва за 3 часа, на пике было 17. Всплеск длился 5 часов.");
  auto end_en = spike_ended_text(9, 1, "", "Rudeness", 1440min, 180min, "en");
  CHECK(end_en.text == "Now 1 negative review in 3 hours; at the peak 9. It lasted 1 day.");
  CHECK(duration_words(1min, "ru") == "1 минуту");
  CHECK(duration_words(2880min, "ru") == "2 дня");
  CHECK(duration_words(121min, "en") == "121 minutes");
}
