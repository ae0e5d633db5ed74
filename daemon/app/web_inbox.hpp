#pragma once
/// The web inbox (docs/web.md): the routes of the team's pages on the web server, composed of the
/// store's roles, the case actions the chats use (AlertActions), the source schedule ("poll
/// now"), the digest and the pages (daemon/web/pages). Signs users in (argon2id, rate-limited),
/// keeps their sessions in the store, checks roles and CSRF on every change, and pushes new alerts
/// to open pages (server-sent events). Lives for the whole process; a reload hands it the new
/// Runtime (use()). Everything runs on the I/O thread; the store and password hashing off it.

#include "daemon/app/runtime.hpp"
#include "daemon/app/source_schedule.hpp"
#include "daemon/config/config.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/health/metrics.hpp"
#include "daemon/store/store_executor.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <spdlog/logger.h>

#include <memory>

namespace otklik {

struct WebInboxDeps {
  boost::asio::any_io_executor io;
  /// Where passwords are hashed (a thread pool; 64 MiB and some tenths of a second each).
  boost::asio::any_io_executor work;
  StoreExecutor& store;
  Clock& clock;
  health::MetricsRegistry& metrics;
  SourceSchedule* schedule = nullptr;  ///< "poll now" and next polls; null: not shown
  std::shared_ptr<spdlog::logger> log;
};

class WebInbox {
 public:
  /// Loads the TLS files (when set), opens the listening socket of `web.listen`. Fails as a value:
  /// bad address or port in use, unreadable or mismatched certificate and key, bad trusted proxies.
  static Result<std::unique_ptr<WebInbox>> create(const WebConfig& web, WebInboxDeps deps);
  ~WebInbox();
  WebInbox(const WebInbox&) = delete;
  WebInbox& operator=(const WebInbox&) = delete;

  /// The runtime whose config, case actions, topics, calendar and digest the pages use; null
  /// while there is none (pages then answer 503). Must stay valid until the next call.
  void use(Runtime* runtime);

  /// Serves until stop(): the server, the live feed and the hourly purge of ended sessions.
  boost::asio::awaitable<void> run();
  void stop();

  [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const;

  struct Impl;

 private:
  explicit WebInbox(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace otklik
