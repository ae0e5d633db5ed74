#pragma once
/// The `otklik` command line: run, check-config, poll, score, eval, lexicon, sources, digest,
/// feedback, store copy, user, version.

#include <iosfwd>

namespace otklik {

/// Parses `argv` and runs the command. Returns the process exit code (0, 1, 2 usage, 78 config).
int run_cli(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace otklik
