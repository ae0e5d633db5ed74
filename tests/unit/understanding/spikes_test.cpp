// Spike detection: baseline windows, robust usual levels, start and end with hysteresis, and
// the words of the notices.
#include "daemon/understanding/spikes.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
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
  std::vector<std::int64_t> t{kNow - 1,                 // current window: (now − 3h, now]
                              kNow - 3 * kHour,         // the current window's open start: baseline window 0
                              kNow - 3 * kHour - 1,     // baseline window 0
                              kNow - 6 * kHour - 5,     // baseline window 1
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
  struct Step {
    int count;
    SpikeChange change;
  };
  SECTION("a quiet brand: starts at 5, ends at 2") {
    const std::vector<int> quiet(224, 0);
    const Step steps[] = {{4, SpikeChange::none}, {5, SpikeChange::started}, {4, SpikeChange::none},
                          {5, SpikeChange::none}, {4, SpikeChange::none},    {3, SpikeChange::none},
                          {5, SpikeChange::none}, {3, SpikeChange::none},    {2, SpikeChange::ended},
                          {3, SpikeChange::none}, {4, SpikeChange::none},    {5, SpikeChange::started},
                          {9, SpikeChange::none}, {0, SpikeChange::ended}};
    bool active = false;
    int notices = 0;
    for (const auto& s : steps) {
      CAPTURE(s.count, active);
      const auto change = next(active, assess(s.count, quiet, p));
      CHECK(change == s.change);
      if (change != SpikeChange::none) ++notices;
      if (change == SpikeChange::started) active = true;
      if (change == SpikeChange::ended) active = false;
    }
    CHECK(notices == 4);  // two spikes, each told once when it starts and once when it ends
  }
  SECTION("three a window usually: starts at 9, ends at 4") {
    const std::vector<int> usual(224, 3);
    const auto v = assess(9, usual, p);
    CHECK(v.threshold == 9);
    const Step steps[] = {{8, SpikeChange::none}, {9, SpikeChange::started}, {8, SpikeChange::none},
                          {5, SpikeChange::none}, {9, SpikeChange::none},    {4, SpikeChange::ended},
                          {8, SpikeChange::none}};
    bool active = false;
    for (const auto& s : steps) {
      CAPTURE(s.count, active);
      const auto change = next(active, assess(s.count, usual, p));
      CHECK(change == s.change);
      if (change == SpikeChange::started) active = true;
      if (change == SpikeChange::ended) active = false;
    }
  }
}

TEST_CASE("an empty or all-zero baseline still has a usual level", "[understanding][spikes]") {
  SpikeParams p;
  struct Case {
    const char* what;
    std::vector<int> baseline;
    int count;
    double usual;
    bool above;
  };
  const std::vector<Case> cases{
      {"no baseline at all (a new brand)", {}, 5, 0.5, true},
      {"four weeks of nothing: 4 is not a spike", std::vector<int>(224, 0), 4, 0.5, false},
      {"four weeks of nothing: 5 is", std::vector<int>(224, 0), 5, 0.5, true},
      // Median and MAD are 0 when most windows are empty; the mean lifts the level to 1, and
      // 5 (more than any window in four weeks) is a spike.
      {"a few complaints now and then: the mean lifts the floor", [] {
         std::vector<int> b(224, 0);
         for (std::size_t i = 0; i < b.size(); i += 4) b[i] = 4;  // one window in four
         return b;
       }(), 5, 1.0, true},
      {"a few complaints now and then: 4 is as usual", [] {
         std::vector<int> b(224, 0);
         for (std::size_t i = 0; i < b.size(); i += 4) b[i] = 4;
         return b;
       }(), 4, 1.0, false},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const auto v = assess(c.count, c.baseline, p);
    CHECK(v.usual == Approx(c.usual));
    CHECK(std::isfinite(v.ratio));
    CHECK(v.above == c.above);
  }
}

TEST_CASE("window maths is plain milliseconds", "[understanding][spikes]") {
  SpikeParams p;  // 3 h windows, 4 weeks
  constexpr std::int64_t kWeek = 7 * 24 * kHour;
  // Exactly one week and four weeks before now: a week is 168 hours whatever the clocks did
  // (a DST change in between moves no event to another window).
  std::vector<std::int64_t> t{kNow - 4 * kWeek, kNow - kWeek, kNow - kWeek + 1};
  const auto counts = baseline_counts(t, kNow, p);
  REQUIRE(counts.size() == 224);
  CHECK(counts[54] == 1);   // now − 1 week + 1 ms: (now − 56·3h, now − 55·3h]
  CHECK(counts[55] == 1);   // now − 1 week exactly is the end of window 55
  CHECK(counts[223] == 1);  // now − 4 weeks is the end of the last baseline window
  CHECK(std::accumulate(counts.begin(), counts.end(), 0) == 3);
  // Future events (a clock ahead on the site) count nowhere.
  const std::vector<std::int64_t> ahead{kNow + 1, kNow + kHour};
  CHECK(current_count(ahead, kNow, p) == 0);
  const auto ahead_counts = baseline_counts(ahead, kNow, p);
  CHECK(std::accumulate(ahead_counts.begin(), ahead_counts.end(), 0) == 0);
  // Nonsense parameters give an empty baseline, not a crash or a billion windows.
  SpikeParams zero;
  zero.window = std::chrono::minutes(0);
  CHECK(baseline_counts(t, kNow, zero).empty());
  CHECK(current_count(t, kNow, zero) == 0);
  SpikeParams huge;
  huge.window = std::chrono::minutes(1);
  huge.baseline_weeks = 1000;
  CHECK(baseline_counts(t, kNow, huge).size() == 65536);
}

TEST_CASE("Russian and English count words take the right forms", "[understanding][spikes]") {
  struct Case {
    int count;
    const char* ru;
    const char* en;
  };
  const Case cases[] = {
      {1, "1 негативный отзыв", "1 negative review"},     {2, "2 негативных отзыва", "2 negative reviews"},
      {4, "4 негативных отзыва", "4 negative reviews"},   {5, "5 негативных отзывов", "5 negative reviews"},
      {11, "11 негативных отзывов", "11 negative reviews"}, {12, "12 негативных отзывов", "12 negative reviews"},
      {21, "21 негативный отзыв", "21 negative reviews"}, {22, "22 негативных отзыва", "22 negative reviews"},
      {25, "25 негативных отзывов", "25 negative reviews"}, {101, "101 негативный отзыв", "101 negative reviews"},
      {111, "111 негативных отзывов", "111 negative reviews"}, {0, "0 негативных отзывов", "0 negative reviews"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.count);
    const auto ru = spike_ended_text(30, c.count, "", "", std::chrono::minutes(60), std::chrono::minutes(60), "ru");
    CHECK(ru.text.rfind(std::string("Сейчас ") + c.ru + " за", 0) == 0);
    const auto en = spike_ended_text(30, c.count, "", "", std::chrono::minutes(60), std::chrono::minutes(60), "en");
    CHECK(en.text.rfind(std::string("Now ") + c.en + " in", 0) == 0);
  }

  struct Span {
    int minutes;
    const char* ru;
    const char* en;
  };
  const Span spans[] = {
      {1, "1 минуту", "1 minute"},          {2, "2 минуты", "2 minutes"},        {5, "5 минут", "5 minutes"},
      {21, "21 минуту", "21 minutes"},       {60, "1 час", "1 hour"},             {90, "1 час 30 минут", "1 hour 30 minutes"},
      {121, "2 часа 1 минуту", "2 hours 1 minute"}, {180, "3 часа", "3 hours"},  {300, "5 часов", "5 hours"},
      {21 * 60, "21 час", "21 hours"},       {22 * 60, "22 часа", "22 hours"},    {1440, "1 день", "1 day"},
      {1441, "1 день", "1 day"},             {1500, "1 день 1 час", "1 day 1 hour"}, {2880, "2 дня", "2 days"},
      {7 * 1440, "7 дней", "7 days"},        {0, "0 минут", "0 minutes"},         {-5, "0 минут", "0 minutes"},
  };
  for (const auto& s : spans) {
    CAPTURE(s.minutes);
    CHECK(duration_words(std::chrono::minutes(s.minutes), "ru") == s.ru);
    CHECK(duration_words(std::chrono::minutes(s.minutes), "en") == s.en);
  }
}

TEST_CASE("spike notices say how many, about what, and against what", "[understanding][spikes]") {
  SpikeParams p;
  std::vector<int> baseline(224, 0);
  for (std::size_t i = 0; i < baseline.size(); i += 2) baseline[i] = 3;
  for (std::size_t i = 1; i < baseline.size(); i += 2) baseline[i] = 2;  // usual 2.5, median 2.5
  auto v = assess(17, baseline, p);
  REQUIRE(v.above);
  auto ru = spike_started_text(v, "Рокетбанк", "Ожидание и очереди", 180min, "ru");
  CHECK(ru.title == "Рокетбанк: всплеск негатива про «Ожидание и очереди»");
  CHECK(ru.text == "17 негативных отзывов про «Ожидание и очереди» за 3 часа — в 6 раз больше обычного (обычно 2–3).");
  auto en = spike_started_text(v, "", "", 60min, "en");
  CHECK(en.title == "Spike of negative reviews");  // all topics: no "about"
  CHECK(en.text == "17 negative reviews in 1 hour — 6 times the usual (usually 2–3).");
  CHECK(spike_started_text(v, "Acme", "Rudeness", 180min, "en-GB").text ==
        "17 negative reviews about “Rudeness” in 3 hours — 6 times the usual (usually 2–3).");

  struct Case {
    std::vector<int> baseline;
    int count;
    const char* ru;
    const char* en;
  };
  const std::vector<Case> cases{
      // Ratio forms: «в 2 раза», «в 5 раз», «в 22 раза», and a fraction under 2.
      {std::vector<int>(224, 4), 11, "11 негативных отзывов за 3 часа — в 2 раза больше обычного (обычно 4).",
       "11 negative reviews in 3 hours — 2 times the usual (usually 4)."},
      {std::vector<int>(224, 1), 5, "5 негативных отзывов за 3 часа — в 5 раз больше обычного (обычно 1).",
       "5 negative reviews in 3 hours — 5 times the usual (usually 1)."},
      {std::vector<int>(224, 1), 22, "22 негативных отзыва за 3 часа — в 22 раза больше обычного (обычно 1).",
       "22 negative reviews in 3 hours — 22 times the usual (usually 1)."},
      {std::vector<int>(224, 1), 21, "21 негативный отзыв за 3 часа — в 21 раз больше обычного (обычно 1).",
       "21 negative reviews in 3 hours — 21 times the usual (usually 1)."},
      {std::vector<int>(224, 10), 17, "17 негативных отзывов за 3 часа — в 1,7 раза больше обычного (обычно 10).",
       "17 negative reviews in 3 hours — 1.7 times the usual (usually 10)."},
      // Under one a window: no ratio against the floor.
      {std::vector<int>(224, 0), 21, "21 негативный отзыв за 3 часа — обычно 0–1.", "21 negative reviews in 3 hours — usually 0–1."},
      {{}, 6, "6 негативных отзывов за 3 часа — обычно 0–1.", "6 negative reviews in 3 hours — usually 0–1."},
  };
  for (const auto& c : cases) {
    CAPTURE(c.count);
    const auto cv = assess(c.count, c.baseline, p);
    CHECK(spike_started_text(cv, "", "", 180min, "ru").text == c.ru);
    CHECK(spike_started_text(cv, "", "", 180min, "en").text == c.en);
  }

  auto end = spike_ended_text(17, 2, "Рокетбанк", "", 300min, 180min, "ru");
  CHECK(end.title == "Рокетбанк: всплеск негатива закончился");
  CHECK(end.text == "Сейчас 2 негативных отзыва за 3 часа, на пике было 17. Всплеск длился 5 часов.");
  auto end_topic = spike_ended_text(9, 1, "", "Грубость", 90min, 180min, "ru");
  CHECK(end_topic.title == "Всплеск негатива про «Грубость» закончился");
  CHECK(end_topic.text == "Сейчас 1 негативный отзыв за 3 часа, на пике было 9. Всплеск длился 1 час 30 минут.");
  auto end_en = spike_ended_text(9, 1, "Acme", "Rudeness", 1440min, 180min, "en");
  CHECK(end_en.title == "Acme: the spike about “Rudeness” is over");
  CHECK(end_en.text == "Now 1 negative review in 3 hours; at the peak 9. It lasted 1 day.");
}
