#pragma once
/// The seller's answers to Wildberries feedbacks and customer questions, published through the
/// seller API of the category «Вопросы и отзывы» (feedbacks-api.wildberries.ru) with the source's
/// client: the same base URL, token and request budget as the source that reads them.
///
/// Documentation followed: dev.wildberries.ru/openapi/user-communication (OpenAPI "Общение с
/// покупателями"):
/// - «Ответить на отзыв»: POST /api/v1/feedbacks/answer {"id", "text"} → 204 No Content; the text
///   takes 2 to 5 000 characters. The API does not check the id: a wrong one is not an error.
/// - «Отредактировать ответ на отзыв»: PATCH /api/v1/feedbacks/answer {"id", "text"} → 204; an
///   answer can be edited once, within 60 days of sending it.
/// - «Работа с вопросами»: PATCH /api/v1/questions {"id", "answer": {"text"}, "state": "wbRu"}
///   answers a question or edits its answer (once within 60 days) → 200 {"data": null, "error":
///   false, "errorText": "", "additionalErrors": null}; 400 / 403 / 404 carry {"error": true,
///   "errorText": "Не найден отзыв", …}. The method documents no length limit: the feedbacks'
///   5 000 is applied to answers of questions too.
/// - «Получить отзыв по ID» GET /api/v1/feedback?id=, «Получить вопрос по ID» GET
///   /api/v1/question?id=: {"data": {…, "answer": {"text", "state", "editable", "createDate"} |
///   null}, "error": false, …}; an unknown id is 422 "Невозможно получить отзыв по id".
/// - 401 {"title": "unauthorized", "detail": "token problem; …"}; 429 with X-Ratelimit-Retry.

#include "sources/api/api_call.hpp"
#include "sources/api/reply_poster.hpp"
#include "sources/api/request_budget.hpp"
#include "sources/wildberries/wildberries_parse.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace otklik {

struct SourceConfig;

/// What Wildberries takes: 2 to 5 000 characters, edits allowed (once, by the site's rule).
ReplyLimits wildberries_reply_limits();

/// The call publishing `text` as the answer to feedback / question `id`; `edit` replaces the
/// feedback's answer (questions take the same call for both).
ApiCall wildberries_answer_call(WildberriesKind kind, std::string_view id, std::string_view text, bool edit);

/// The seller's answer in an answer of wildberries_item_call(): nullopt when the item has none
/// or moderation rejected it (it is not on the site); an error the API put in a 200 is a failure.
Result<std::optional<SiteAnswer>> parse_wildberries_answer(std::string_view body);

/// A 200 answer of PATCH /api/v1/questions that says {"error": true}: a failure with its words.
std::optional<Failure> wildberries_answer_refusal(std::string_view body);

/// The poster of a validated `wildberries` source: feedbacks or questions as its `kind` says.
std::unique_ptr<ReplyPoster> make_wildberries_replier(const SourceConfig& config, BudgetBook& budgets);

}  // namespace otklik
