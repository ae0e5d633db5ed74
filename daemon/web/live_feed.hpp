#pragma once
/// New alerts for open inbox pages (server-sent events). One loop per daemon asks the store every
/// `every` for the cases opened since the last look, less a margin of 10 s for late commits and
/// clocks a little apart (ids already pushed are skipped) (InboxStore::opened_since: an index range,
/// the same on every instance sharing a database, so a page shows alerts whichever instance
/// ingested them) and hands them to every subscriber. The loop reads only while someone listens.
/// Used on the I/O thread only.

#include "daemon/core/duration.hpp"
#include "daemon/store/inbox_store.hpp"
#include "daemon/store/store_executor.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <deque>
#include <list>
#include <memory>

namespace spdlog {
class logger;
}

namespace otklik::web {

class LiveFeed {
 public:
  /// A subscriber's mailbox: rows wait here until its stream writes them.
  class Subscription {
   public:
    /// Waits until rows arrive, `timeout` passes (a heartbeat is due) or the feed stops; returns
    /// the rows (empty on timeout). `missed` is set when rows were dropped because the subscriber
    /// fell behind (the page should reload).
    boost::asio::awaitable<std::vector<InboxRow>> next(Duration timeout, bool& missed);
    [[nodiscard]] bool closed() const noexcept { return closed_; }

   private:
    friend class LiveFeed;
    explicit Subscription(boost::asio::any_io_executor ex) : timer_(ex) {}
    std::deque<InboxRow> rows_;
    boost::asio::steady_timer timer_;
    bool missed_ = false;
    bool closed_ = false;
  };

  static constexpr std::size_t kMaxQueued = 200;  ///< rows a slow subscriber may have waiting

  LiveFeed(boost::asio::any_io_executor executor, StoreExecutor& store, Duration every,
           std::shared_ptr<spdlog::logger> log);

  /// Starts listening; the subscription ends with unsubscribe() (or when the feed stops).
  std::shared_ptr<Subscription> subscribe();
  void unsubscribe(const std::shared_ptr<Subscription>& s);
  [[nodiscard]] std::size_t subscribers() const noexcept { return subscribers_.size(); }

  /// The loop: starts from the newest case at its first look, so only alerts opened after a
  /// page subscribed are pushed. Ends after stop().
  boost::asio::awaitable<void> run();
  void stop();

 private:
  void deliver(const std::vector<InboxRow>& rows, bool overflow);

  boost::asio::any_io_executor executor_;
  StoreAccess<InboxStore> store_;
  Duration every_;
  std::shared_ptr<spdlog::logger> log_;
  std::list<std::shared_ptr<Subscription>> subscribers_;
  boost::asio::steady_timer wake_;
  bool stopped_ = false;
};

}  // namespace otklik::web
