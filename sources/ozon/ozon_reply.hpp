#pragma once
/// The seller's answers to Ozon reviews, published as the seller's comment through the Seller
/// API's ReviewAPI with the source's client: the same base URL, Client-Id / Api-Key and request
/// budget as the source that reads the reviews.
///
/// Documentation followed: docs.ozon.ru/api/seller (ReviewAPI, read in its published OpenAPI
/// description; the methods need the seller's review subscription, see docs/sources.md):
/// - «Оставить комментарий на отзыв»: POST /v1/review/comment/create {"review_id", "text",
///   "mark_review_as_processed", "parent_comment_id"} → {"comment_id"}. The text's length is not
///   documented: nothing is refused locally but an empty text, and Ozon's own refusal comes back.
/// - «Удалить комментарий на отзыв»: POST /v1/review/comment/delete {"comment_id"} → {}. The API
///   has no edit: an edit deletes the seller's comment and creates the new one.
/// - «Список комментариев на отзыв»: POST /v1/review/comment/list {"review_id", "limit",
///   "offset", "sort_dir"} → {"comments": [{"id", "text", "is_owner", "is_official",
///   "parent_comment_id", "published_at"}], "offset"}. It lists only comments that passed
///   moderation, so a comment just created may not be there yet.
/// - Errors: rpcStatus {"code", "message", "details"} with a 4xx / 5xx status (gRPC codes: 3 bad
///   argument, 5 not found, 7 no rights, 16 a refused key); 429 "You have reached request rate
///   limit per second".

#include "sources/api/api_call.hpp"
#include "sources/api/reply_poster.hpp"
#include "sources/api/request_budget.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace otklik {

struct SourceConfig;

/// What Ozon takes: any non-empty text (no documented limit); an edit is delete + create.
ReplyLimits ozon_reply_limits();

/// POST /v1/review/comment/create: `text` as the seller's comment on review `review_id`, marking
/// the review processed (an answered review leaves the unprocessed list the source reads).
ApiCall ozon_comment_create_call(std::string_view review_id, std::string_view text);

/// POST /v1/review/comment/delete of the seller's comment `comment_id`.
ApiCall ozon_comment_delete_call(std::string_view comment_id);

/// The seller's answer in a /v1/review/comment/list answer: its newest comment (is_owner or
/// is_official) on the review itself, not in a thread; nullopt when there is none.
Result<std::optional<SiteAnswer>> parse_ozon_answer(std::string_view body);

/// The comment id of a /v1/review/comment/create answer {"comment_id": "…"}.
Result<std::string> parse_ozon_comment_id(std::string_view body);

/// The poster of a validated `ozon` source.
std::unique_ptr<ReplyPoster> make_ozon_replier(const SourceConfig& config, BudgetBook& budgets);

}  // namespace otklik
