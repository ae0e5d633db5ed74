#pragma once
/// Wildberries feedbacks and customer questions (GET /api/v1/feedbacks, GET /api/v1/questions of
/// feedbacks-api.wildberries.ru) as Mentions, and the calls that read them page by page. Pure: no
/// I/O, no clock.
///
/// Wire format: dev.wildberries.ru/openapi/user-communication («Отзывы» → «Список отзывов»,
/// «Вопросы» → «Список вопросов»): {"data": {"countUnanswered", "countArchive", "feedbacks" |
/// "questions": [{id, text, pros, cons, productValuation, createdDate, answer {text, state,
/// editable} | null, state, productDetails {nmId, imtId, productName, supplierArticle,
/// supplierName, brandName, size}, photoLinks [{fullSize, miniSize}] | null, video | null,
/// userName, color, …}]}, "error": false, "errorText": "", "additionalErrors": null}.

#include "daemon/core/error.hpp"
#include "sources/api/api_walk.hpp"

#include <string>
#include <string_view>

namespace otklik {

enum class WildberriesKind { feedbacks, questions };

/// Reviews read per call. The API allows take up to 5000 (feedbacks) / 10000 (questions); a page
/// of 100 keeps each answer small while a poll still sees a busy day in one or two calls.
inline constexpr int kWildberriesPageSize = 100;

/// One list of the API: answered or not, all products or one.
struct WildberriesList {
  WildberriesKind kind = WildberriesKind::feedbacks;
  bool answered = false;
  int take = kWildberriesPageSize;
  std::string nm_id;  ///< the product's nmId (digits), "" for every product
};

/// The call reading the list from `skip`, newest first:
/// GET /api/v1/feedbacks?isAnswered=false&take=100&skip=0&order=dateDesc[&nmId=…].
ApiCall wildberries_list_call(const WildberriesList& list, int skip);

/// https://www.wildberries.ru/catalog/NMID/detail.aspx; "" without an nmId.
std::string wildberries_product_url(std::string_view nm_id);

/// The product in words for alerts: "арт. 12345678 · «Куртка зимняя» · DP02/черный · размер 48 ·
/// цвет черный" (the seller's article, size and colour only when given; size "0" means none).
std::string wildberries_subject(std::string_view nm_id, std::string_view name, std::string_view supplier_article,
                                std::string_view size, std::string_view color);

/// One page of the feedbacks list. Each feedback: text, then "Достоинства: …" and "Недостатки:
/// …" lines (so that each claim counts), then "Фото: N" / "Видео" when attached; rating =
/// productValuation (1–5); the seller's answer (unless moderation rejected it) as company_reply;
/// the product as subject and url. A feedback with only a rating is kept (a silent one-star is a
/// complaint). The next call: skip += take while the page was full and the API's skip limit
/// (199 990) allows.
Result<ApiPage> parse_wildberries_feedbacks(const ApiCall& sent, const ParseInput& input);

/// One page of the questions list: the question as text, no rating, the seller's answer as
/// company_reply, the product as subject. Next call while the page was full and take + skip stays
/// within the API's 10 000.
Result<ApiPage> parse_wildberries_questions(const ApiCall& sent, const ParseInput& input);

/// The call reading one feedback or question by its id: GET /api/v1/feedback?id=ID,
/// GET /api/v1/question?id=ID.
ApiCall wildberries_item_call(WildberriesKind kind, std::string_view id);

/// The answer of wildberries_item_call(): {"data": {one feedback | question}, "error": false, …}
/// as a page of at most one mention (mapped as in the lists), never with a next call.
Result<ApiPage> parse_wildberries_item(WildberriesKind kind, const ParseInput& input);

}  // namespace otklik
