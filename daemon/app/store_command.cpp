#include "daemon/app/store_command.hpp"

#include "daemon/app/application.hpp"
#include "daemon/core/secret.hpp"
#include "daemon/store/pg/connection.hpp"
#include "daemon/store/store_copy.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <ostream>

namespace otklik {
namespace {

/// A batch of 1,000 mentions or the count of a big table takes seconds; a stuck one still ends.
constexpr std::chrono::minutes kCopyStatementTimeout{10};

}  // namespace

CLI::App* add_store_command(CLI::App& app, StoreCommandOptions& options) {
  auto* store = app.add_subcommand("store", "Store maintenance.");
  store->require_subcommand(1);
  auto* copy = store->add_subcommand(
      "copy", "Copy a SQLite store with all its history into an empty PostgreSQL database (docs/scaling.md).");
  copy->add_option("--from", options.from, "sqlite:PATH, the state file of the stopped daemon")->required();
  copy->add_option("--to", options.to,
                   "postgresql://… URL or key=value string, or env:NAME / file:PATH holding one")
      ->required();
  return copy;
}

int run_store_copy(const StoreCommandOptions& options, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (!options.from.starts_with(kSqlite) || options.from.size() == kSqlite.size()) {
    err << "store copy: --from must be sqlite:PATH\n";
    return kExitUsage;
  }
  const std::string path = options.from.substr(kSqlite.size());
  auto url = resolve_secret(options.to, std::filesystem::current_path());
  if (!url) {
    err << "store copy: --to: " << url.error().message() << "\n";
    return kExitUsage;
  }

  auto source = store::open_copy_source(path);
  if (!source) {
    err << "store copy: " << source.error().message() << "\n";
    return kExitFailure;
  }
  store::pg::ConnectOptions connect;
  connect.conninfo = url->value();
  connect.statement_timeout = kCopyStatementTimeout;
  auto target = store::pg::Connection::connect(connect);
  if (!target) {
    err << "store copy: " << target.error().message() << "\n";
    return kExitFailure;
  }

  err << "copying sqlite " << path << " into " << target->describe() << "\n";
  const auto started = std::chrono::steady_clock::now();
  store::CopyOptions copy;
  copy.progress = [&err](std::string_view table, std::int64_t rows, bool done) {
    err << table << ": " << rows << " rows" << (done ? "" : "…") << "\n" << std::flush;
  };
  auto report = store::copy_store(*source, *target, copy);
  if (!report) {
    err << "store copy: " << report.error().message() << "\n";
    return kExitFailure;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::int64_t total = 0;
  out << "copied sqlite " << path << " into " << target->describe() << " (schema version "
      << report->schema_version;
  if (report->target_patches > 0) out << ", " << report->target_patches << " schema patches applied to it first";
  out << "); rows per table, equal in both:\n";
  for (const auto& t : report->tables) {
    out << "  " << std::left << std::setw(16) << t.table << std::right << std::setw(12) << t.rows << "\n";
    total += t.rows;
  }
  out << "  " << std::left << std::setw(16) << "total" << std::right << std::setw(12) << total << " rows in "
      << std::fixed << std::setprecision(1) << seconds << " s\n";
  return kExitOk;
}

}  // namespace otklik
