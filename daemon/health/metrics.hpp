#pragma once
/// A small metrics registry exposed in the Prometheus text format 0.0.4.
///
/// The application owns one MetricsRegistry and hands references to the code that counts. Metric
/// objects live as long as the registry and never move, so a reference taken once at start-up can
/// be used from any thread without further lookups:
///
///   auto& polls = metrics.counter("otklik_source_polls_total", "Polls started.", {{"source", "bank"}});
///   polls.inc();
///
/// Every metric type is thread-safe. Exposition is deterministic: families sorted by name, series
/// sorted by their label values (in the family's label order).
/// Format: https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otklik::health {

/// Label name/value pairs of one series, e.g. {{"source", "bank"}, {"reason", "timeout"}}.
using Labels = std::vector<std::pair<std::string, std::string>>;

/// A value that only goes up (events, polls, sends). Starts at 0.
class Counter {
 public:
  /// Adds `delta` (default 1). A negative delta is a bug: throws std::invalid_argument.
  void inc(double delta = 1.0);
  [[nodiscard]] double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// A value that goes up and down (queue length, a timestamp, an age). Starts at 0.
class Gauge {
 public:
  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void inc(double delta = 1.0) noexcept { value_.fetch_add(delta, std::memory_order_relaxed); }
  void dec(double delta = 1.0) noexcept { value_.fetch_sub(delta, std::memory_order_relaxed); }
  /// Sets the gauge to a wall-clock time as Unix seconds (for *_timestamp_seconds gauges).
  void set_time(std::chrono::system_clock::time_point t) noexcept;
  [[nodiscard]] double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// Observations counted into fixed buckets (upper bounds, inclusive), plus their sum and count.
class Histogram {
 public:
  /// `bounds` must be strictly increasing and finite; +Inf is implicit. Throws std::invalid_argument.
  explicit Histogram(std::vector<double> bounds);

  void observe(double value) noexcept;
  /// Observes a duration in seconds.
  template <class Rep, class Period>
  void observe(std::chrono::duration<Rep, Period> d) noexcept {
    observe(std::chrono::duration<double>(d).count());
  }

  struct Snapshot {
    std::vector<double> bounds;             ///< without +Inf
    std::vector<std::uint64_t> cumulative;  ///< bounds.size() + 1 entries, the last is +Inf
    double sum = 0.0;
    std::uint64_t count = 0;
  };
  /// A consistent copy (count equals the +Inf bucket).
  [[nodiscard]] Snapshot snapshot() const;
  [[nodiscard]] const std::vector<double>& bounds() const noexcept { return bounds_; }

 private:
  std::vector<double> bounds_;
  mutable std::mutex mutex_;
  std::vector<std::uint64_t> counts_;  ///< per bucket, not cumulative; last = above every bound
  double sum_ = 0.0;
  std::uint64_t count_ = 0;
};

/// Observes the time from construction to destruction into a histogram (steady clock).
class ScopedTimer {
 public:
  explicit ScopedTimer(Histogram& h) : histogram_(h), start_(std::chrono::steady_clock::now()) {}
  ~ScopedTimer() { histogram_.observe(std::chrono::steady_clock::now() - start_); }
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

 private:
  Histogram& histogram_;
  std::chrono::steady_clock::time_point start_;
};

/// Buckets for the scoring time of one text, in seconds: 50 µs … 1 s.
std::vector<double> scoring_buckets();

/// The registry: families of counters, gauges and histograms, and their exposition.
///
/// A family is created by the first call with its name; later calls with the same name must use
/// the same type, the same label names (in any order) and, for histograms, the same buckets,
/// otherwise std::invalid_argument is thrown (a bug at the call site). Names must match
/// [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* and not start with "__"
/// ("le" is reserved for histograms). The HELP text of the first registration is kept.
class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  /// The counter of this family and label set, created at 0 on first use. The reference stays
  /// valid for the registry's lifetime.
  Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});
  /// The gauge of this family and label set, created at 0 on first use.
  Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});
  /// The histogram of this family and label set with these bucket bounds, created empty.
  Histogram& histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                       const Labels& labels = {});

  /// Registers a function run at the start of every expose(), outside the registry's lock, to
  /// refresh gauges whose values live elsewhere (outbox counts from the store, ages). It runs on
  /// the thread that calls expose() (the health server's, i.e. the I/O thread).
  void add_collect_hook(std::function<void()> hook);

  /// The whole registry in the Prometheus text format 0.0.4: collect(), then render().
  [[nodiscard]] std::string expose() const;

  /// Runs the collect hooks (on the calling thread: the one their state belongs to).
  void collect() const;
  /// The text of expose() without running the hooks. Safe on any thread while others register
  /// and update series: the registry's lock is held only to list the series (pointers into
  /// nodes that are never removed), not while the text is formatted — with 10,000 sources the
  /// text is megabytes, so the daemon renders it on a worker thread and the event loop, which
  /// takes the lock to register a series, is never held by it.
  [[nodiscard]] std::string render() const;

  /// The Content-Type of expose()'s text.
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Family;
  Family& family(std::string_view name, std::string_view help, int type, const Labels& labels,
                 std::vector<std::string>& values);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;
  std::vector<std::function<void()>> hooks_;
};

/// Escapes a label value: backslash, double quote and line feed (\\ \" \n).
std::string escape_label_value(std::string_view value);
/// Escapes HELP text: backslash and line feed.
std::string escape_help(std::string_view text);
/// Formats a sample value: shortest round-trip form; "+Inf", "-Inf", "NaN".
std::string format_value(double value);

}  // namespace otklik::health
