#include "daemon/understanding/topic_eval.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace otklik::understanding {

double TopicScore::precision() const noexcept { return tp + fp == 0 ? 0.0 : static_cast<double>(tp) / (tp + fp); }
double TopicScore::recall() const noexcept { return tp + fn == 0 ? 0.0 : static_cast<double>(tp) / (tp + fn); }
double TopicScore::f1() const noexcept {
  const double p = precision(), r = recall();
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

Result<std::vector<TopicRow>> parse_topic_rows(std::string_view tsv, std::string_view file_name,
                                               const std::vector<std::string>& known) {
  std::vector<TopicRow> rows;
  std::vector<std::string> problems;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos <= tsv.size()) {
    const std::size_t nl = std::min(tsv.find('\n', pos), tsv.size());
    std::string_view line = tsv.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') {
      if (nl == tsv.size()) break;
      continue;
    }
    auto problem = [&](const std::string& what) {
      problems.push_back(fmt::format("{}:{}: {}", file_name, line_no, what));
    };
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) {
      problem("expected TOPICS<TAB>TEXT");
    } else {
      TopicRow row;
      row.line = line_no;
      row.text = std::string(line.substr(tab + 1));
      const std::string_view labels = line.substr(0, tab);
      bool ok = true;
      if (row.text.empty()) {
        problem("the text is empty");
        ok = false;
      }
      if (labels != "-") {
        std::size_t p = 0;
        while (p <= labels.size()) {
          const std::size_t comma = std::min(labels.find(',', p), labels.size());
          const std::string id(labels.substr(p, comma - p));
          if (id.empty() || std::find(known.begin(), known.end(), id) == known.end()) {
            problem("unknown topic \"" + id + "\"");
            ok = false;
          } else {
            row.topics.push_back(id);
          }
          p = comma + 1;
        }
      }
      std::sort(row.topics.begin(), row.topics.end());
      row.topics.erase(std::unique(row.topics.begin(), row.topics.end()), row.topics.end());
      if (ok) rows.push_back(std::move(row));
    }
    if (nl == tsv.size()) break;
  }
  if (!problems.empty()) {
    std::string message;
    for (const auto& p : problems) message += (message.empty() ? "" : "\n") + p;
    return Failure(errc::parse_failed, message);
  }
  return rows;
}

TopicReport evaluate_topics(const TopicTagger& tagger, const Taxonomy& taxonomy, const std::vector<TopicRow>& rows) {
  TopicReport r;
  r.micro.id = "micro";
  for (const auto& t : taxonomy.topics) r.per_topic.push_back({t.id});
  auto score_of = [&](const std::string& id) -> TopicScore* {
    for (auto& s : r.per_topic)
      if (s.id == id) return &s;
    return nullptr;
  };
  for (const TopicRow& row : rows) {
    std::vector<std::string> found = tagger.tag(row.text);
    std::sort(found.begin(), found.end());
    ++r.rows;
    if (found == row.topics) ++r.exact;
    else r.mistakes.push_back({row.line, row.text, row.topics, found});
    for (const auto& id : found) {
      TopicScore* s = score_of(id);
      const bool expected = std::binary_search(row.topics.begin(), row.topics.end(), id);
      if (s) (expected ? s->tp : s->fp) += 1;
      (expected ? r.micro.tp : r.micro.fp) += 1;
    }
    for (const auto& id : row.topics) {
      if (std::binary_search(found.begin(), found.end(), id)) continue;
      if (TopicScore* s = score_of(id)) s->fn += 1;
      r.micro.fn += 1;
    }
  }
  double sum = 0;
  int n = 0;
  for (const auto& s : r.per_topic) {
    if (s.tp + s.fp + s.fn == 0) continue;
    sum += s.f1();
    ++n;
  }
  r.macro_f1 = n == 0 ? 0.0 : sum / n;
  return r;
}

std::string format_topic_report(const TopicReport& r, std::size_t max_mistakes) {
  std::string out = "| topic | support | precision | recall | F1 |\n|---|---:|---:|---:|---:|\n";
  for (const auto& s : r.per_topic)
    out += fmt::format("| {} | {} | {:.2f} | {:.2f} | {:.2f} |\n", s.id, s.support(), s.precision(), s.recall(), s.f1());
  out += fmt::format("| **micro** | {} | {:.2f} | {:.2f} | {:.2f} |\n", r.micro.support(), r.micro.precision(),
                     r.micro.recall(), r.micro.f1());
  out += fmt::format("\nrows: {} · exact topic sets: {} ({:.0f} %) · macro F1: {:.2f}\n", r.rows, r.exact,
                     r.rows == 0 ? 0.0 : 100.0 * r.exact / r.rows, r.macro_f1);
  if (max_mistakes > 0 && !r.mistakes.empty()) {
    out += "\nmistakes (line: expected → found: text):\n";
    auto join = [](const std::vector<std::string>& v) {
      std::string j;
      for (const auto& x : v) j += (j.empty() ? "" : ",") + x;
      return j.empty() ? std::string("-") : j;
    };
    for (std::size_t i = 0; i < r.mistakes.size() && i < max_mistakes; ++i) {
      const auto& m = r.mistakes[i];
      out += fmt::format("  {}: {} → {}: {}\n", m.line, join(m.expected), join(m.found), m.text);
    }
  }
  return out;
}

}  // namespace otklik::understanding
