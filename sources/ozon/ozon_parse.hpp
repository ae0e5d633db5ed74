#pragma once
/// Ozon Seller API reviews (the "ReviewAPI" methods) as pure functions: the calls to make and the
/// answers turned into Mentions. No I/O.
///
/// - POST /v1/review/list {"limit", "sort_dir", "status", "last_id"} answers
///   {"reviews": [{"id", "sku", "rating", "text", "published_at", "status", "comments_amount",
///   "photos_amount", "videos_amount", "is_rating_participant", "order_status"}], "has_next",
///   "last_id"}; the next page repeats the body with the answer's last_id. /v2/review/list takes
///   {"filters": {"status"}, "limit", "sort_dir", "last_id"} and answers the same.
/// - POST /v1/review/comment/list {"review_id", "limit", "offset", "sort_dir"} answers
///   {"comments": [{"id", "text", "is_owner", "is_official", "parent_comment_id",
///   "published_at"}], "offset"}: the seller's comments are the company's answer.

#include "daemon/core/error.hpp"
#include "sources/api/api_walk.hpp"

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otklik {

/// Reviews per page: the API takes 20 to 100.
inline constexpr int kOzonReviewLimit = 100;

/// The first page of reviews with `status` ("UNPROCESSED", "PROCESSED" or "ALL"), newest first,
/// by /v1/review/list.
ApiCall ozon_review_list_call(std::string_view status, int limit = kOzonReviewLimit);

/// The same by /v2/review/list, which takes the status in "filters" ("NEW", "VIEWED",
/// "PROCESSED" or "ALL") and answers in the same shape.
ApiCall ozon_review_list_v2_call(std::string_view status, int limit = kOzonReviewLimit);

/// The comments of one review, oldest first (the seller's answer comes after the review).
ApiCall ozon_comment_list_call(std::string_view review_id);

/// One page of /v1/review/list: its mentions (text and rating; the product as subject "SKU N" and
/// url its page on ozon.ru) and, for the reviews that have comments, their ids and comment counts,
/// so that the caller can look the seller's answer up.
struct OzonReviewPage {
  ApiPage page;
  std::vector<std::pair<std::string, int>> commented;  ///< review id, comments_amount (> 0)
};

/// `sent` is the call that was made (its body gives the next page's).
Result<OzonReviewPage> parse_ozon_reviews(const ApiCall& sent, const ParseInput& input);

/// The seller's answer in a /v1/review/comment/list answer: the text of its comments (is_owner or
/// is_official), those on the review itself first, joined by blank lines; "" when it has none.
Result<std::string> parse_ozon_seller_reply(std::string_view body);

/// The names of products by SKU: POST /v3/product/info/list {"sku": ["…", …]} (at most 1000).
ApiCall ozon_product_info_call(const std::vector<std::string>& skus);

/// SKU → product name from a /v3/product/info/list answer {"items": [{"sku", "name", "sources":
/// [{"sku"}]}]}: the item's SKU and those of its sources (FBO, FBS) all name it.
Result<std::map<std::string, std::string>> parse_ozon_product_names(std::string_view body);

/// "SKU 1783456012", with « · «Name»» when the name is known.
std::string ozon_subject(std::string_view sku, std::string_view name = "");

/// The product page of an Ozon SKU (https://www.ozon.ru/context/detail/id/SKU/).
std::string ozon_product_url(std::string_view sku);

}  // namespace otklik
