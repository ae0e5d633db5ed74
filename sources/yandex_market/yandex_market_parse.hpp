#pragma once
/// Yandex Market Partner API goods feedback as pure functions: the calls to make and the answers
/// turned into Mentions. No I/O.
///
/// - POST /v2/businesses/{businessId}/goods-feedback?limit=N[&page_token=T] with a filter body
///   answers {"status": "OK", "result": {"feedbacks": [{"feedbackId", "createdAt",
///   "needReaction", "identifiers": {"orderId", "offerId"}, "author", "description":
///   {"advantages", "disadvantages", "comment"}, "media": {"photos", "videos"}, "statistics":
///   {"rating", "commentsCount", "recommended", "paidAmount"}}], "paging": {"nextPageToken"}}}.
/// - POST /v2/businesses/{businessId}/goods-feedback/comments?limit=N {"feedbackId"} answers
///   {"status": "OK", "result": {"comments": [{"id", "text", "parentId", "author": {"type",
///   "name"}, "status", "feedbackId"}], "paging"}}: the comments of type BUSINESS are the
///   company's answer.

#include "daemon/core/error.hpp"
#include "sources/api/api_walk.hpp"

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otklik {

/// Feedbacks per page: the API takes up to 50.
inline constexpr int kYandexMarketFeedbackLimit = 50;

/// The newest page of every feedback of the business.
ApiCall yandex_market_feedback_call(std::string_view business_id, int limit = kYandexMarketFeedbackLimit);

/// The comments of one feedback.
ApiCall yandex_market_comments_call(std::string_view business_id, std::string_view feedback_id);

/// One page of goods feedback: its mentions (text with "Достоинства:" and "Недостатки:" lines,
/// rating, author; the offer as subject "арт. OFFER") and the ids of the feedbacks that have
/// comments and need no reaction (the shop has read or answered them), whose answer the caller
/// looks up.
struct YandexMarketFeedbackPage {
  ApiPage page;
  /// feedbackId and commentsCount of the feedbacks with needReaction false and comments.
  std::vector<std::pair<std::string, int>> answered;
};

/// `sent` is the call that was made (its target gives the next page's).
Result<YandexMarketFeedbackPage> parse_yandex_market_feedback(const ApiCall& sent, const ParseInput& input);

/// The business's answer in a comments answer: the text of its comments (author type BUSINESS,
/// not banned or deleted), those on the feedback itself first, joined by blank lines; "" for none.
Result<std::string> parse_yandex_market_business_reply(std::string_view body);

/// The business's products by offer id: POST /v2/businesses/{businessId}/offer-mappings
/// {"offerIds": […]} (at most 100).
ApiCall yandex_market_offers_call(std::string_view business_id, const std::vector<std::string>& offer_ids);

/// What the feedback's subject and link take from a product.
struct YandexMarketOffer {
  std::string name;
  std::string url;  ///< its page on market.yandex.ru (the B2C showcase), "" when none
};

/// offerId → name and page from an offer-mappings answer {"status": "OK", "result":
/// {"offerMappings": [{"offer": {"offerId", "name"}, "showcaseUrls": [{"showcaseType",
/// "showcaseUrl"}]}]}}.
Result<std::map<std::string, YandexMarketOffer>> parse_yandex_market_offers(std::string_view body);

/// "арт. JKT-WINTER-42", with « · «Name»» when the name is known.
std::string yandex_market_subject(std::string_view offer_id, std::string_view name = "");

}  // namespace otklik
