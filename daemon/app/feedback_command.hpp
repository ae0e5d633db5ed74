#pragma once
/// `otklik feedback export`: the team's corrections — texts dismissed as "not negative" and
/// mentions relabelled in the web inbox, the latest per mention — as LABEL<TAB>TEXT lines that
/// `otklik eval` reads: the material for tuning the lexicons on the team's own data.

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

namespace otklik {

/// Writes the feedback of the store named in `config_path` to `out`; `since` ("YYYY-MM-DD",
/// UTC) limits it to later dismissals. Returns an exit code (cli.hpp).
int run_feedback_export(const std::filesystem::path& config_path, const std::optional<std::string>& since,
                        std::ostream& out, std::ostream& err);

/// One LABEL<TAB>TEXT line: tabs, newlines and other control characters in `text` become
/// spaces, runs of spaces collapse, so that each item stays on one line.
std::string feedback_line(std::string_view label, std::string_view text);

}  // namespace otklik
