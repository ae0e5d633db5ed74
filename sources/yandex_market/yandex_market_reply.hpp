#pragma once
/// The business's answers to Yandex Market goods feedback, published as its comment through the
/// Partner API with the source's client: the same base URL, Api-Key and request budget (of the
/// business) as the source that reads the feedback.
///
/// Documentation followed: yandex.ru/dev/market/partner-api/doc/ru/reference/goods-feedback/
/// (updateGoodsFeedbackComment, getGoodsFeedbackComments; error codes in concepts/error-codes):
/// - POST /v2/businesses/{businessId}/goods-feedback/comments/update {"feedbackId": N,
///   "comment": {"id"?, "parentId"?, "text"}}: without comment.id it adds a comment, with it it
///   changes that comment → {"status": "OK", "result": {"id", "text", "canModify", "parentId",
///   "author": {"type", "name"}, "status", "feedbackId"}}. The text takes 1 to 4 096 characters
///   and may hold no contacts of the shop and no links but to the Market. 1 000 requests an hour.
///   The token needs the access "communication" (Общение с покупателями) or "all-methods".
/// - POST /v2/businesses/{businessId}/goods-feedback/comments?limit=N {"feedbackId"} →
///   {"status": "OK", "result": {"comments": [{"id", "text", "parentId", "author", "status",
///   "canModify", "feedbackId"}], "paging"}}.
/// - Errors: {"status": "ERROR", "errors": [{"code", "message"}]} with 400 / 401 / 403 / 404;
///   420 for an exceeded limit.

#include "sources/api/api_call.hpp"
#include "sources/api/reply_poster.hpp"
#include "sources/api/request_budget.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace otklik {

struct SourceConfig;

/// What Yandex Market takes: 1 to 4 096 characters; a comment can be changed.
ReplyLimits yandex_market_reply_limits();

/// The comments/update call: `text` as a new comment on feedback `feedback_id`, or replacing
/// comment `comment_id` when it is not empty.
ApiCall yandex_market_comment_update_call(std::string_view business_id, std::string_view feedback_id,
                                          std::string_view text, std::string_view comment_id = "");

/// The business's answer in a comments answer: its newest comment (author BUSINESS, not banned
/// or deleted) on the feedback itself, not in a thread; nullopt when there is none. Only the first
/// page (50 comments) is read: a feedback's thread is rarely longer.
Result<std::optional<SiteAnswer>> parse_yandex_market_answer(std::string_view body);

/// The comment a comments/update answer returns {"status": "OK", "result": {"id", "text", …}}.
Result<SiteAnswer> parse_yandex_market_updated_comment(std::string_view body);

/// The poster of a validated `yandex_market` source.
std::unique_ptr<ReplyPoster> make_yandex_market_replier(const SourceConfig& config, BudgetBook& budgets);

}  // namespace otklik
