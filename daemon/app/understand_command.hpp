#pragma once
/// The understanding tools of the command line:
///   otklik topics list [-c FILE]                 the taxonomy: ids, names, cues, hints
///   otklik topics eval [-c FILE] [--mistakes N] FILE.tsv…
///                                               tagging accuracy on TOPICS<TAB>TEXT files
///   otklik brands match -c FILE TEXT…            which brand each text names, and how
///   otklik brands eval -c FILE [--mistakes N] FILE.tsv…
///                                               matching accuracy on BRAND<TAB>TEXT files
/// and what `otklik score` adds for negative texts: the claims and their topics.
/// Without -c the built-in taxonomy is used; with it, the config's [topics] and [[brand]].

#include "daemon/sentiment/scorer.hpp"
#include "daemon/understanding/understanding.hpp"

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace otklik {

struct UnderstandCommandOptions {
  std::filesystem::path config;       ///< "" = built-in taxonomy, no brands
  std::vector<std::string> args;      ///< files (eval) or texts (match)
  int mistakes = 0;                   ///< eval: list this many mistakes
};

struct UnderstandCommands {
  CLI::App* topics_list = nullptr;
  CLI::App* topics_eval = nullptr;
  CLI::App* brands_match = nullptr;
  CLI::App* brands_eval = nullptr;
};

/// Adds `topics` and `brands` to `app`, binding their options to `options`.
UnderstandCommands add_understand_commands(CLI::App& app, UnderstandCommandOptions& options);

/// Runs whichever of them was given; returns the exit code (0 ok, 1 failure, 78 bad config).
int run_understand_command(const UnderstandCommands& commands, const UnderstandCommandOptions& options,
                           std::ostream& out, std::ostream& err);

/// The claims and topics of a scored text (empty unless it is negative), with the built-in
/// taxonomy or the one of `config` ("" = built-in).
understanding::Understanding understand_text(std::string_view text, const Sentiment& s, const Scorer& scorer);
/// The same, for a caller that holds the tokens of `text` (`sentiment::tokenize(text)`) already.
/// `s_is_clause_score`: `s` is `scorer.score_tokenized(text, tokens)` (no rating, the language
/// detected), which a clause spanning the whole text then reuses (ClaimOptions).
understanding::Understanding understand_text(std::string_view text, const sentiment::TokenBuffer& tokens,
                                             const Sentiment& s, const Scorer& scorer, bool s_is_clause_score = false);

/// `json_line` (one JSON object from to_json_line) with "claims" and "topics" added.
std::string with_understanding_json(const std::string& json_line, const understanding::Understanding& u);
/// The same, in place: `json_line` becomes with_understanding_json(json_line, u).
void append_understanding_json(std::string& json_line, const understanding::Understanding& u);
/// The plain lines `otklik score` prints after the sentiment: numbered claims with topics.
std::string understanding_text(const understanding::Understanding& u);

}  // namespace otklik
