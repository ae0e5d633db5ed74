#pragma once
/// `otklik user` — the web inbox's users, in the store the config names (SQLite or PostgreSQL):
///   user add NAME --role viewer|agent|admin -c FILE   a new user; the password from stdin
///   user passwd NAME -c FILE                          a new password; ends the user's sessions
///   user remove NAME -c FILE                          the user and their sessions
///   user list -c FILE                                 name, role, created, updated
/// Passwords are stored as argon2id hashes (daemon/web/password_hash.hpp).

#include <filesystem>
#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace otklik {

struct UserCommandOptions {
  std::string name;
  std::string role;  ///< add: "viewer", "agent" or "admin"
};

/// The `user` subcommands, for run_user_command() to tell which was given.
struct UserCommands {
  CLI::App* add = nullptr;
  CLI::App* passwd = nullptr;
  CLI::App* remove = nullptr;
  CLI::App* list = nullptr;
  /// Whether one of them was parsed.
  [[nodiscard]] bool given() const;
};

/// Adds `user` and its subcommands to `app`, binding them to `config_path` and `options`.
UserCommands add_user_commands(CLI::App& app, std::filesystem::path& config_path, UserCommandOptions& options);

/// Runs the parsed subcommand. Exit codes: 0 done; 1 refused (name taken, unknown user, a
/// password refused or not confirmed) or the store failed; 2 bad usage (name); 78 bad config.
int run_user_command(const UserCommands& commands, const std::filesystem::path& config_path,
                     const UserCommandOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace otklik
