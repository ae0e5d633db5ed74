#pragma once
/// One dispatcher per channel: lease the oldest due outbox row, deliver it, record the outcome.
/// Transient failures retry with backoff forever (honouring Retry-After, holding the rest of the
/// channel's queue so that order and the API's rate limit are kept); permanent ones go to the
/// dead letter with a log line and a metric.

#include "daemon/channels/channel.hpp"
#include "daemon/config/config.hpp"
#include "daemon/core/redactor.hpp"
#include "daemon/store/store_executor.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <random>

namespace otklik::understanding {
struct Taxonomy;
}

namespace otklik {

/// What a dispatcher reports (metrics).
class DeliveryEvents {
 public:
  virtual ~DeliveryEvents() = default;
  virtual void delivered(const std::string& channel, const OutboxItem& item) = 0;
  virtual void retrying(const std::string& channel, const OutboxItem& item, const Delivery& d) = 0;
  virtual void dead(const std::string& channel, const OutboxItem& item, const Delivery& d) = 0;
};

/// Delay before retrying a row that has failed `attempts` times: full jitter with base 2 s and
/// cap `max_backoff` (a channel's, 60 s by default), never before the API's Retry-After. `random`
/// is uniform.
Duration delivery_retry_delay(int attempts, std::optional<std::chrono::seconds> retry_after, std::uint64_t random,
                              Duration max_backoff = std::chrono::seconds(60)) noexcept;

class Dispatcher {
 public:
  /// Uses the outbox and mentions roles of `store` (and, through the build hook, cases).
  /// `redactor` (may be null) hides secrets in the errors stored with a row.
  Dispatcher(boost::asio::any_io_executor executor, Channel& channel, StoreExecutor& store, const Config& config,
             DeliveryEvents& events, std::shared_ptr<spdlog::logger> log, const Redactor* redactor = nullptr);

  /// Runs until stop() (after the in-flight send) or cancellation.
  boost::asio::awaitable<void> run();
  /// Wakes the dispatcher: new rows were queued.
  void notify();
  /// Asks it to finish after the current send.
  void stop();
  /// Another request to the channel's API just succeeded (Telegram's getUpdates): a queue held
  /// after a failure is retried at once — unless the API itself asked to wait (Retry-After).
  void api_answered();
  /// Delivers every due row once (for `poll --once`); stops when nothing is due.
  boost::asio::awaitable<void> drain();

  [[nodiscard]] const std::string& channel_name() const { return channel_.config().name; }
  /// Called on every request built for delivery, to add what the channel needs besides the row
  /// and the mention (the alert's case: AlertActions::attach_case). Runs in the store job that
  /// builds the request, with the roles it may read.
  using BuildHook = std::function<void(DeliveryRequest&, Store&)>;
  void on_build_request(BuildHook hook) { on_build_request_ = std::move(hook); }
  /// The taxonomy whose topic names and hints alerts show (may be null: topic ids only).
  void use_topics(std::shared_ptr<const understanding::Taxonomy> topics) { topics_ = std::move(topics); }

 private:
  enum class Step { sent, idle, backoff };
  boost::asio::awaitable<Step> step(std::chrono::steady_clock::duration& wait);
  /// Leases the oldest due row and builds its request (one store job); or when the queue is
  /// idle, when the next row is due.
  struct Leased {
    std::optional<DeliveryRequest> request;
    std::optional<TimePoint> next_due;
  };
  Result<Leased> lease_next(Store& store, TimePoint now);
  DeliveryRequest build_request(const OutboxItem& item, Store& store);

  Channel& channel_;
  StoreExecutor& store_;
  const Config& config_;
  DeliveryEvents& events_;
  std::shared_ptr<spdlog::logger> log_;
  const Redactor* redactor_;
  boost::asio::steady_timer wake_;
  bool stopping_ = false;
  /// While held after a failure: whether the API asked for the wait (then nothing cuts it short).
  bool held_by_api_ = false;
  std::chrono::steady_clock::time_point hold_until_{};
  bool hold_kept_ = false;  ///< a hold is written in the store (cleared after the next success)
  bool retry_held_ = false; ///< api_answered: make the rows put off by failures due now
  std::mt19937_64 rng_;
  BuildHook on_build_request_;
  std::shared_ptr<const understanding::Taxonomy> topics_;
};

}  // namespace otklik
