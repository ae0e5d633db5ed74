#pragma once
/// The company's reply to a Trustpilot review through the business API (trustpilot_api.hpp), for
/// a `trustpilot` [[source]] that has the business API keys.
///
/// Documentation followed (developers.trustpilot.com → Service Reviews API):
///   Get a review (public information; authentication: API key)
///     GET /v1/reviews/{reviewId}
///     → {"id", "stars", "title", "text", …, "companyReply": {"text": "…", "createdAt": "…"}};
///       companyReply absent or null when the company has not replied.
///   Reply to a review (authentication: business user OAuth token)
///     POST /v1/private/reviews/{reviewId}/reply
///     {"authorBusinessUserId": "…", "message": "…"}
///   Delete a reply to a review
///     DELETE /v1/private/reviews/{reviewId}/reply
/// An edit deletes the reply and posts the new one: the documentation names no call that replaces
/// a reply. Trustpilot documents no length limit for a reply; none is enforced here beyond an
/// empty text. Errors: 404 for a review that is gone, 401/403 for keys or a user without rights
/// (the ApiClient's errc::unauthorized), 429 waited out as Retry-After asks.
///
/// The review is found from its mention: external_id is Trustpilot's review id (the public page
/// and the API share it).

#include "daemon/config/config.hpp"
#include "sources/api/api_call.hpp"
#include "sources/api/reply_poster.hpp"
#include "sources/api/request_budget.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// GET /v1/reviews/{id}.
ApiCall trustpilot_review_call(std::string_view review_id);
/// POST /v1/private/reviews/{id}/reply with the business user as the author.
ApiCall trustpilot_reply_call(std::string_view review_id, std::string_view business_user_id, std::string_view text);
/// DELETE /v1/private/reviews/{id}/reply.
ApiCall trustpilot_delete_reply_call(std::string_view review_id);

/// The company's reply in a review (companyReply.text); nullopt when there is none. Not a JSON
/// object: parse_failed.
Result<std::optional<SiteAnswer>> parse_trustpilot_company_reply(std::string_view body);

/// The poster of a validated trustpilot [[source]]; null when it has no business API keys
/// (trustpilot_answers()).
std::unique_ptr<ReplyPoster> make_trustpilot_replier(const SourceConfig& config, BudgetBook& budgets);

}  // namespace otklik
