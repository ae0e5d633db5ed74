#pragma once
/// The service manager protocol (sd_notify(3)) for a Type=notify unit: readiness, reloading,
/// stopping, status text and watchdog pings. Every call is a no-op when NOTIFY_SOCKET is unset
/// (started by hand, in tests, in containers without systemd).
///
/// Order the application follows: ready() once the store is migrated and the config loaded;
/// on SIGHUP reloading() … ready() again (also after a rejected config); stopping() on SIGTERM.
/// watchdog_loop() pings from the event loop, so a stuck loop stops the pings and systemd
/// restarts the service after WatchdogSec.

#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <optional>
#include <string_view>

namespace otklik::systemd {

/// What a notification did: sent to the manager, or nothing to do (no NOTIFY_SOCKET).
enum class Notified { sent, no_socket };

/// "READY=1": startup finished, or a reload finished.
Result<Notified> ready();
/// "STOPPING=1": shutdown has begun.
Result<Notified> stopping();
/// "RELOADING=1" with "MONOTONIC_USEC=<now>" (systemd ≥ 253 wants it with Type=notify-reload;
/// older versions ignore the extra field). Send ready() when the reload is done.
Result<Notified> reloading();
/// "STATUS=<text>": one line shown by `systemctl status`; line breaks become spaces.
Result<Notified> status(std::string_view text);
/// "WATCHDOG=1": the service is alive.
Result<Notified> watchdog_ping();
/// Sends `state` verbatim ("KEY=VALUE" lines). The functions above use it.
Result<Notified> notify(std::string_view state);

/// Whether NOTIFY_SOCKET is set, i.e. a manager listens.
[[nodiscard]] bool notify_socket_set();

/// Half of WatchdogSec (WATCHDOG_USEC) when the watchdog is enabled for this process, else nullopt.
[[nodiscard]] std::optional<Duration> watchdog_interval();

/// Pings the watchdog every `interval` from the executor's event loop while `healthy()` returns
/// true; skips the ping when it returns false (then systemd restarts the service once
/// WatchdogSec passes without one). Sends a first ping at once. Runs until cancelled (returns
/// normally then). `healthy` may be empty (always healthy).
boost::asio::awaitable<void> watchdog_loop(boost::asio::any_io_executor executor, Duration interval,
                                           std::function<bool()> healthy);

}  // namespace otklik::systemd
