// Tuning aid: per-file accuracy, per-class P/R/F1, F1pn and throughput of the built-in scorer on
// LABEL<TAB>TEXT files ("mixed" rows are skipped). Not a test; prints to stdout.
//   sentiment_corpus_eval [--errors N] [--passes N] FILE.tsv...   (--errors -N: all kinds, not only negatives)
//   sentiment_corpus_eval --learn MIN_DOCS [--stop FILE] FILE.tsv...   (candidate weights, TSV)
//   sentiment_corpus_eval --check LEXICON.tsv
#include "daemon/sentiment/builtin_lexicons.hpp"
#include "daemon/sentiment/engine.hpp"
#include "daemon/sentiment/lexicon.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "daemon/sentiment/stemmer.hpp"
#include "daemon/sentiment/text.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

struct Row {
  otklik::Label label;
  std::string text;
};

/// --learn MIN [--stop FILE]: per-stem weights from labelled files, in lexicon TSV format.
/// Per file, a stem's valence is 4·((pos rate − base pos) − (neg rate − base neg)) with rates
/// shrunk toward the file's base rates (10 pseudo-documents); files are averaged by count. Stems
/// the hand-written lexicons already have, and stop-listed ones, are left out.
void learn(const std::vector<std::string>& files, int min_count, const std::string& stop_file) {
  using namespace otklik::sentiment;
  StemmerSet stemmers;
  TokenBuffer buf;
  std::set<std::string> stop;
  if (!stop_file.empty()) {
    std::ifstream in(stop_file);
    std::string w;
    while (in >> w) {
      if (w[0] == '#') { std::getline(in, w); continue; }
      TokenBuffer b;
      tokenize(w, b);
      if (!b.tokens.empty()) stop.insert(stemmers.key(b.norm(b.tokens[0]), b.tokens[0].script));
    }
  }
  for (const auto& b : builtin_lexicons()) {  // modifiers (negators, boosters…) are not learned
    for (const LexLine& l : parse_lexicon_tsv(b.text, nullptr)) {
      if ((l.tags & (kTagNegator | kTagBooster | kTagContrast | kTagConcessive | kTagNegMod)) == 0) continue;
      TokenBuffer b2;
      tokenize(l.term, b2);
      for (const Token& t : b2.tokens)
        if (t.kind == TokenKind::word) stop.insert(stemmers.key(b2.norm(t), t.script));
    }
  }
  // Keys the built-in lexicons cover (by scoring each candidate form alone) are skipped below.
  const auto scorer = otklik::make_builtin_scorer();
  struct Acc {
    double weighted = 0;
    int count = 0;
    std::map<std::string, int> forms;
  };
  std::map<std::string, Acc> acc;
  for (const std::string& file : files) {
    std::map<std::string, std::array<int, 3>> docs;
    std::array<int, 3> totals{};
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      const auto tab = line.find('\t');
      if (tab == std::string::npos) continue;
      const auto label = otklik::parse_label(line.substr(0, tab));
      if (!label) continue;
      const int li = *label == otklik::Label::negative ? 0 : *label == otklik::Label::neutral ? 1 : 2;
      ++totals[li];
      tokenize(std::string_view(line).substr(tab + 1), buf);
      std::set<std::string> seen;
      for (const Token& t : buf.tokens) {
        if (t.kind != TokenKind::word && t.kind != TokenKind::hashtag) continue;
        if (t.script == Script::none || t.script == Script::mixed) continue;
        const std::string form(t.alt_len > 0 ? buf.alt(t) : buf.norm(t));
        if (form.size() < 3) continue;
        std::string key = stemmers.key(form, t.script);
        if (!seen.insert(key).second) continue;
        ++docs[key][li];
        ++acc[key].forms[form];
      }
    }
    const double n = totals[0] + totals[1] + totals[2];
    const double base_neg = totals[0] / n;
    const double base_pos = totals[2] / n;
    constexpr double kPrior = 10;
    for (const auto& [key, d] : docs) {
      const int c = d[0] + d[1] + d[2];
      const double neg = (d[0] + kPrior * base_neg) / (c + kPrior);
      const double pos = (d[2] + kPrior * base_pos) / (c + kPrior);
      const double v = 4 * ((pos - base_pos) - (neg - base_neg));
      acc[key].weighted += v * c;
      acc[key].count += c;
    }
  }
  for (const auto& [key, a] : acc) {
    if (a.count < min_count || stop.count(key) != 0) continue;
    const double v = std::clamp(a.weighted / a.count, -2.5, 2.5);
    if (std::abs(v) < 0.4) continue;
    const auto best = std::max_element(a.forms.begin(), a.forms.end(),
                                       [](const auto& x, const auto& y) { return x.second < y.second; });
    if (!scorer->score(best->first).why.empty()) continue;  // the hand-written lexicons know it
    std::printf("%s\t%.2f\tlearned\tn=%d\n", best->first.c_str(), v, a.count);
  }
}

int index_of(otklik::Label l) { return l == otklik::Label::negative ? 0 : l == otklik::Label::neutral ? 1 : 2; }

}  // namespace

int main(int argc, char** argv) {
  int show_errors = 0;
  int passes = 1;
  int learn_min = 0;
  std::string stop_file;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--errors") == 0 && i + 1 < argc) show_errors = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--passes") == 0 && i + 1 < argc) passes = std::max(1, std::atoi(argv[++i]));
    else if (std::strcmp(argv[i], "--learn") == 0 && i + 1 < argc) learn_min = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--stop") == 0 && i + 1 < argc) stop_file = argv[++i];
    else files.emplace_back(argv[i]);
  }
  if (files.size() == 2 && files[0] == "--check") {
    const auto check = otklik::check_lexicon_file(files[1]);
    if (!check) return 1;
    for (const auto& f : check->findings) std::printf("%d\t%s\t%s\n", f.line, f.warning ? "warning" : "error", f.message.c_str());
    return check->ok() ? 0 : 2;
  }
  if (learn_min > 0) {
    learn(files, learn_min, stop_file);
    return 0;
  }
  // OTKLIK_TUNE="name=value,…" overrides rule numbers (see EngineParams).
  otklik::sentiment::EngineParams params;
  if (const char* tune = std::getenv("OTKLIK_TUNE")) {
    std::string spec = tune;
    std::size_t pos = 0;
    while (pos < spec.size()) {
      auto comma = spec.find(',', pos);
      if (comma == std::string::npos) comma = spec.size();
      const std::string item = spec.substr(pos, comma - pos);
      pos = comma + 1;
      const auto eq = item.find('=');
      if (eq == std::string::npos) continue;
      const std::string name = item.substr(0, eq);
      const double v = std::atof(item.c_str() + eq + 1);
      if (name == "pos") params.positive_threshold = v;
      else if (name == "neg") params.negative_threshold = v;
      else if (name == "alpha") params.alpha = v;
      else if (name == "negpos") params.negated_positive = v;
      else if (name == "negneg") params.negated_negative = v;
      else if (name == "before") params.contrast_before = v;
      else if (name == "after") params.contrast_after = v;
      else if (name == "qpos") params.question_positive = v;
      else if (name == "qneg") params.question_negative = v;
      else if (name == "warning") params.warning = v;
      else if (name == "bias") params.bias = v;
      else if (name == "negscale") params.negative_scale = v;
      else if (name == "negper") params.negative_per_sentence = v;
      else if (name == "negmax") params.negative_scale_max = v;
      else if (name == "verdict") params.verdict_per_sentence = v;
      else if (name == "last") params.last_sentence = v;
      else std::fprintf(stderr, "unknown parameter %s\n", name.c_str());
    }
  }
  const auto load0 = std::chrono::steady_clock::now();
  const auto scorer = otklik::sentiment::make_builtin_scorer_with(params);
  std::fprintf(stderr, "lexicon load: %.1f ms\n",
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - load0).count());
  for (const std::string& file : files) {
    std::ifstream in(file);
    std::vector<Row> rows;
    std::string line;
    while (std::getline(in, line)) {
      const auto tab = line.find('\t');
      if (tab == std::string::npos) continue;
      const auto label = otklik::parse_label(line.substr(0, tab));
      if (!label) continue;
      rows.push_back({*label, line.substr(tab + 1)});
    }
    std::array<std::array<int, 3>, 3> m{};  // [truth][predicted]
    int errors = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (const Row& r : rows) {
      const otklik::Sentiment s = scorer->score(r.text);
      ++m[index_of(r.label)][index_of(s.label)];
      if (show_errors != 0 && s.label != r.label && errors < std::abs(show_errors) &&
          (show_errors < 0 || r.label == otklik::Label::negative || s.label == otklik::Label::negative)) {
        ++errors;
        std::printf("  [%s→%s %.2f] %s\n     why:", std::string(otklik::to_string(r.label)).c_str(),
                    std::string(otklik::to_string(s.label)).c_str(), s.score, r.text.substr(0, 300).c_str());
        for (const auto& c : s.why) std::printf(" %s(%.2f)", c.term.c_str(), c.weight);
        std::printf("\n");
      }
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (int pass = 1; pass < passes; ++pass) {  // speed: the fastest pass counts
      const auto p0 = std::chrono::steady_clock::now();
      std::size_t sink = 0;
      for (const Row& r : rows) sink += scorer->score(r.text).why.size();
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - p0).count();
      if (sink != static_cast<std::size_t>(-1)) secs = std::min(secs, s);
    }
    int correct = 0;
    int total = 0;
    std::array<double, 3> f1{};
    std::array<double, 3> prec{};
    std::array<double, 3> rec{};
    for (int c = 0; c < 3; ++c) {
      int tp = m[c][c], fp = 0, fn = 0;
      for (int o = 0; o < 3; ++o) {
        if (o == c) continue;
        fp += m[o][c];
        fn += m[c][o];
      }
      correct += tp;
      for (int o = 0; o < 3; ++o) total += m[c][o];
      prec[c] = tp + fp > 0 ? double(tp) / (tp + fp) : 0;
      rec[c] = tp + fn > 0 ? double(tp) / (tp + fn) : 0;
      f1[c] = prec[c] + rec[c] > 0 ? 2 * prec[c] * rec[c] / (prec[c] + rec[c]) : 0;
    }
    std::printf("%-45s n=%5d acc=%.3f F1pn=%.3f | neg P=%.3f R=%.3f | pos P=%.3f R=%.3f | neu P=%.3f R=%.3f | %.0f texts/s\n",
                file.substr(file.find_last_of('/') + 1).c_str(), total, double(correct) / total, (f1[0] + f1[2]) / 2,
                prec[0], rec[0], prec[2], rec[2], prec[1], rec[1], rows.size() / secs);
  }
}
