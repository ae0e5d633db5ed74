#pragma once
/// The company's answer to a review, published through the site's official API (docs/replies.md).
/// One ReplyPoster per [[source]] whose site takes answers (Wildberries, Ozon, Yandex Market,
/// Google Business Profile, App Store Connect, Trustpilot's business API); it talks to the site
/// with the same ApiClient (and so the same token, budget and 429 handling) as the source that
/// reads the reviews. The reply dispatcher (daemon/app/site_reply_channel.hpp) calls it:
///
///   1. current_answer(): what the site shows as the company's answer now. This is the
///      idempotency check: a reply whose text is already there (a restart after the post and before
///      the outbox row was marked) is recorded, not posted again; another answer already there is
///      refused unless the reply is an explicit edit.
///   2. post(): publishes the text (or replaces the answer when `edit`), returns what the site
///      says about it (its id when it gives one).
///
/// Failures are the ApiClient's: errc::unauthorized (key refused), errc::http_status with the
/// status and the API's reason (4xx: a permanent refusal — review deleted, text refused; 5xx:
/// transient), errc::rate_limited with the wait, transport errors (transient). A text the site
/// cannot take (over its length limit, empty) is errc::invalid_input before any call.

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "sources/api/api_call.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace otklik {

/// The company's answer as the site shows it.
struct SiteAnswer {
  std::string id;                   ///< the site's id of the answer; "" when the site gives none
  std::string text;
  std::optional<TimePoint> at;      ///< when it was published or last changed, when the site says
  friend bool operator==(const SiteAnswer&, const SiteAnswer&) = default;
};

/// What a site takes.
struct ReplyLimits {
  std::size_t max_chars = 0;        ///< code points; the documented limit of the site's API
  std::size_t min_chars = 1;        ///< a few APIs refuse very short answers
  bool can_edit = true;             ///< an answer can be replaced through the API
};

class ReplyPoster {
 public:
  virtual ~ReplyPoster() = default;
  [[nodiscard]] virtual ReplyLimits limits() const = 0;
  /// The site, as messages name it ("Wildberries").
  [[nodiscard]] virtual std::string site() const = 0;
  /// The company's current answer to `review` (a mention this source produced: its external_id
  /// and url identify the review), nullopt when there is none.
  virtual boost::asio::awaitable<Result<std::optional<SiteAnswer>>> current_answer(ApiContext& ctx,
                                                                                   const Mention& review) = 0;
  /// Publishes `text` (plain text, within limits()) as the company's answer to `review`;
  /// `edit`: replaces the answer that is there.
  virtual boost::asio::awaitable<Result<SiteAnswer>> post(ApiContext& ctx, const Mention& review, std::string text,
                                                          bool edit) = 0;
};

/// Code points of UTF-8 `text` (invalid bytes count one each).
std::size_t reply_length(std::string_view text) noexcept;

/// The problem of `text` for a site with `limits` ("" when it can be posted): empty, too short,
/// too long ("1 234 characters, Wildberries takes at most 1 000").
std::string reply_text_problem(std::string_view text, const ReplyLimits& limits, std::string_view site);

}  // namespace otklik
