#pragma once
/// The one place where answering a review from a chat (or the web inbox) is checked and recorded
/// (docs/replies.md): the draft for the Reply button, the agent's final text checked and kept as a
/// preview, Post and Cancel, Slack's and the web's one-step submit. Publishing itself is the
/// reply dispatcher's (site_reply_channel.hpp): Post only queues the answer, in one transaction
/// with its outbox row, so that a double tap or a restart publishes it once.
///
/// Checks, every time, in the store: the alert was posted in the asking chat (button data and
/// replies can be forged); the user may act there (allowed_users) and publish (reply_users; the
/// web: [replies] web_users); the site takes answers; the text has no blank left, no deny-list
/// phrase and fits the site's limit; an answer already published is replaced only by an explicit
/// Edit.

#include "daemon/channels/reply_handler.hpp"
#include "daemon/config/config.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/store/store_executor.hpp"
#include "sources/api/reply_poster.hpp"

#include <spdlog/logger.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace otklik {

/// A source whose site takes answers: the site's name and what it takes.
struct ReplySite {
  std::string site;      ///< "Wildberries"
  ReplyLimits limits;
};

/// A draft in the review's language.
struct ComposedDraft {
  std::string locale;    ///< "ru", "en"
  std::string text;
};

class ReplyDesk final : public channels::ReplyHandler {
 public:
  /// The draft of a stored mention's answer (the rules of daemon/replies), pure.
  using Compose = std::function<ComposedDraft(const StoredMention& mention)>;
  /// What keeps `text` (in the draft's locale) from being published: blanks, deny-list phrases.
  using CheckText = std::function<std::vector<std::string>(std::string_view locale, std::string_view text)>;
  /// Wakes the dispatcher of a channel (a chat, or a site's "reply:<source>").
  using Notify = std::function<void(const std::string& channel)>;

  /// `config`, `store` and `clock` must outlive the object; `sites` by source name.
  ReplyDesk(const Config& config, StoreExecutor& store, const Clock& clock, std::map<std::string, ReplySite> sites,
            Compose compose, CheckText check, Notify notify, std::shared_ptr<spdlog::logger> log);

  boost::asio::awaitable<channels::DraftReply> draft(channels::ReplyAsker who, std::int64_t mention_id,
                                                     bool edit) override;
  boost::asio::awaitable<channels::ReplyPreview> preview(channels::ReplyAsker who, std::int64_t mention_id, bool edit,
                                                         std::string text) override;
  boost::asio::awaitable<void> preview_shown(std::int64_t reply_id, std::string message_id) override;
  boost::asio::awaitable<channels::ReplyDecision> decide(channels::ReplyAsker who, std::int64_t reply_id,
                                                         bool post) override;
  boost::asio::awaitable<channels::ReplyPreview> submit(channels::ReplyAsker who, std::int64_t mention_id, bool edit,
                                                        std::string text, std::string response_url) override;

  /// The site of a source that takes answers; null otherwise.
  [[nodiscard]] const ReplySite* site_of(const std::string& source) const;
  /// The draft for the web inbox's case page ("" when the mention is unknown).
  boost::asio::awaitable<std::string> web_draft(std::int64_t mention_id);

 private:
  struct Loaded;  ///< what one store job reads about a mention
  /// The mention, whether its alert was posted in `channel`, and its latest answer (a store job).
  static Loaded load(Store& store, const std::string& channel, std::int64_t mention_id);
  [[nodiscard]] std::string locale_of(const std::string& channel) const;
  /// Whether `who` may publish from its channel (reply_users; the web: web_users).
  [[nodiscard]] bool may_publish(const channels::ReplyAsker& who) const;
  [[nodiscard]] bool may_act(const channels::ReplyAsker& who) const;
  /// The problems of `text` for `site` in `locale`, joined for the agent ("" when none).
  [[nodiscard]] std::string text_problems(const ReplySite& site, std::string_view locale, std::string_view text) const;
  /// preview() and submit(): checks, stores the preview (and queues it when `queue`).
  boost::asio::awaitable<channels::ReplyPreview> take_text(channels::ReplyAsker who, std::int64_t mention_id,
                                                           bool edit, std::string text, std::string response_url,
                                                           bool queue);

  const Config& config_;
  StoreExecutor& store_;
  const Clock& clock_;
  std::map<std::string, ReplySite> sites_;
  Compose compose_;
  CheckText check_;
  Notify notify_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace otklik
