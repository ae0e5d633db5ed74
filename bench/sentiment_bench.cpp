/// Otklik's sentiment speed and memory on one core, for the comparison with the npm peers
/// (bench/sentiment/compare.sh, docs/sentiment-measurements.md).
///
///   sentiment_bench speed [--passes N] [--json] FILE...   lexicon load time; texts/s per file
///                                                         (scoring loop, fastest of N passes)
///   sentiment_bench rss [--texts N] [--json] FILE...      RSS before scoring and after 1/4, 1/2,
///                                                         3/4 and all of N texts (default 1M),
///                                                         cycling over the files' texts
///   sentiment_bench eval [--json] FILE...                 `otklik eval` with the built-in
///                                                         lexicons, for whole-process timing
///   sentiment_bench dump FILE...                          every item's full result (label,
///                                                         score, confidence, language, sentences,
///                                                         "why"), one line each, exact to the bit:
///                                                         diff two builds' output to show that an
///                                                         optimisation changed no result
///   sentiment_bench hostile [--sizes MB,…] [--kinds K,…] [--json]
///                                                         generated hostile texts (words,
///                                                         invalid UTF-8, emoji, NUL bytes) at
///                                                         1, 10 and 20 MB (or --sizes): seconds
///                                                         and MB/s, to show time grows linearly
///
/// Files are labelled corpus files (LABEL<TAB>TEXT); the texts scored are the items `eval`
/// scores (mixed and malformed lines left out), the same the peers score.

#include "daemon/sentiment/eval.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "daemon/sentiment/sentiment_json.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMinPassTexts = 5000;  // the same in bench/sentiment/peers.js
using otklik::LabelledText;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Args {
  std::string mode;
  bool json = false;
  int passes = 3;
  long texts = 1'000'000;
  std::vector<std::string> files;
  std::vector<std::size_t> sizes_mb{1, 10, 20};                            ///< hostile: text sizes
  std::vector<std::string> kinds{"words", "invalid_utf8", "emoji", "nul"};  ///< hostile: kinds of text
};

/// "1,2,4" → {"1", "2", "4"}.
std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

int usage() {
  std::cerr << "usage: sentiment_bench speed [--passes N] [--json] FILE...\n"
               "       sentiment_bench rss [--texts N] [--json] FILE...\n"
               "       sentiment_bench eval [--json] FILE...\n"
               "       sentiment_bench dump FILE...\n"
               "       sentiment_bench hostile [--sizes MB,MB…] [--kinds words,invalid_utf8,emoji,nul] [--json]\n";
  return 2;
}

bool parse_args(int argc, char** argv, Args& a) {
  if (argc < 2) return false;
  a.mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string s = argv[i];
    if (s == "--json") {
      a.json = true;
    } else if (s == "--passes" && i + 1 < argc) {
      a.passes = std::max(1, std::atoi(argv[++i]));
    } else if (s == "--texts" && i + 1 < argc) {
      a.texts = std::max(1L, std::atol(argv[++i]));
    } else if (s == "--sizes" && i + 1 < argc) {
      a.sizes_mb.clear();
      for (const std::string& mb : split_commas(argv[++i])) a.sizes_mb.push_back(std::max(1, std::atoi(mb.c_str())));
    } else if (s == "--kinds" && i + 1 < argc) {
      a.kinds = split_commas(argv[++i]);
      for (const std::string& k : a.kinds)
        if (k != "words" && k != "invalid_utf8" && k != "emoji" && k != "nul") return false;
    } else if (s.starts_with("--")) {
      return false;
    } else {
      a.files.push_back(s);
    }
  }
  if (a.mode == "hostile") return a.files.empty();
  return !a.files.empty() && (a.mode == "speed" || a.mode == "rss" || a.mode == "eval" || a.mode == "dump");
}

std::vector<LabelledText> read_items(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return otklik::parse_labelled(ss.str()).items;
}

/// VmRSS and VmHWM (peak) of this process in KiB, from /proc/self/status.
std::pair<long, long> rss_kib() {
  std::ifstream in("/proc/self/status");
  long rss = 0, hwm = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmRSS:")) rss = std::atol(line.c_str() + 6);
    if (line.starts_with("VmHWM:")) hwm = std::atol(line.c_str() + 6);
  }
  return {rss, hwm};
}

/// Something the optimiser cannot drop.
double score_all(const otklik::Scorer& scorer, const std::vector<LabelledText>& items) {
  double sum = 0;
  for (const auto& item : items) sum += scorer.score(item.text).score;
  return sum;
}

int run_speed(const Args& a) {
  // Lexicon load: the first build of the scorer in this process, and the fastest of 10 more.
  auto t0 = Clock::now();
  auto scorer = otklik::make_builtin_scorer();
  const double first_load = seconds_since(t0);
  double best_load = first_load;
  for (int i = 0; i < 10; ++i) {
    t0 = Clock::now();
    auto again = otklik::make_builtin_scorer();
    best_load = std::min(best_load, seconds_since(t0));
  }
  double sink = 0;
  std::string json = "{\"load_seconds_first\":" + otklik::json_number(first_load, 6) +
                     ",\"load_seconds_best\":" + otklik::json_number(best_load, 6) + ",\"files\":[";
  std::string text = "lexicon load: first " + std::to_string(first_load * 1000) + " ms, best of 10 " +
                     std::to_string(best_load * 1000) + " ms\n";
  for (std::size_t f = 0; f < a.files.size(); ++f) {
    const auto items = read_items(a.files[f]);
    // As in peers.js: with several passes, a pass covers at least kMinPassTexts texts.
    const std::size_t rounds =
        a.passes > 1 ? std::max<std::size_t>(1, (kMinPassTexts + items.size() - 1) / std::max<std::size_t>(1, items.size()))
                     : 1;
    const auto per_pass = static_cast<double>(items.size() * rounds);
    double best = 1e300, first = 0;
    for (int p = 0; p < a.passes; ++p) {
      t0 = Clock::now();
      for (std::size_t r = 0; r < rounds; ++r) sink += score_all(*scorer, items);
      const double s = seconds_since(t0);
      if (p == 0) first = s;
      best = std::min(best, s);
    }
    const double tps = best > 0 ? per_pass / best : 0;
    const double tps_first = first > 0 ? per_pass / first : 0;
    json += std::string(f > 0 ? ",{\"file\":" : "{\"file\":") + otklik::json_quote(a.files[f]) +
            ",\"items\":" + std::to_string(items.size()) + ",\"passes\":" + std::to_string(a.passes) +
            ",\"texts_per_pass\":" + std::to_string(items.size() * rounds) +
            ",\"seconds\":" + otklik::json_number(best, 6) + ",\"texts_per_sec\":" + otklik::json_number(tps, 1) +
            ",\"texts_per_sec_first_pass\":" + otklik::json_number(tps_first, 1) + "}";
    text += a.files[f] + ": " + std::to_string(items.size()) + " texts, " + std::to_string(static_cast<long>(tps)) +
            " texts/s (fastest of " + std::to_string(a.passes) + " passes; first " +
            std::to_string(static_cast<long>(tps_first)) + ")\n";
  }
  json += "],\"checksum\":" + otklik::json_number(sink, 3) + "}\n";
  std::cout << (a.json ? json : text);
  return 0;
}

int run_rss(const Args& a) {
  std::vector<LabelledText> items;
  for (const auto& f : a.files) {
    auto more = read_items(f);
    items.insert(items.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  if (items.empty()) throw std::runtime_error("no texts in the files");
  const auto scorer = otklik::make_builtin_scorer();
  std::vector<long> marks;
  for (int q = 0; q <= 4; ++q) marks.push_back(a.texts * q / 4);
  std::string json = "{\"texts\":" + std::to_string(a.texts) + ",\"distinct_texts\":" +
                     std::to_string(items.size()) + ",\"points\":[";
  std::string text;
  double sink = 0;
  const auto t0 = Clock::now();
  long done = 0;
  for (std::size_t m = 0; m < marks.size(); ++m) {
    for (; done < marks[m]; ++done) sink += scorer->score(items[static_cast<std::size_t>(done) % items.size()].text).score;
    const auto [rss, hwm] = rss_kib();
    json += std::string(m > 0 ? ",{\"scored\":" : "{\"scored\":") + std::to_string(done) + ",\"rss_kib\":" +
            std::to_string(rss) + ",\"peak_kib\":" + std::to_string(hwm) + "}";
    text += "after " + std::to_string(done) + " texts: RSS " + std::to_string(rss) + " KiB, peak " +
            std::to_string(hwm) + " KiB\n";
  }
  const double secs = seconds_since(t0);
  json += "],\"seconds\":" + otklik::json_number(secs, 3) + ",\"checksum\":" + otklik::json_number(sink, 3) + "}\n";
  text += std::to_string(a.texts) + " texts in " + std::to_string(secs) + " s (" +
          std::to_string(static_cast<long>(static_cast<double>(a.texts) / secs)) + " texts/s)\n";
  std::cout << (a.json ? json : text);
  return 0;
}

/// `bytes` bytes of one kind of hostile text, deterministic.
std::string hostile_text(const std::string& kind, std::size_t bytes) {
  std::string out;
  out.reserve(bytes + 16);
  std::uint32_t x = 12345;  // xorshift32: the same bytes every run
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  };
  static const char* const kWords[] = {"ужасно ", "не ", "очень ", "хорошо ", "but ", "terrible ", "нахамили. ",
                                       "спасибо ", "!!! ", "sooo ", "ОТЛИЧНО ", "без проблем, "};
  while (out.size() < bytes) {
    if (kind == "words") {
      out += kWords[next() % std::size(kWords)];
    } else if (kind == "invalid_utf8") {
      out += static_cast<char>(next() & 0xFF);
    } else if (kind == "emoji") {
      out += "\xF0\x9F\x98\xA1";  // U+1F621, four bytes each
    } else {  // nul
      out += (next() % 4 == 0) ? std::string("плохо") : std::string(1, '\0');
    }
  }
  return out;
}

/// One result as a line; doubles in %a (hex) so that any change shows.
std::string dump_line(const otklik::Sentiment& s) {
  char num[64];
  std::string out(otklik::to_string(s.label));
  const auto add = [&](double v) {
    std::snprintf(num, sizeof num, " %a", v);
    out += num;
  };
  add(s.score);
  add(s.confidence);
  out += ' ';
  out += otklik::to_string(s.lang);
  out += " |";
  for (const auto& st : s.sentences) {
    out += ' ' + std::to_string(st.begin) + '-' + std::to_string(st.end);
    add(st.score);
    out += ' ';
    out += otklik::to_string(st.label);
  }
  out += " |";
  for (const auto& c : s.why) {
    out += ' ' + otklik::json_quote(c.term);
    add(c.weight);
  }
  return out;
}

/// Every item of the files scored four ways (no rating / 1.5 stars / 4.5 stars / forced
/// language), then the hostile texts at 100 kB.
int run_dump(const Args& a) {
  const auto scorer = otklik::make_builtin_scorer();
  for (const auto& f : a.files) {
    const auto items = read_items(f);
    for (const auto& item : items) {
      std::cout << item.line << ' ' << dump_line(scorer->score(item.text)) << '\n';
      std::cout << item.line << "r " << dump_line(scorer->score(item.text, 1.5)) << '\n';
      std::cout << item.line << "R " << dump_line(scorer->score(item.text, 4.5, otklik::Lang::en)) << '\n';
      std::cout << item.line << "L " << dump_line(scorer->score(item.text, std::nullopt, otklik::Lang::ru)) << '\n';
    }
  }
  for (const std::string kind : {"words", "invalid_utf8", "emoji", "nul"})
    std::cout << kind << ' ' << dump_line(scorer->score(hostile_text(kind, 100'000))) << '\n';
  return 0;
}

int run_hostile(const Args& a) {
  std::string json = "{\"cases\":[";
  std::string text;
  bool first = true;
  for (const std::string& kind : a.kinds) {
    for (const std::size_t mb : a.sizes_mb) {
      const std::string t = hostile_text(kind, mb * 1'000'000);
      // A fresh scorer per size, fastest of three runs: the first run pages in the work buffers
      // for this size (page faults are costly on virtual machines and would blur the comparison),
      // the next ones measure the scoring itself. No size reuses buffers another size grew.
      double secs = 0;
      otklik::Sentiment s;
      const auto scorer = otklik::make_builtin_scorer();
      for (int run = 0; run < 3; ++run) {
        const auto t0 = Clock::now();
        s = scorer->score(t);
        const double took = seconds_since(t0);
        if (run == 0 || took < secs) secs = took;
      }
      json += std::string(first ? "{\"kind\":\"" : ",{\"kind\":\"") + kind + "\",\"bytes\":" + std::to_string(t.size()) +
              ",\"seconds\":" + otklik::json_number(secs, 4) + ",\"label\":\"" +
              std::string(otklik::to_string(s.label)) + "\"}";
      first = false;
      text += kind + ", " + std::to_string(mb) + " MB: " + std::to_string(secs) + " s (" +
              std::to_string(static_cast<double>(t.size()) / 1e6 / secs) + " MB/s), " +
              std::string(otklik::to_string(s.label)) + "\n";
    }
  }
  std::cout << (a.json ? json + "]}\n" : text);
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  Args a;
  if (!parse_args(argc, argv, a)) return usage();
  if (a.mode == "speed") return run_speed(a);
  if (a.mode == "rss") return run_rss(a);
  if (a.mode == "hostile") return run_hostile(a);
  if (a.mode == "dump") return run_dump(a);
  const auto scorer = otklik::make_builtin_scorer();
  const std::vector<std::filesystem::path> files(a.files.begin(), a.files.end());
  return otklik::run_eval(files, *scorer, otklik::Lang::automatic, a.json, std::cout, std::cerr);
} catch (const std::exception& e) {
  std::cerr << "sentiment_bench: " << e.what() << '\n';
  return 1;
}
