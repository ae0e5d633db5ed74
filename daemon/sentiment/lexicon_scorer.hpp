#pragma once
/// The lexicon-and-rules sentiment scorer (docs/sentiment.md): built-in lexicons compiled into the
/// binary (config/lexicons/*.tsv), plus the extra TSV files a config names, which add to or
/// override them.

#include "daemon/core/error.hpp"
#include "daemon/sentiment/scorer.hpp"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

struct SentimentConfig;

/// Builds the scorer: built-in lexicons, then `cfg.lexicons` in order (relative paths resolved
/// against `base_dir`, the config file's folder). `cfg.lang` ("auto", "ru", "en") is the language
/// used when detection is unsure. Fails (errc::io_error / invalid_input) when an extra file cannot
/// be read or holds malformed lines.
Result<std::unique_ptr<Scorer>> make_lexicon_scorer(const SentimentConfig& cfg,
                                                    const std::filesystem::path& base_dir);

/// The scorer with the built-in lexicons only (what `otklik score` uses without a config).
std::unique_ptr<Scorer> make_builtin_scorer();

/// One finding of `otklik lexicon check`.
struct LexiconFinding {
  int line = 0;          ///< 1-based line in the file
  std::string message;
  bool warning = false;  ///< warnings do not make the file invalid
};

/// The outcome of checking one lexicon file.
struct LexiconCheck {
  std::size_t entries = 0;                ///< well-formed entries read
  std::vector<LexiconFinding> findings;   ///< in line order
  /// True when no finding is an error (warnings allowed).
  [[nodiscard]] bool ok() const;
};

/// Validates a lexicon TSV file: malformed lines, weights outside [-4, 4], unknown tags, duplicate
/// terms, and different terms whose stems collide with weights of different signs. Fails only when
/// the file cannot be read.
Result<LexiconCheck> check_lexicon_file(const std::filesystem::path& path);

/// Same checks on text already in memory (`name` is used in messages only).
LexiconCheck check_lexicon_text(std::string_view tsv);

}  // namespace otklik
