#pragma once
/// A Channel delivers outbox rows to one chat or endpoint. Like a spdlog sink: a small interface,
/// one class per kind, rendering kept in pure functions (alert_render.hpp) tested on their own.

#include "daemon/config/config.hpp"
#include "daemon/core/error.hpp"
#include "daemon/net/http_client.hpp"
#include "daemon/store/mention_store.hpp"
#include "daemon/store/outbox_store.hpp"
#include "daemon/store/reply_store.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace otklik {

/// The outcome of one delivery attempt, as the dispatcher acts on it.
struct Delivery {
  enum class Status {
    delivered,  ///< done; remote_id recorded
    retry,      ///< transient (timeout, connection error, 5xx, 429): retry with backoff, never give up
    dead,       ///< permanent (4xx other than 429, bad token, chat not found): dead letter
  };
  Status status = Status::retry;
  std::string remote_id;                          ///< message id (telegram), "" when the API gives none
  std::string error;                              ///< for logs and the dead letter
  std::optional<std::chrono::seconds> retry_after;  ///< the API's requested wait (Retry-After, retry_after)

  static Delivery ok(std::string id) { return {Status::delivered, std::move(id), {}, {}}; }
  static Delivery transient(std::string why, std::optional<std::chrono::seconds> after = {}) {
    return {Status::retry, {}, std::move(why), after};
  }
  static Delivery permanent(std::string why) { return {Status::dead, {}, std::move(why), {}}; }
};

/// A complaint topic as an alert shows it, in the channel's language (from the taxonomy).
struct TopicView {
  std::string id;
  std::string name;                 ///< "Ожидание и очереди"
  std::vector<std::string> hints;   ///< the response checklist for this topic
};

/// What an alert shows and offers about answering the review (docs/replies.md).
struct ReplyView {
  bool publish = false;               ///< the site takes answers through its API: Reply publishes
  std::string site;                   ///< "Wildberries" (for "Ответ опубликован на …")
  std::optional<ReplyRecord> latest;  ///< the newest queued, posted or failed answer
};

/// What a channel is asked to deliver: the outbox row and, for alerts, the stored mention.
/// kind "alert": mention is set. kind "notice": payload is JSON {"title": "...", "text": "..."}
/// (operator notices such as a broken source). kind "status": mention, case_record and posted
/// are set; the channel edits its message in place where it can (Telegram) and otherwise reports
/// it delivered without sending anything.
struct DeliveryRequest {
  OutboxItem item;
  std::optional<StoredMention> mention;
  Severity severity = Severity::low;
  std::string brand_display;    ///< brand name as configured ("" if none)
  /// How the config names sources in alerts (`[[source]] label`), by source name: the mention's
  /// own and those of the author's earlier mentions. A source not in it shows its name.
  std::map<std::string, std::string, std::less<>> source_labels;
  // Alert lifecycle (kinds "alert" and "status"): the case as it is at delivery time.
  std::optional<CaseRecord> case_record;         ///< the mention's case, when it has one
  std::optional<TimePoint> take_by, resolve_by;  ///< its SLA deadlines, when SLA is on
  std::optional<PostedAlert> posted;             ///< kind "status": this channel's message to edit
  // Understanding (kinds "alert", "status", "escalation", "follow_up"): the names and hints of
  // the mention's topics in this channel's language, and what the alert shows of it.
  std::vector<TopicView> topics;
  bool show_claims = true;
  bool show_hints = true;
  /// Answering from the chat ([replies]): set for alerts with a case when replies are on.
  std::optional<ReplyView> reply;
};

class Channel {
 public:
  virtual ~Channel() = default;
  [[nodiscard]] virtual const ChannelConfig& config() const = 0;
  virtual boost::asio::awaitable<Delivery> deliver(DeliveryRequest request) = 0;
};

/// Options shared by all channels' rendering.
struct RenderOptions {
  std::string locale = "ru";     ///< "ru" or "en"
  std::string timezone = "UTC";  ///< for dates shown in alerts
};

/// Builds the channel for `config`. `http` and `out` (console) must outlive it.
/// Throws std::invalid_argument for an unknown type (config validation prevents that).
std::unique_ptr<Channel> make_channel(const ChannelConfig& config, HttpClient& http, RenderOptions options,
                                      std::ostream& console_out);

/// The same, with the [smtp] section that email channels (type "email") send through; the
/// overload above refuses email channels.
std::unique_ptr<Channel> make_channel(const ChannelConfig& config, HttpClient& http, RenderOptions options,
                                      std::ostream& console_out, const SmtpConfig& smtp);

}  // namespace otklik
