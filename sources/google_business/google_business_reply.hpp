#pragma once
/// The owner's answer to a Google Business Profile review, through the v4 API the source reads
/// the reviews with (google_business_api.hpp: the same OAuth client, token and budget).
///
/// Documentation followed (developers.google.com/my-business/reference/rest/v4):
///   accounts.locations.reviews.get
///     GET /v4/accounts/ACCOUNT/locations/LOCATION/reviews/REVIEW
///     → a Review: {"name", "reviewId", …, "reviewReply": {"comment": "…", "updateTime": "…"}};
///       no reviewReply when the owner has not answered.
///   accounts.locations.reviews.updateReply
///     PUT /v4/accounts/ACCOUNT/locations/LOCATION/reviews/REVIEW/reply
///     {"comment": "…"}  → 200 and the ReviewReply {"comment", "updateTime"}.
///     "Updates the reply to the specified review. A reply is created if one does not exist":
///     one call both answers and replaces an answer (edit). Valid only for a verified location.
///   ReviewReply.comment: "the body of the reply as plain text with markups. The maximum length is
///   4096 bytes."
/// Failures come in Google's error shape {"error": {"code", "message", "status"}}: 404 NOT_FOUND
/// (the review was deleted, or the id is not of this account), 400 INVALID_ARGUMENT (a text the API
/// refuses), 400 FAILED_PRECONDITION (a location that is not verified), 403 PERMISSION_DENIED (the
/// consenting user does not manage the location, or the scope is not business.manage: the
/// ApiClient reads 401/403 as errc::unauthorized), 429 RESOURCE_EXHAUSTED (waited out by the
/// client). Scope: https://www.googleapis.com/auth/business.manage.
///
/// The review is found from its mention: external_id "gbp:LOCATION:REVIEW" (the parser's
/// google_review_id_prefix()) and the source's account_id.

#include "daemon/config/config.hpp"
#include "sources/api/api_call.hpp"
#include "sources/api/reply_poster.hpp"
#include "sources/api/request_budget.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// The documented limit of ReviewReply.comment, in bytes of UTF-8.
inline constexpr std::size_t kGoogleReplyMaxBytes = 4096;

/// The review of a mention: its location and id. nullopt when the external id is not a
/// "gbp:LOCATION:REVIEW" one.
struct GoogleReviewRef {
  std::string location_id;
  std::string review_id;
  friend bool operator==(const GoogleReviewRef&, const GoogleReviewRef&) = default;
};
std::optional<GoogleReviewRef> google_review_ref(std::string_view external_id);

/// GET …/reviews/REVIEW (reviews.get).
ApiCall google_review_get_call(std::string_view account_id, const GoogleReviewRef& review);
/// PUT …/reviews/REVIEW/reply {"comment": text} (reviews.updateReply).
ApiCall google_reply_put_call(std::string_view account_id, const GoogleReviewRef& review, std::string_view text);

/// The owner's answer in a Review (reviews.get): reviewReply.comment as it is; nullopt when there
/// is none (no reviewReply, or an empty comment). Not JSON / not an object: parse_failed.
Result<std::optional<SiteAnswer>> parse_google_review_reply(std::string_view body);
/// The ReviewReply updateReply answered with; `sent` stands for the text when the answer leaves
/// the comment out.
Result<SiteAnswer> parse_google_put_reply(std::string_view body, std::string_view sent);

/// What ReplyLimits cannot say: "" when `text` fits the 4096 bytes, otherwise the problem in words.
std::string google_reply_bytes_problem(std::string_view text);

/// The poster of a validated google_business [[source]]: the same client as the source's
/// (make_google_business_api with the same BudgetBook).
std::unique_ptr<ReplyPoster> make_google_business_replier(const SourceConfig& config, BudgetBook& budgets);

}  // namespace otklik
