#pragma once
/// Publishes the queued answers of one source on its site (docs/replies.md), as a Channel named
/// "reply:<source>": the dispatcher leases its outbox rows ({"reply": id}) like any channel's,
/// with the same backoff, Retry-After, leases between instances and dead letters.
///
/// One delivery, exactly once:
///   1. the reply row (already posted → done; cancelled → nothing to do);
///   2. the text against the site's limits (refused for good otherwise);
///   3. the site's current answer (ReplyPoster::current_answer): our text already there (a
///      restart after the post) → recorded, not posted again; another answer there and this is
///      not an explicit edit → refused, with that answer's start as the reason;
///   4. post (or replace), then in one store job: the reply posted with the site's answer id, the
///      case answered by the author of the answer (the follow-up is planned from then, as for the
///      Answered button), and a status row for every chat that shows the alert, which edits it
///      in place: «Ответ опубликован на Wildberries — @anna, 14:32».
/// A permanent refusal (401/403, 404 review deleted, 4xx text refused, too long) marks the reply
/// failed with the site's reason and shows it under the alert; transient failures (timeouts, 5xx,
/// 429) are retried as alerts are.

#include "daemon/channels/channel.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/store/store_executor.hpp"
#include "sources/api/reply_poster.hpp"

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <string>

namespace otklik {

/// How a failure of the site's API is treated: permanent (shown under the alert), or retried.
struct ReplyFailure {
  bool permanent = false;
  std::string reason;                                 ///< the site's words, secrets hidden
  std::optional<std::chrono::seconds> retry_after;
};
ReplyFailure classify_reply_failure(const Failure& f);

/// True when two answers are the same text: whitespace runs count as one space, ends trimmed.
bool same_answer(std::string_view a, std::string_view b) noexcept;

class SiteReplyChannel final : public Channel {
 public:
  using Notify = std::function<void(const std::string& channel)>;
  /// `source` is the [[source]] whose site takes the answers; `http`, `store` and `clock` must
  /// outlive the channel. `notify` wakes the chats' dispatchers after status rows were queued.
  SiteReplyChannel(const SourceConfig& source, std::unique_ptr<ReplyPoster> poster, HttpClient& http,
                   StoreExecutor& store, const Clock& clock, std::string user_agent, Notify notify,
                   std::shared_ptr<spdlog::logger> log);

  [[nodiscard]] const ChannelConfig& config() const override { return config_; }
  boost::asio::awaitable<Delivery> deliver(DeliveryRequest request) override;

  [[nodiscard]] const ReplyPoster& poster() const { return *poster_; }

 private:
  /// Records the outcome: posted (answer id) or failed (reason); queues the status rows.
  boost::asio::awaitable<void> record(const ReplyRecord& reply, bool posted, std::string answer_id,
                                      std::string reason);

  ChannelConfig config_;
  SourceConfig source_;
  std::unique_ptr<ReplyPoster> poster_;
  HttpClient& http_;
  StoreExecutor& store_;
  const Clock& clock_;
  std::string user_agent_;
  Notify notify_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace otklik
