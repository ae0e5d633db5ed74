#include "daemon/app/lexicon_learn_command.hpp"

#include "daemon/app/application.hpp"
#include "daemon/config/config_load.hpp"
#include "daemon/sentiment/builtin_lexicons.hpp"
#include "daemon/sentiment/eval.hpp"
#include "daemon/sentiment/lexicon_learn.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "sources/source.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <system_error>
#include <unordered_map>

namespace otklik {
namespace {

using sentiment::Lexicon;

std::optional<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return ss.str();
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec) && !ec;
}

/// The lexicon the scorer uses (built-in, then the config's files), to find the entry behind each
/// "why" term. The same files make_lexicon_scorer loads, which has already validated them.
std::optional<Lexicon> load_lexicon(const SentimentConfig& cfg, const std::filesystem::path& base_dir,
                                    sentiment::StemmerSet& stemmers, std::ostream& err) {
  Lexicon lex = Lexicon::from_image(sentiment::builtin_image());
  for (const std::string& name : cfg.lexicons) {
    std::filesystem::path path(name);
    if (path.is_relative()) path = base_dir / path;
    auto text = read_text(path);
    if (!text) {
      err << "cannot read lexicon " << path.string() << "\n";
      return std::nullopt;
    }
    lex.add(sentiment::parse_lexicon_tsv(*text, nullptr), path.filename().string(), stemmers);
  }
  return lex;
}

/// The labelled items of all files, each text once (a later label replaces an earlier one: the
/// team's latest word on it).
std::optional<std::vector<LabelledText>> read_corrections(const std::vector<std::filesystem::path>& files,
                                                          std::ostream& err) {
  std::vector<LabelledText> items;
  std::unordered_map<std::string, std::size_t> seen;
  for (const auto& file : files) {
    auto text = read_text(file);
    if (!text) {
      err << file.string() << ": cannot read\n";
      return std::nullopt;
    }
    LabelledSet set = parse_labelled(*text);
    for (const LineProblem& p : set.problems) err << file.string() << ":" << p.line << ": " << p.message << "\n";
    for (LabelledText& item : set.items) {
      const auto [it, fresh] = seen.try_emplace(item.text, items.size());
      if (fresh) items.push_back(std::move(item));
      else items[it->second].label = item.label;
    }
  }
  return items;
}

}  // namespace

CLI::App* add_lexicon_learn_command(CLI::App& lexicon, LexiconLearnOptions& o) {
  auto* cmd = lexicon.add_subcommand(
      "learn", "Learn a lexicon overlay from the team's corrections (feedback export or LABEL<TAB>TEXT files).");
  cmd->add_option("files", o.files, "Corrections: LABEL<TAB>TEXT files")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", o.output, "Overlay TSV to write (default: standard output)");
  cmd->add_flag("--report", o.report, "Print each changed term: old and new weight and its evidence");
  cmd->add_option("-c,--config", o.config, "Config file (TOML): learn against its [sentiment] lexicons")
      ->check(CLI::ExistingFile);
  cmd->add_option("--max-terms", o.max_terms, "At most this many terms (default 50)")->check(CLI::PositiveNumber);
  cmd->add_option("--min-support", o.min_support, "Items a term must appear in (default 3)")
      ->check(CLI::PositiveNumber);
  auto* eval = cmd->add_option("--eval", o.eval_files, "Labelled files to score before and after the overlay")
                   ->check(CLI::ExistingFile);
  eval->needs(cmd->get_option("--output"));
  return cmd;
}

int run_lexicon_learn(const LexiconLearnOptions& o, std::ostream& out, std::ostream& err) {
  SentimentConfig cfg;
  std::filesystem::path base_dir = std::filesystem::current_path();
  if (!o.config.empty()) {
    SourceRegistry registry = SourceRegistry::with_builtin_types();
    auto loaded = load_config(o.config, &registry);
    if (!loaded.problems.empty()) err << format_problems(o.config, loaded.problems);
    if (!loaded.config) return kExitConfig;
    cfg = loaded.config->sentiment;
    base_dir = loaded.config->path.parent_path();
  }
  if (!o.output.empty()) {
    std::erase_if(cfg.lexicons, [&](const std::string& name) {
      std::filesystem::path path(name);
      return same_file(path.is_relative() ? base_dir / path : path, o.output);
    });
  }
  auto scorer = make_lexicon_scorer(cfg, base_dir);
  if (!scorer) {
    err << "sentiment.lexicons: " << scorer.error().message() << "\n";
    return kExitConfig;
  }
  sentiment::StemmerSet stemmers;
  auto lexicon = load_lexicon(cfg, base_dir, stemmers, err);
  if (!lexicon) return kExitFailure;
  auto items = read_corrections(o.files, err);
  if (!items) return kExitFailure;
  if (items->empty()) {
    err << "no labelled item in the corrections\n";
    return kExitFailure;
  }

  std::vector<sentiment::CorrectionEvidence> evidence;
  evidence.reserve(items->size());
  for (const LabelledText& item : *items) {
    const Sentiment s = (*scorer)->score(item.text);
    sentiment::CorrectionEvidence& e = evidence.emplace_back();
    e.gold = item.label;
    e.predicted = s.label;
    for (const Contribution& c : s.why) {
      const sentiment::LexEntry* entry = sentiment::entry_for_surface(*lexicon, stemmers, c.term);
      if (entry == nullptr) continue;
      e.terms.push_back({{std::string(entry->term), entry->weight, entry->tags}, c.weight});
    }
  }
  sentiment::LearnOptions opt;
  opt.max_terms = o.max_terms;
  opt.min_support = o.min_support;
  const sentiment::LearnResult result = sentiment::learn_weights(evidence, opt);

  std::string origin;
  for (const auto& f : o.files) origin += (origin.empty() ? "" : " ") + f.filename().string();
  const std::string overlay = sentiment::format_overlay(result, origin);
  if (o.output.empty()) {
    out << overlay;
  } else {
    std::ofstream file(o.output, std::ios::binary | std::ios::trunc);
    file << overlay;
    file.close();
    if (!file) {
      err << o.output.string() << ": cannot write\n";
      return kExitFailure;
    }
  }
  if (o.report) (o.output.empty() ? err : out) << sentiment::format_learn_report(result);
  else err << result.items << " corrected items, " << result.errors << " misclassified; " << result.changes.size()
           << " weights changed\n";

  if (!o.eval_files.empty()) {
    const auto lang = parse_lang(cfg.lang).value_or(Lang::automatic);
    out << "before the overlay:\n";
    if (const int rc = run_eval(o.eval_files, **scorer, lang, false, out, err); rc != kExitOk) return rc;
    SentimentConfig with = cfg;
    with.lexicons.push_back(std::filesystem::absolute(o.output).string());
    auto learned = make_lexicon_scorer(with, base_dir);
    if (!learned) {
      err << o.output.string() << ": " << learned.error().message() << "\n";
      return kExitFailure;
    }
    out << "with the overlay:\n";
    return run_eval(o.eval_files, **learned, lang, false, out, err);
  }
  return kExitOk;
}

}  // namespace otklik
