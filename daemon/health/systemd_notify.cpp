#include "daemon/health/systemd_notify.hpp"

#include "daemon/core/cancelled.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <systemd/sd-daemon.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

namespace otklik::systemd {

Result<Notified> notify(std::string_view state) {
  if (!notify_socket_set()) return Notified::no_socket;
  const std::string text(state);
  const int r = sd_notify(0, text.c_str());
  if (r > 0) return Notified::sent;
  if (r == 0) return Notified::no_socket;
  return Failure(errc::io_error, "sd_notify: " + std::string(std::strerror(-r)));
}

bool notify_socket_set() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  return socket != nullptr && *socket != '\0';
}

Result<Notified> ready() { return notify("READY=1"); }

Result<Notified> stopping() { return notify("STOPPING=1"); }

Result<Notified> reloading() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const auto usec = static_cast<unsigned long long>(ts.tv_sec) * 1000000ULL +
                    static_cast<unsigned long long>(ts.tv_nsec) / 1000ULL;
  return notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

Result<Notified> status(std::string_view text) {
  std::string line = "STATUS=";
  for (const char c : text) line += (c == '\n' || c == '\r') ? ' ' : c;
  return notify(line);
}

Result<Notified> watchdog_ping() { return notify("WATCHDOG=1"); }

std::optional<Duration> watchdog_interval() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::duration_cast<Duration>(std::chrono::microseconds(usec / 2));
}

boost::asio::awaitable<void> watchdog_loop(boost::asio::any_io_executor executor, Duration interval,
                                           std::function<bool()> healthy) {
  co_await boost::asio::this_coro::throw_if_cancelled(false);
  boost::asio::steady_timer timer(executor);
  for (;;) {
    if (!healthy || healthy()) (void)watchdog_ping();  // a failed ping is retried next interval
    timer.expires_after(interval);
    if (co_await wait_cancelled(timer)) co_return;
  }
}

}  // namespace otklik::systemd
