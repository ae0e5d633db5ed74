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
    const auto content = read_file(path);
    if (!content) {
      err << path.string() << ": cannot read\n";
      rc = 1;
      continue;
    }
    const LabelledSet set = parse_labelled(*content);
    for (const LineProblem& p : set.problems) {
      err << path.string() << ':' << p.line << ": " << p.message << '\n';
    }
    if (set.items.empty()) {
      err << path.string() << ": no scorable items\n";
      rc = 1;
      continue;
    }
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
