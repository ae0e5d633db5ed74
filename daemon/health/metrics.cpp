#include "daemon/health/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace otklik::health {

namespace {

enum Type : int { kCounter = 0, kGauge = 1, kHistogram = 2 };

constexpr std::string_view kTypeNames[] = {"counter", "gauge", "histogram"};

bool valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

bool valid_label_name(std::string_view name) {
  if (name.empty() || name.starts_with("__")) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

[[noreturn]] void misuse(std::string_view name, std::string_view what) {
  throw std::invalid_argument("metric " + std::string(name) + ": " + std::string(what));
}

void validate_bounds(const std::vector<double>& bounds) {
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && !(bounds[i] > bounds[i - 1]))) {
      throw std::invalid_argument("histogram buckets must be finite and strictly increasing");
    }
  }
}

/// `{a="x",b="y"}` or "" for no labels; `extra` is appended last (the histogram's le).
void append_labels(std::string& out, const std::vector<std::string>& names,
                   const std::vector<std::string>& values, std::string_view extra_name = {},
                   std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out += '{';
  bool first = true;
  auto one = [&](std::string_view n, std::string_view v) {
    if (!first) out += ',';
    first = false;
    out += n;
    out += "=\"";
    out += escape_label_value(v);
    out += '"';
  };
  for (std::size_t i = 0; i < names.size(); ++i) one(names[i], values[i]);
  if (!extra_name.empty()) one(extra_name, extra_value);
  out += '}';
}

void append_sample(std::string& out, std::string_view name, std::string_view suffix,
                   const std::vector<std::string>& names, const std::vector<std::string>& values,
                   double value, std::string_view extra_name = {}, std::string_view extra_value = {}) {
  out += name;
  out += suffix;
  append_labels(out, names, values, extra_name, extra_value);
  out += ' ';
  out += format_value(value);
  out += '\n';
}

}  // namespace

// ---- metric types -------------------------------------------------------------------------------

void Counter::inc(double delta) {
  if (delta < 0) throw std::invalid_argument("a counter cannot decrease");
  value_.fetch_add(delta, std::memory_order_relaxed);
}

void Gauge::set_time(std::chrono::system_clock::time_point t) noexcept {
  set(std::chrono::duration<double>(t.time_since_epoch()).count());
}

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  validate_bounds(bounds_);
  counts_.assign(bounds_.size() + 1, 0);
}

void Histogram::observe(double value) noexcept {
  // First bucket whose upper bound is >= value (bounds are inclusive); NaN lands in +Inf.
  const auto index = std::isnan(value) ? bounds_.size()
                                        : static_cast<std::size_t>(
                                              std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                                              bounds_.begin());
  const std::lock_guard lock(mutex_);
  ++counts_[index];
  sum_ += value;
  ++count_;
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.bounds = bounds_;
  s.cumulative.reserve(counts_.size());
  const std::lock_guard lock(mutex_);
  std::uint64_t running = 0;
  for (const auto c : counts_) {
    running += c;
    s.cumulative.push_back(running);
  }
  s.sum = sum_;
  s.count = count_;
  return s;
}

std::vector<double> scoring_buckets() {
  return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0};
}

// ---- registry -----------------------------------------------------------------------------------

struct MetricsRegistry::Family {
  int type = kCounter;
  std::string help;
  std::vector<std::string> label_names;  ///< in the order of the first registration
  std::vector<double> bounds;            ///< histograms only
  std::map<std::vector<std::string>, std::unique_ptr<Counter>> counters;
  std::map<std::vector<std::string>, std::unique_ptr<Gauge>> gauges;
  std::map<std::vector<std::string>, std::unique_ptr<Histogram>> histograms;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Family& MetricsRegistry::family(std::string_view name, std::string_view help,
                                                 int type, const Labels& labels,
                                                 std::vector<std::string>& values) {
  if (!valid_metric_name(name)) misuse(name, "invalid metric name");
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto& label = labels[i].first;
    if (!valid_label_name(label)) misuse(name, "invalid label name '" + label + "'");
    if (type == kHistogram && label == "le") misuse(name, "label 'le' is reserved for histograms");
    for (std::size_t j = 0; j < i; ++j) {
      if (labels[j].first == label) misuse(name, "duplicate label '" + label + "'");
    }
  }

  auto it = families_.find(name);
  if (it == families_.end()) {
    auto f = std::make_unique<Family>();
    f->type = type;
    f->help = std::string(help);
    for (const auto& [label, value] : labels) f->label_names.push_back(label);
    it = families_.emplace(std::string(name), std::move(f)).first;
  }
  Family& f = *it->second;
  if (f.type != type) misuse(name, "registered before as a " + std::string(kTypeNames[f.type]));
  if (f.label_names.size() != labels.size()) misuse(name, "label names differ from the first registration");

  values.clear();
  for (const auto& label : f.label_names) {
    const auto match = std::find_if(labels.begin(), labels.end(),
                                    [&](const auto& p) { return p.first == label; });
    if (match == labels.end()) misuse(name, "label names differ from the first registration");
    values.push_back(match->second);
  }
  return f;
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help, const Labels& labels) {
  const std::lock_guard lock(mutex_);
  std::vector<std::string> values;
  Family& f = family(name, help, kCounter, labels, values);
  auto& slot = f.counters[values];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  const std::lock_guard lock(mutex_);
  std::vector<std::string> values;
  Family& f = family(name, help, kGauge, labels, values);
  auto& slot = f.gauges[values];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                      std::vector<double> bounds, const Labels& labels) {
  validate_bounds(bounds);
  const std::lock_guard lock(mutex_);
  std::vector<std::string> values;
  const bool is_new = families_.find(name) == families_.end();
  Family& f = family(name, help, kHistogram, labels, values);
  if (is_new) {
    f.bounds = bounds;
  } else if (f.bounds != bounds) {
    misuse(name, "buckets differ from the first registration");
  }
  auto& slot = f.histograms[values];
  if (!slot) slot = std::make_unique<Histogram>(std::move(bounds));
  return *slot;
}

void MetricsRegistry::add_collect_hook(std::function<void()> hook) {
  const std::lock_guard lock(mutex_);
  hooks_.push_back(std::move(hook));
}

std::string MetricsRegistry::expose() const {
  collect();
  return render();
}

void MetricsRegistry::collect() const {
  std::vector<std::function<void()>> hooks;
  {
    const std::lock_guard lock(mutex_);
    hooks = hooks_;
  }
  for (const auto& hook : hooks) hook();
}

std::string MetricsRegistry::render() const {
  // Under the lock only the list of what to print: families and series are never removed, map
  // nodes do not move, and a family's name, help and label names do not change once created.
  struct Series {
    const std::vector<std::string>* values;
    const Counter* counter = nullptr;
    const Gauge* gauge = nullptr;
    const Histogram* histogram = nullptr;
  };
  struct Listed {
    const std::string* name;
    const Family* family;
    std::size_t first = 0;  ///< its series in `series`, [first, last)
    std::size_t last = 0;
  };
  std::vector<Listed> families;
  std::vector<Series> series;
  {
    const std::lock_guard lock(mutex_);
    families.reserve(families_.size());
    for (const auto& [name, f] : families_) {
      Listed& l = families.emplace_back(Listed{&name, f.get(), series.size(), 0});
      for (const auto& [values, c] : f->counters) series.push_back({&values, c.get()});
      for (const auto& [values, g] : f->gauges) series.push_back({&values, nullptr, g.get()});
      for (const auto& [values, h] : f->histograms) series.push_back({&values, nullptr, nullptr, h.get()});
      l.last = series.size();
    }
  }

  std::string out;
  for (const Listed& l : families) {
    const std::string& name = *l.name;
    const Family& f = *l.family;
    out += "# HELP ";
    out += name;
    out += ' ';
    out += escape_help(f.help);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += kTypeNames[f.type];
    out += '\n';
    for (std::size_t i = l.first; i < l.last; ++i) {
      const Series& x = series[i];
      if (x.counter != nullptr) {
        append_sample(out, name, {}, f.label_names, *x.values, x.counter->value());
      } else if (x.gauge != nullptr) {
        append_sample(out, name, {}, f.label_names, *x.values, x.gauge->value());
      } else {
        const auto snap = x.histogram->snapshot();
        for (std::size_t b = 0; b < snap.cumulative.size(); ++b) {
          const std::string le = b < snap.bounds.size() ? format_value(snap.bounds[b]) : "+Inf";
          append_sample(out, name, "_bucket", f.label_names, *x.values, static_cast<double>(snap.cumulative[b]), "le",
                        le);
        }
        append_sample(out, name, "_sum", f.label_names, *x.values, snap.sum);
        append_sample(out, name, "_count", f.label_names, *x.values, static_cast<double>(snap.count));
      }
    }
  }
  return out;
}

// ---- text helpers -------------------------------------------------------------------------------

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

std::string escape_help(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, r.ptr);
}

}  // namespace otklik::health
