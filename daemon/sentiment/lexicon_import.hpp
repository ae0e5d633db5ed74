#pragma once
/// `otklik lexicon import --format vader|afinn|tsv|csv IN OUT`: converts a lexicon in another
/// format, for users who hold a licence to it, into the project's lexicon TSV
/// (`term<TAB>weight<TAB>tags<TAB>note`, '#' comments, weight in [-4, 4]; config/lexicons/README.md).
///
/// Formats read:
///  - vader: `token<TAB>mean<TAB>sd<TAB>[ratings]` (vader_lexicon.txt); mean in [-4, 4], kept;
///           tagged `vader,exact`.
///  - afinn: `word<TAB>integer` in [-5, 5]; scaled by 4/5 into [-4, 4]; tagged `exact`.
///  Both lexicons list word forms and were rated as such, so their entries match exact forms:
///  stemming would merge forms of opposite polarity (config/lexicons/README.md).
///  - tsv:   `term<TAB>weight[<TAB>tags[<TAB>note]]`, weight in [-4, 4].
///  - csv:   the same columns, comma-separated, RFC 4180 quoting ("a, b" and "" for a quote).
/// In tsv and csv a first row whose weight is not a number and whose term is "term" is a header.

#include "daemon/core/error.hpp"

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

enum class LexiconFormat { vader, afinn, tsv, csv };

/// "vader", "afinn", "tsv" or "csv".
[[nodiscard]] std::optional<LexiconFormat> parse_lexicon_format(std::string_view s) noexcept;
[[nodiscard]] std::string_view to_string(LexiconFormat f) noexcept;

/// A line of the input that was skipped, and why. `line` is 1-based (the first line of a record).
struct ImportProblem {
  std::size_t line = 0;
  std::string message;
};

/// The converted lexicon text and what was left out.
struct ImportResult {
  std::string output;   ///< the lexicon in the project's TSV format, header comment included
  std::size_t entries = 0;
  std::vector<ImportProblem> problems;
};

/// Converts `input` in `format` to the project's format. Pure. Entries keep the input order;
/// a term seen twice keeps its first entry (the second is a problem; terms are compared as the
/// engine matches them: NFKC, case folding, ё→е); terms are trimmed, and a
/// term that is empty, starts with '#' or holds a tab or line break is a problem. Weights are
/// rounded to 3 decimals. `origin` names the input in the header comment.
[[nodiscard]] ImportResult import_lexicon(std::string_view input, LexiconFormat format,
                                          std::string_view origin);

/// Reads `in`, converts it and writes `out` (replacing it). Fails with io_error when a file
/// cannot be read or written, invalid_input when no entry could be converted.
[[nodiscard]] Result<ImportResult> import_lexicon_file(const std::filesystem::path& in,
                                                       const std::filesystem::path& out,
                                                       LexiconFormat format);

/// The CLI command: converts, reports problems on `err` as `IN:line: message` and a summary
/// ("imported N entries to OUT, skipped M") on `out`. Returns 0, or 1 on failure.
int run_lexicon_import(LexiconFormat format, const std::filesystem::path& in,
                       const std::filesystem::path& out_path, std::ostream& out, std::ostream& err);

}  // namespace otklik
