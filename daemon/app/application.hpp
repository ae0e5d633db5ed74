#pragma once
/// The composition root of `otklik run`: starts and stops subsystems in a fixed order with one
/// log line each — config, store, metrics and health endpoint, runtime (sources, channels),
/// signals, systemd notification and watchdog — and reloads on SIGHUP.

#include <spdlog/logger.h>

#include <filesystem>
#include <iosfwd>
#include <memory>

namespace otklik {

/// Exit codes of the daemon and the CLI.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitConfig = 78;  ///< EX_CONFIG: systemd does not restart on it

/// The daemon, startable and stoppable from another thread (tests drive it this way; `otklik run`
/// uses run_daemon()). All work happens on its own single-threaded io_context.
class Daemon {
 public:
  Daemon(std::filesystem::path config_path, std::shared_ptr<spdlog::logger> log, std::ostream& console);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  /// Loads the config, opens and migrates the store, starts the health endpoint and every source
  /// and channel. Returns kExitOk, or the exit code to end with (kExitConfig for a bad config).
  int start();
  /// Runs the event loop until shutdown completes. Returns the exit code.
  int run();
  /// Thread-safe: begins a graceful shutdown (as SIGTERM does).
  void request_stop();
  /// Thread-safe: reloads the config (as SIGHUP does).
  void request_reload();
  /// The health endpoint's port (0 when disabled or not started).
  [[nodiscard]] unsigned short health_port() const;
  /// The web inbox's port (0 when disabled or not started).
  [[nodiscard]] unsigned short web_port() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// Runs the daemon in the foreground until SIGTERM/SIGINT. Returns the exit code.
int run_daemon(const std::filesystem::path& config_path, std::shared_ptr<spdlog::logger> log, std::ostream& console);

}  // namespace otklik
