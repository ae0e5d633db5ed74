#pragma once
/// `otklik digest -c FILE [--week 2026-W47] --preview [--text] | --send [--force]`:
///   --preview  prints the HTML digest of the week to stdout (--text: the plain-text part);
///   --send     sends that week's digest to every [digest] recipient list now, through the same
///              exactly-once ledger as the daemon: a digest already sent is not sent again;
///   --force    with --send: sends it again anyway (under a new Message-ID).
/// Without --week: the week the schedule last asked for (the one before the last send moment).
/// --list N picks one recipient list (1-based, in config order) for the preview or the send.

#include <spdlog/logger.h>

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace otklik {

struct DigestCommandOptions {
  std::string week;       ///< "2026-W47"; "" = the week last due
  bool preview = false;
  bool text = false;      ///< with preview: the plain-text part
  bool send = false;
  bool force = false;     ///< with send: even if already sent
  int list = 0;           ///< 1-based recipient list; 0 = all (send) / the first (preview)
};

/// Adds the `digest` subcommand to `app`, binding its flags to `config_path` and `options`.
CLI::App* add_digest_command(CLI::App& app, std::filesystem::path& config_path, DigestCommandOptions& options);

/// Runs it. Exit codes: 0 done (or already sent), 1 a send failed or is left for a retry,
/// 2 bad usage, 78 bad config.
int run_digest_command(const std::filesystem::path& config_path, const DigestCommandOptions& options, std::ostream& out,
                       std::ostream& err, std::shared_ptr<spdlog::logger> log);

}  // namespace otklik
