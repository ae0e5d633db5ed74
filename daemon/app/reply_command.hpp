#pragma once
/// The reply tools of the command line:
///   otklik reply draft "TEXT" [--author NAME] [--lang auto|ru|en] [-c FILE]
///       the draft answer to TEXT, scored and understood as `otklik score` does
///   otklik reply eval FILE… [--mistakes N] [-c FILE]
///       how well drafts answer the claims of a claims-labelled file (draft_eval.hpp)
/// Without -c the built-in taxonomy and templates are used; with it, the config's [topics],
/// [replies] and [daemon] locale (the draft's language for a review in another language).

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace otklik {

struct ReplyCommandOptions {
  std::filesystem::path config;   ///< "" = built-in taxonomy and templates
  std::vector<std::string> args;  ///< the text (draft) or the files (eval)
  std::string author;             ///< draft: the author's display name
  std::string lang = "auto";      ///< draft: auto, ru or en
  int mistakes = 0;               ///< eval: list this many claims the drafts missed
  /// eval: score every complaint with this star rating (1–5), as a review site's item is scored;
  /// unset: the text alone.
  std::optional<double> rating;
};

struct ReplyCommands {
  CLI::App* draft = nullptr;
  CLI::App* eval = nullptr;
  [[nodiscard]] bool given() const;
};

/// Adds `reply draft` and `reply eval` to `app`, binding their options to `options`.
ReplyCommands add_reply_commands(CLI::App& app, ReplyCommandOptions& options);

/// Runs whichever was given; returns the exit code (0 ok, 1 a draft with a deny-list phrase or an
/// unreadable file, 2 bad usage, 78 bad config).
int run_reply_command(const ReplyCommands& commands, const ReplyCommandOptions& options, std::ostream& out,
                      std::ostream& err);

}  // namespace otklik
