#pragma once
/// `otklik store copy --from sqlite:PATH --to URL`: moves a single-box installation's SQLite store
/// into an empty PostgreSQL database with all its history (daemon/store/store_copy.hpp; the steps
/// in docs/scaling.md). --to is a postgresql:// URL or key=value string, or "env:NAME" /
/// "file:PATH" holding one, as `[store] url` in the config; its password is never printed.

#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace otklik {

struct StoreCommandOptions {
  std::string from;  ///< "sqlite:PATH"
  std::string to;    ///< a connection string, or an env:/file: reference to one
};

/// Adds `store` with its `copy` subcommand to `app`, binding the options; returns `copy`.
CLI::App* add_store_command(CLI::App& app, StoreCommandOptions& options);

/// Runs `store copy`: progress per table to `err`, the summary to `out`. Exit codes: 0 copied,
/// 1 refused or failed (nothing written), 2 bad usage (--from not sqlite:PATH, --to unresolvable).
int run_store_copy(const StoreCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace otklik
