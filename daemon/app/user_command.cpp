#include "daemon/app/user_command.hpp"

#include "daemon/app/application.hpp"
#include "daemon/app/password_input.hpp"
#include "daemon/app/store_open.hpp"
#include "daemon/channels/webhook_payload.hpp"
#include "daemon/config/config_load.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/web/password_hash.hpp"
#include "sources/source.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <optional>
#include <ostream>

namespace otklik {

namespace {

/// A new password from `in` (password_input.hpp's rules), hashed; none after saying why on `err`.
std::optional<std::string> new_password_hash(std::istream& in, std::ostream& err, std::string_view command) {
  auto password = read_new_password(in, err, stdin_is_terminal(in));
  if (!password) {
    err << password.error().detail << "\n";
    return std::nullopt;
  }
  auto hash = web::hash_password(*password);
  if (!hash) {
    err << command << ": " << hash.error().message() << "\n";
    return std::nullopt;
  }
  return std::move(*hash);
}

int add(Store& store, const UserCommandOptions& o, TimePoint now, std::istream& in, std::ostream& out, std::ostream& err) {
  const auto role = parse_web_role(o.role);  // checked by run_user_command()
  auto existing = store.user(o.name);
  if (!existing) {
    err << "user add: " << existing.error().message() << "\n";
    return kExitFailure;
  }
  if (*existing) {
    err << "user " << o.name << " exists (otklik user passwd " << o.name << " sets a new password)\n";
    return kExitFailure;
  }
  auto hash = new_password_hash(in, err, "user add");
  if (!hash) return kExitFailure;
  auto added = store.add_user(WebUser{o.name, role.value_or(WebRole::viewer), *hash, now, now});
  if (!added) {
    err << "user add: " << added.error().message() << "\n";
    return kExitFailure;
  }
  out << "user " << o.name << " added as " << o.role << "\n";
  return kExitOk;
}

int passwd(Store& store, const UserCommandOptions& o, TimePoint now, std::istream& in, std::ostream& out,
           std::ostream& err) {
  auto existing = store.user(o.name);
  if (!existing) {
    err << "user passwd: " << existing.error().message() << "\n";
    return kExitFailure;
  }
  if (!*existing) {
    err << "no user " << o.name << "\n";
    return kExitFailure;
  }
  auto hash = new_password_hash(in, err, "user passwd");
  if (!hash) return kExitFailure;
  auto set = store.set_password(o.name, *hash, now);
  if (!set) {
    err << "user passwd: " << set.error().message() << "\n";
    return kExitFailure;
  }
  out << "password of " << o.name << " changed; their sessions ended\n";
  return kExitOk;
}

int remove(Store& store, const UserCommandOptions& o, std::ostream& out, std::ostream& err) {
  auto removed = store.remove_user(o.name);
  if (!removed) {
    if (removed.error().code == make_error_code(errc::not_found)) {
      err << "no user " << o.name << "\n";
    } else {
      err << "user remove: " << removed.error().message() << "\n";
    }
    return kExitFailure;
  }
  out << "user " << o.name << " removed\n";
  return kExitOk;
}

int list(Store& store, std::ostream& out, std::ostream& err) {
  auto users = store.users();
  if (!users) {
    err << "user list: " << users.error().message() << "\n";
    return kExitFailure;
  }
  std::size_t width = 4;
  for (const auto& u : *users) width = std::max(width, u.name.size());
  const auto row = [&](std::string_view name, std::string_view role, std::string_view created, std::string_view updated) {
    out << name << std::string(width - name.size() + 2, ' ') << role << std::string(8 - role.size(), ' ') << created
        << "  " << updated << "\n";
  };
  row("NAME", "ROLE", "CREATED             ", "UPDATED");
  for (const auto& u : *users) row(u.name, to_string(u.role), channels::format_utc_iso(u.created), channels::format_utc_iso(u.updated));
  err << users->size() << " user(s)\n";
  return kExitOk;
}

}  // namespace

bool UserCommands::given() const {
  for (const CLI::App* c : {add, passwd, remove, list}) {
    if (c != nullptr && c->parsed()) return true;
  }
  return false;
}

UserCommands add_user_commands(CLI::App& app, std::filesystem::path& config_path, UserCommandOptions& options) {
  auto* user = app.add_subcommand("user", "The web inbox's users (passwords are read from standard input).");
  user->require_subcommand(1);
  UserCommands c;
  c.add = user->add_subcommand("add", "Add a user; the password is read from standard input.");
  c.add->add_option("name", options.name, "User name (letters, digits, . - _ @; up to 64)")->required();
  c.add->add_option("--role", options.role, "viewer, agent or admin")->required();
  c.passwd = user->add_subcommand("passwd", "Set a user's password (read from standard input); ends their sessions.");
  c.passwd->add_option("name", options.name, "User name")->required();
  c.remove = user->add_subcommand("remove", "Remove a user and their sessions.");
  c.remove->add_option("name", options.name, "User name")->required();
  c.list = user->add_subcommand("list", "List the users: name, role, created, updated (UTC).");
  for (CLI::App* sub : {c.add, c.passwd, c.remove, c.list}) {
    sub->add_option("-c,--config", config_path, "Config file (TOML)")->required();
  }
  return c;
}

int run_user_command(const UserCommands& commands, const std::filesystem::path& config_path,
                     const UserCommandOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  const bool named = !commands.list->parsed();
  if (named && !valid_user_name(options.name)) {
    err << "user name \"" << options.name << "\": 1 to 64 letters, digits, '.', '-', '_' or '@'\n";
    return kExitUsage;
  }
  if (commands.add->parsed() && !parse_web_role(options.role)) {
    err << "--role must be viewer, agent or admin\n";
    return kExitUsage;
  }
  SourceRegistry registry = SourceRegistry::with_builtin_types();
  auto loaded = load_config(config_path, &registry);
  if (!loaded.problems.empty()) err << format_problems(config_path, loaded.problems);
  if (!loaded.config) return kExitConfig;

  SystemClockSource clock;
  auto store = open_configured_store(*loaded.config, clock);
  if (!store) {
    err << "store " << store_description(*loaded.config) << ": " << store.error().message() << "\n";
    return kExitFailure;
  }
  Store& s = *store->store;
  if (commands.add->parsed()) return add(s, options, clock.now(), in, out, err);
  if (commands.passwd->parsed()) return passwd(s, options, clock.now(), in, out, err);
  if (commands.remove->parsed()) return remove(s, options, out, err);
  return list(s, out, err);
}

}  // namespace otklik
