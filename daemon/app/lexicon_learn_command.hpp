#pragma once
/// `otklik lexicon learn FILE… [-o overlay.tsv] [--report] [-c config] [--eval FILE…]`: turns the
/// team's corrections (`otklik feedback export` output, or any LABEL<TAB>TEXT file) into a lexicon
/// overlay that `[sentiment] lexicons` loads (daemon/sentiment/lexicon_learn.hpp for the method,
/// docs/sentiment.md "Learning from corrections").

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <vector>

namespace CLI {
class App;
}

namespace otklik {

struct LexiconLearnOptions {
  std::vector<std::filesystem::path> files;       ///< corrections, LABEL<TAB>TEXT
  std::filesystem::path config;                   ///< optional: the deployment's lexicons and language
  std::filesystem::path output;                   ///< the overlay; empty: standard output
  bool report = false;                            ///< print what changed and why
  std::size_t max_terms = 50;
  std::size_t min_support = 3;
  std::vector<std::filesystem::path> eval_files;  ///< labelled files scored before and after (needs output)
};

/// Registers `learn` under the `lexicon` subcommand.
CLI::App* add_lexicon_learn_command(CLI::App& lexicon, LexiconLearnOptions& options);

/// Runs it. The overlay goes to `options.output` (or `out`); the report to `out` when the overlay
/// goes to a file, else to `err`. A lexicon of the config that is the output file itself is not
/// loaded: each run learns from the base lexicons, so the overlay replaces the previous one
/// instead of compounding it. Returns an exit code (cli.hpp).
int run_lexicon_learn(const LexiconLearnOptions& options, std::ostream& out, std::ostream& err);

}  // namespace otklik
