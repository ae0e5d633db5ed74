#include "daemon/sentiment/eval.hpp"

#include "daemon/sentiment/sentiment_json.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>

namespace otklik {
namespace {

constexpr std::array<Label, 3> kLabels = {Label::negative, Label::neutral, Label::positive};

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// `mixed` is a valid label that is left out; nullopt is returned for it with `mixed` set.
std::optional<Label> read_label(std::string_view s, bool& mixed) {
  const std::string l = lower_ascii(trim(s));
  mixed = l == "mixed";
  if (l == "negative") return Label::negative;
  if (l == "neutral") return Label::neutral;
  if (l == "positive") return Label::positive;
  return std::nullopt;
}

double ratio(std::size_t num, std::size_t den) {
  return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den);
}

std::string fixed(double v, int decimals = 3) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.insert(0, width - s.size(), ' ');
  return s;
}

std::string class_json(const ClassMetrics& c) {
  return "{\"precision\":" + json_number(c.precision) + ",\"recall\":" + json_number(c.recall) +
         ",\"f1\":" + json_number(c.f1) + ",\"support\":" + std::to_string(c.support) +
         ",\"predicted\":" + std::to_string(c.predicted) + "}";
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(ss).str();
}

}  // namespace

LabelledSet parse_labelled(std::string_view content) {
  LabelledSet set;
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  std::size_t line_no = 0;
  while (!content.empty()) {
    ++line_no;
    const std::size_t nl = content.find('\n');
    std::string_view line = content.substr(0, nl);
    content.remove_prefix(nl == std::string_view::npos ? content.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || line.front() == '#') continue;
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) {
      set.problems.push_back({line_no, "no tab between label and text"});
      continue;
    }
    bool mixed = false;
    const auto label = read_label(line.substr(0, tab), mixed);
    const std::string_view text = line.substr(tab + 1);
    if (!label && !mixed) {
      set.problems.push_back(
          {line_no, "unknown label " + json_quote(trim(line.substr(0, tab)).substr(0, 40)) +
                        " (expected negative, neutral, positive or mixed)"});
      continue;
    }
    if (trim(text).empty()) {
      set.problems.push_back({line_no, "empty text"});
      continue;
    }
    if (mixed) {
      ++set.mixed;
      continue;
    }
    set.items.push_back({*label, std::string(text), line_no});
  }
  return set;
}

EvalMetrics compute_metrics(const ConfusionMatrix& confusion) {
  EvalMetrics m;
  m.confusion = confusion;
  std::size_t correct = 0;
  for (std::size_t g = 0; g < 3; ++g) {
    for (std::size_t p = 0; p < 3; ++p) m.total += confusion[g][p];
    correct += confusion[g][g];
  }
  m.accuracy = ratio(correct, m.total);
  for (std::size_t c = 0; c < 3; ++c) {
    ClassMetrics& cm = m.classes[c];
    for (std::size_t k = 0; k < 3; ++k) {
      cm.support += confusion[c][k];
      cm.predicted += confusion[k][c];
    }
    cm.precision = ratio(confusion[c][c], cm.predicted);
    cm.recall = ratio(confusion[c][c], cm.support);
    const double sum = cm.precision + cm.recall;
    cm.f1 = sum == 0 ? 0.0 : 2 * cm.precision * cm.recall / sum;
  }
  m.f1pn = (m.of(Label::positive).f1 + m.of(Label::negative).f1) / 2;
  return m;
}

ConfusionMatrix confusion_of(const std::vector<LabelledText>& items, const Scorer& scorer, Lang lang) {
  ConfusionMatrix cm{};
  for (const LabelledText& item : items) {
    const Sentiment s = scorer.score(item.text, std::nullopt, lang);
    ++cm[static_cast<std::size_t>(item.label)][static_cast<std::size_t>(s.label)];
  }
  return cm;
}

std::string format_text_report(const FileReport& r) {
  const EvalMetrics& m = r.metrics;
  const ClassMetrics& neg = m.of(Label::negative);
  std::string out;
  out += "== " + r.name + "\n";
  out += "items " + std::to_string(m.total) + " (mixed left out " + std::to_string(r.mixed) +
         ", malformed " + std::to_string(r.malformed) + ")";
  if (r.seconds > 0) {
    out += ", " + fixed(static_cast<double>(m.total) / r.seconds, 0) + " texts/s";
  }
  out += "\n";
  out += "accuracy " + fixed(m.accuracy) + "  F1pn " + fixed(m.f1pn) + "  negative recall " +
         fixed(neg.recall) + "  negative precision " + fixed(neg.precision) + "\n";
  out += "class       precision  recall      F1  support  predicted\n";
  for (Label l : kLabels) {
    const ClassMetrics& c = m.of(l);
    std::string name(to_string(l));
    name.resize(10, ' ');
    out += name + pad(fixed(c.precision), 11) + pad(fixed(c.recall), 8) + pad(fixed(c.f1), 8) +
           pad(std::to_string(c.support), 9) + pad(std::to_string(c.predicted), 11) + "\n";
  }
  out += "confusion (rows gold, columns predicted)\n";
  out += "         negative  neutral positive\n";
  for (Label g : kLabels) {
    std::string name(to_string(g));
    name.resize(8, ' ');
    out += name;
    for (Label p : kLabels) {
      out += pad(std::to_string(m.confusion[static_cast<int>(g)][static_cast<int>(p)]), 9);
    }
    out += "\n";
  }
  return out;
}

std::string format_json_report(const FileReport& r) {
  const EvalMetrics& m = r.metrics;
  const ClassMetrics& neg = m.of(Label::negative);
  std::string out = "{\"file\":" + json_quote(r.name);
  out += ",\"items\":" + std::to_string(m.total);
  out += ",\"mixed\":" + std::to_string(r.mixed);
  out += ",\"malformed\":" + std::to_string(r.malformed);
  out += ",\"seconds\":" + json_number(r.seconds, 6);
  out += ",\"accuracy\":" + json_number(m.accuracy);
  out += ",\"f1pn\":" + json_number(m.f1pn);
  out += ",\"negative_recall\":" + json_number(neg.recall);
  out += ",\"negative_precision\":" + json_number(neg.precision);
  out += ",\"classes\":{";
  for (std::size_t i = 0; i < kLabels.size(); ++i) {
    if (i > 0) out += ',';
    out += "\"";
    out += to_string(kLabels[i]);
    out += "\":" + class_json(m.classes[i]);
  }
  out += "},\"confusion\":{\"labels\":[\"negative\",\"neutral\",\"positive\"],\"matrix\":[";
  for (std::size_t g = 0; g < 3; ++g) {
    out += g == 0 ? "[" : ",[";
    for (std::size_t p = 0; p < 3; ++p) {
      if (p > 0) out += ',';
      out += std::to_string(m.confusion[g][p]);
    }
    out += ']';
  }
  out += "]}}";
  return out;
}

namespace {

/// Reads and parses one file, telling its malformed lines on `err`; nullopt (told on `err`) when it
/// cannot be read or holds no scorable item.
std::optional<LabelledSet> load_set(const std::filesystem::path& path, std::ostream& err) {
  const auto content = read_file(path);
  if (!content) {
    err << path.string() << ": cannot read\n";
    return std::nullopt;
  }
  LabelledSet set = parse_labelled(*content);
  for (const LineProblem& p : set.problems) err << path.string() << ':' << p.line << ": " << p.message << '\n';
  if (set.items.empty()) {
    err << path.string() << ": no scorable items\n";
    return std::nullopt;
  }
  return set;
}

std::string threshold_text(const std::optional<double>& t) { return t ? fixed(*t, 2) : std::string("scorer"); }

}  // namespace

std::vector<ScoredItem> score_items(const std::vector<LabelledText>& items, const Scorer& scorer, Lang lang) {
  std::vector<ScoredItem> out;
  out.reserve(items.size());
  for (const LabelledText& item : items) {
    const Sentiment s = scorer.score(item.text, std::nullopt, lang);
    out.push_back({item.label, s.label, s.score});
  }
  return out;
}

std::vector<double> curve_thresholds() {
  std::vector<double> out;
  // -i / 20.0 is the double nearest to -0.05·i, the literal a config would hold (not -0.05·i with
  // its rounding error); the first is 0, not -0.
  for (int i = 0; i <= 12; ++i) out.push_back(static_cast<double>(-i) / 20.0);
  return out;
}

std::vector<CurvePoint> negative_curve(const std::vector<ScoredItem>& items, const std::vector<double>& thresholds) {
  std::vector<std::optional<double>> all{std::nullopt};
  all.insert(all.end(), thresholds.begin(), thresholds.end());
  std::vector<CurvePoint> out;
  out.reserve(all.size());
  for (const auto& t : all) {
    CurvePoint p;
    p.threshold = t;
    for (const ScoredItem& item : items) {
      const bool complaint = item.gold == Label::negative;
      const bool alert = t ? item.score <= *t : item.predicted == Label::negative;
      if (complaint) ++p.complaints;
      if (alert && complaint) ++p.caught;
      if (alert && !complaint) ++p.false_alarms;
    }
    const std::size_t alerts = p.caught + p.false_alarms;
    p.precision = ratio(p.caught, alerts);
    p.recall = ratio(p.caught, p.complaints);
    const double sum = p.precision + p.recall;
    p.f1 = sum == 0 ? 0.0 : 2 * p.precision * p.recall / sum;
    p.false_alarms_per_100 = 100.0 * ratio(p.false_alarms, alerts);
    p.caught_percent = 100.0 * p.recall;
    out.push_back(p);
  }
  return out;
}

std::string format_text_curve(const CurveReport& r) {
  std::string out = "== " + r.name + " (negative curve)\n";
  out += "items " + std::to_string(r.items) + " (mixed left out " + std::to_string(r.mixed) + ", malformed " +
         std::to_string(r.malformed) + ")\n";
  out += "threshold  precision  recall      F1  false/100  caught%  caught  false  complaints\n";
  for (const CurvePoint& p : r.points) {
    std::string name = threshold_text(p.threshold);
    name.resize(9, ' ');
    out += name + pad(fixed(p.precision), 11) + pad(fixed(p.recall), 8) + pad(fixed(p.f1), 8) +
           pad(fixed(p.false_alarms_per_100, 1), 11) + pad(fixed(p.caught_percent, 1), 9) +
           pad(std::to_string(p.caught), 8) + pad(std::to_string(p.false_alarms), 7) +
           pad(std::to_string(p.complaints), 12) + "\n";
  }
  return out;
}

std::string format_json_curve(const CurveReport& r) {
  std::string out = "{\"file\":" + json_quote(r.name);
  out += ",\"items\":" + std::to_string(r.items);
  out += ",\"mixed\":" + std::to_string(r.mixed);
  out += ",\"malformed\":" + std::to_string(r.malformed);
  out += ",\"points\":[";
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const CurvePoint& p = r.points[i];
    if (i > 0) out += ',';
    out += "{\"threshold\":" + (p.threshold ? json_number(*p.threshold) : std::string("null"));
    out += ",\"precision\":" + json_number(p.precision);
    out += ",\"recall\":" + json_number(p.recall);
    out += ",\"f1\":" + json_number(p.f1);
    out += ",\"false_alarms_per_100\":" + json_number(p.false_alarms_per_100);
    out += ",\"caught_percent\":" + json_number(p.caught_percent);
    out += ",\"caught\":" + std::to_string(p.caught);
    out += ",\"false_alarms\":" + std::to_string(p.false_alarms);
    out += ",\"complaints\":" + std::to_string(p.complaints) + "}";
  }
  out += "]}";
  return out;
}

int run_eval_curve(const std::vector<std::filesystem::path>& files, const Scorer& scorer, Lang lang, bool json,
                   std::ostream& out, std::ostream& err) {
  if (files.empty()) {
    err << "eval: no files given\n";
    return 1;
  }
  int rc = 0;
  const std::vector<double> thresholds = curve_thresholds();
  std::vector<CurveReport> reports;
  CurveReport total;
  total.name = "all";
  std::vector<ScoredItem> all_items;
  for (const auto& path : files) {
    const auto set = load_set(path, err);
    if (!set) {
      rc = 1;
      continue;
    }
    std::vector<ScoredItem> scored = score_items(set->items, scorer, lang);
    CurveReport r;
    r.name = path.string();
    r.items = scored.size();
    r.mixed = set->mixed;
    r.malformed = set->problems.size();
    r.points = negative_curve(scored, thresholds);
    total.items += r.items;
    total.mixed += r.mixed;
    total.malformed += r.malformed;
    all_items.insert(all_items.end(), scored.begin(), scored.end());
    reports.push_back(std::move(r));
  }
  total.points = negative_curve(all_items, thresholds);
  const bool with_total = reports.size() > 1;
  if (json) {
    out << "{\"files\":[";
    for (std::size_t i = 0; i < reports.size(); ++i) out << (i > 0 ? "," : "") << format_json_curve(reports[i]);
    out << "],\"total\":" << (with_total ? format_json_curve(total) : std::string("null")) << "}\n";
  } else {
    for (std::size_t i = 0; i < reports.size(); ++i) out << (i > 0 ? "\n" : "") << format_text_curve(reports[i]);
    if (with_total) out << '\n' << format_text_curve(total);
  }
  return rc;
}

int run_eval(const std::vector<std::filesystem::path>& files, const Scorer& scorer, Lang lang, bool json,
             std::ostream& out, std::ostream& err) {
  if (files.empty()) {
    err << "eval: no files given\n";
    return 1;
  }
  int rc = 0;
  std::vector<FileReport> reports;
  FileReport total;
  total.name = "all";
  ConfusionMatrix total_cm{};
  for (const auto& path : files) {
    const auto loaded = load_set(path, err);
    if (!loaded) {
      rc = 1;
      continue;
    }
    const LabelledSet& set = *loaded;
    FileReport r;
    r.name = path.string();
    r.mixed = set.mixed;
    r.malformed = set.problems.size();
    const auto start = std::chrono::steady_clock::now();
    const ConfusionMatrix cm = confusion_of(set.items, scorer, lang);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.metrics = compute_metrics(cm);
    for (std::size_t g = 0; g < 3; ++g) {
      for (std::size_t p = 0; p < 3; ++p) total_cm[g][p] += cm[g][p];
    }
    total.mixed += r.mixed;
    total.malformed += r.malformed;
    total.seconds += r.seconds;
    reports.push_back(std::move(r));
  }
  total.metrics = compute_metrics(total_cm);
  const bool with_total = reports.size() > 1;
  if (json) {
    out << "{\"files\":[";
    for (std::size_t i = 0; i < reports.size(); ++i) out << (i > 0 ? "," : "") << format_json_report(reports[i]);
    out << "],\"total\":" << (with_total ? format_json_report(total) : std::string("null")) << "}\n";
  } else {
    for (std::size_t i = 0; i < reports.size(); ++i) out << (i > 0 ? "\n" : "") << format_text_report(reports[i]);
    if (with_total) out << '\n' << format_text_report(total);
  }
  return rc;
}

}  // namespace otklik
