#include "daemon/health/metrics.hpp"

#include "tests/support/catch_result.hpp"

#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

using namespace otklik::health;

TEST_CASE("an empty registry exposes nothing", "[metrics]") {
  MetricsRegistry m;
  CHECK(m.expose().empty());
}

TEST_CASE("counters and gauges with and without labels, in a deterministic order", "[metrics]") {
  MetricsRegistry m;
  // Registered out of order on purpose: families sort by name, series by label values.
  m.counter("otklik_source_polls_total", "Polls started, per source.", {{"source", "shop"}}).inc(2);
  m.counter("otklik_source_polls_total", "ignored: the first HELP is kept", {{"source", "bank"}}).inc();
  m.gauge("otklik_alerts_pending", "Outbox rows waiting for delivery.").set(7);
  m.gauge("otklik_up", "1 while the daemon runs.").set(1);
  auto& failures = m.counter("otklik_source_poll_failures_total", "Failed polls.",
                             {{"source", "bank"}, {"reason", "timeout"}});
  failures.inc();
  // Same series with the labels in another order: the same object.
  CHECK(&m.counter("otklik_source_poll_failures_total", "", {{"reason", "timeout"}, {"source", "bank"}}) ==
        &failures);
  m.counter("otklik_source_poll_failures_total", "", {{"source", "bank"}, {"reason", "http_status"}}).inc(3);

  CHECK(m.expose() ==
        "# HELP otklik_alerts_pending Outbox rows waiting for delivery.\n"
        "# TYPE otklik_alerts_pending gauge\n"
        "otklik_alerts_pending 7\n"
        "# HELP otklik_source_poll_failures_total Failed polls.\n"
        "# TYPE otklik_source_poll_failures_total counter\n"
        "otklik_source_poll_failures_total{source=\"bank\",reason=\"http_status\"} 3\n"
        "otklik_source_poll_failures_total{source=\"bank\",reason=\"timeout\"} 1\n"
        "# HELP otklik_source_polls_total Polls started, per source.\n"
        "# TYPE otklik_source_polls_total counter\n"
        "otklik_source_polls_total{source=\"bank\"} 1\n"
        "otklik_source_polls_total{source=\"shop\"} 2\n"
        "# HELP otklik_up 1 while the daemon runs.\n"
        "# TYPE otklik_up gauge\n"
        "otklik_up 1\n");
}

TEST_CASE("label values and help text are escaped", "[metrics]") {
  MetricsRegistry m;
  m.counter("x_total", "Line one\nback\\slash \"quoted\"", {{"source", "a\\b \"c\"\nd"}}).inc();
  CHECK(m.expose() ==
        "# HELP x_total Line one\\nback\\\\slash \"quoted\"\n"
        "# TYPE x_total counter\n"
        "x_total{source=\"a\\\\b \\\"c\\\"\\nd\"} 1\n");
}

TEST_CASE("escaping and value formatting", "[metrics]") {
  struct Case {
    std::string_view in;
    std::string_view label;
    std::string_view help;
  };
  const Case cases[] = {
      {"plain", "plain", "plain"},
      {"", "", ""},
      {"\\", "\\\\", "\\\\"},
      {"\"", "\\\"", "\""},
      {"\n", "\\n", "\\n"},
      {"банк \"Ромашка\"", "банк \\\"Ромашка\\\"", "банк \"Ромашка\""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(escape_label_value(c.in) == c.label);
    CHECK(escape_help(c.in) == c.help);
  }

  struct Value {
    double in;
    std::string_view out;
  };
  const Value values[] = {
      {0, "0"},
      {1, "1"},
      {-2.5, "-2.5"},
      {0.001, "0.001"},
      {1763910000, "1763910000"},
      {1763910000.25, "1763910000.25"},
      {1e-5, "1e-05"},
      {std::numeric_limits<double>::infinity(), "+Inf"},
      {-std::numeric_limits<double>::infinity(), "-Inf"},
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
  };
  for (const auto& v : values) {
    CAPTURE(v.in);
    CHECK(format_value(v.in) == v.out);
  }
}

TEST_CASE("histogram buckets are cumulative, inclusive, with sum and count", "[metrics]") {
  MetricsRegistry m;
  auto& h = m.histogram("otklik_scoring_seconds", "Time to score one text.", {0.25, 1, 4});
  h.observe(0.125);
  h.observe(0.25);  // on the bound: counted in le="0.25"
  h.observe(0.5);
  h.observe(8.0);
  h.observe(std::chrono::seconds(2));
  CHECK(m.expose() ==
        "# HELP otklik_scoring_seconds Time to score one text.\n"
        "# TYPE otklik_scoring_seconds histogram\n"
        "otklik_scoring_seconds_bucket{le=\"0.25\"} 2\n"
        "otklik_scoring_seconds_bucket{le=\"1\"} 3\n"
        "otklik_scoring_seconds_bucket{le=\"4\"} 4\n"
        "otklik_scoring_seconds_bucket{le=\"+Inf\"} 5\n"
        "otklik_scoring_seconds_sum 10.875\n"
        "otklik_scoring_seconds_count 5\n");
}

TEST_CASE("histogram with labels puts le last", "[metrics]") {
  MetricsRegistry m;
  m.histogram("t_seconds", "T.", {1}, {{"lang", "ru"}}).observe(0.5);
  CHECK(m.expose() ==
        "# HELP t_seconds T.\n"
        "# TYPE t_seconds histogram\n"
        "t_seconds_bucket{lang=\"ru\",le=\"1\"} 1\n"
        "t_seconds_bucket{lang=\"ru\",le=\"+Inf\"} 1\n"
        "t_seconds_sum{lang=\"ru\"} 0.5\n"
        "t_seconds_count{lang=\"ru\"} 1\n");
}

TEST_CASE("a NaN observation lands in +Inf only", "[metrics]") {
  Histogram h({1, 2});
  h.observe(std::numeric_limits<double>::quiet_NaN());
  const auto s = h.snapshot();
  CHECK(s.cumulative == std::vector<std::uint64_t>{0, 0, 1});
  CHECK(s.count == 1);
}

TEST_CASE("gauge operations and timestamps", "[metrics]") {
  MetricsRegistry m;
  auto& g = m.gauge("otklik_source_last_success_timestamp_seconds", "Last good poll.", {{"source", "bank"}});
  g.set_time(std::chrono::system_clock::time_point{std::chrono::seconds{1763910000}});
  CHECK(g.value() == 1763910000.0);
  auto& pending = m.gauge("p", "P.");
  pending.inc(3);
  pending.dec();
  CHECK(pending.value() == 2.0);
}

TEST_CASE("collect hooks refresh gauges before exposition", "[metrics]") {
  MetricsRegistry m;
  auto& pending = m.gauge("otklik_alerts_pending", "Pending.");
  int calls = 0;
  m.add_collect_hook([&] { pending.set(++calls * 10); });
  CHECK(m.expose().find("otklik_alerts_pending 10\n") != std::string::npos);
  CHECK(m.expose().find("otklik_alerts_pending 20\n") != std::string::npos);
}

TEST_CASE("misuse is rejected as a bug", "[metrics]") {
  MetricsRegistry m;
  m.counter("a_total", "A.", {{"source", "x"}});
  m.histogram("h_seconds", "H.", {1, 2});
  CHECK_THROWS_AS(m.gauge("a_total", "A."), std::invalid_argument);                       // other type
  CHECK_THROWS_AS(m.counter("a_total", "A."), std::invalid_argument);                     // fewer labels
  CHECK_THROWS_AS(m.counter("a_total", "A.", {{"channel", "x"}}), std::invalid_argument); // other label
  CHECK_THROWS_AS(m.counter("bad-name", "B."), std::invalid_argument);
  CHECK_THROWS_AS(m.counter("9lives", "B."), std::invalid_argument);
  CHECK_THROWS_AS(m.counter("b_total", "B.", {{"__reserved", "x"}}), std::invalid_argument);
  CHECK_THROWS_AS(m.counter("b_total", "B.", {{"s", "x"}, {"s", "y"}}), std::invalid_argument);
  CHECK_THROWS_AS(m.histogram("h_seconds", "H.", {1, 3}), std::invalid_argument);         // other buckets
  CHECK_THROWS_AS(m.histogram("h2_seconds", "H.", {2, 1}), std::invalid_argument);        // not increasing
  CHECK_THROWS_AS(m.histogram("h3_seconds", "H.", {1}, {{"le", "x"}}), std::invalid_argument);
  CHECK_THROWS_AS(m.counter("a_total", "A.", {{"source", "x"}}).inc(-1), std::invalid_argument);
  CHECK_NOTHROW(m.counter("ns:sub_total", "C."));
}

TEST_CASE("counts from many threads are not lost", "[metrics]") {
  MetricsRegistry m;
  auto& c = m.counter("c_total", "C.");
  auto& h = m.histogram("h_seconds", "H.", scoring_buckets());
  constexpr int kThreads = 4;
  constexpr int kEach = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        c.inc();
        h.observe(0.0002);
        // Registration from several threads returns the same series.
        if (i % 1000 == 0) m.counter("d_total", "D.", {{"k", "v"}}).inc();
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(c.value() == kThreads * kEach);
  const auto s = h.snapshot();
  CHECK(s.count == kThreads * kEach);
  CHECK(s.cumulative.back() == s.count);
  CHECK(m.counter("d_total", "D.", {{"k", "v"}}).value() == kThreads * (kEach / 1000));
}

TEST_CASE("render gives the text of expose without running the hooks", "[metrics]") {
  MetricsRegistry m;
  auto& pending = m.gauge("otklik_alerts_pending", "Pending.");
  m.counter("otklik_polls_total", "Polls.", {{"source", "a"}}).inc(3);
  m.histogram("otklik_poll_seconds", "Poll time.", {0.1, 1}, {{"source", "a"}}).observe(0.5);
  int calls = 0;
  m.add_collect_hook([&] { pending.set(++calls); });
  const std::string rendered = m.render();
  CHECK(calls == 0);
  CHECK(rendered.find("otklik_alerts_pending 0\n") != std::string::npos);
  m.collect();
  CHECK(calls == 1);
  CHECK(m.render().find("otklik_alerts_pending 1\n") != std::string::npos);
  const std::string exposed = m.expose();
  CHECK(calls == 2);
  CHECK(exposed.find("otklik_alerts_pending 2\n") != std::string::npos);
  CHECK(m.render() == exposed);
  CHECK(rendered.find("otklik_poll_seconds_bucket{source=\"a\",le=\"1\"} 1\n") != std::string::npos);
}

TEST_CASE("rendering on one thread while another registers and updates series", "[metrics]") {
  // The daemon renders /metrics on a worker while the event loop registers per-source series.
  MetricsRegistry m;
  m.counter("otklik_polls_total", "Polls.", {{"source", "first"}}).inc();
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 5000; ++i) {
      const std::string id = "s" + std::to_string(i);
      m.counter("otklik_polls_total", "Polls.", {{"source", id}}).inc();
      m.histogram("otklik_poll_seconds", "Poll time.", {0.1, 1}, {{"source", id}}).observe(0.2);
      m.gauge("otklik_source_up", "Up.", {{"source", id}}).set(1);
    }
    done = true;
  });
  int renders = 0;
  while (!done || renders == 0) {
    const std::string text = m.render();
    ++renders;
    REQUIRE(text.find("otklik_polls_total{source=\"first\"} 1\n") != std::string::npos);
    REQUIRE(text.back() == '\n');
    // Every line is a comment or a complete sample.
    std::size_t at = 0;
    while (at < text.size()) {
      const std::size_t end = text.find('\n', at);
      const std::string_view line(text.data() + at, end - at);
      const bool comment = line.starts_with("# HELP ") || line.starts_with("# TYPE ");
      const std::size_t space = line.rfind(' ');
      REQUIRE((comment || (space != std::string_view::npos && space + 1 < line.size())));
      at = end + 1;
    }
  }
  writer.join();
  const std::string last = m.render();
  CHECK(last.find("otklik_polls_total{source=\"s4999\"} 1\n") != std::string::npos);
  CHECK(last.find("otklik_poll_seconds_count{source=\"s4999\"} 1\n") != std::string::npos);
}
