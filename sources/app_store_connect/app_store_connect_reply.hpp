#pragma once
/// The developer's response to an App Store review, through the App Store Connect API client the
/// source reads the reviews with (app_store_connect_api.hpp: the same key, JWT and hourly budget).
///
/// Documentation followed (developer.apple.com/documentation/appstoreconnectapi, "Customer Review
/// Responses"; the field lists as in Apple's OpenAPI description):
///   Read customer review information
///     GET /v1/customerReviews/{id}?include=response&fields[customerReviews]=response
///         &fields[customerReviewResponses]=responseBody,lastModifiedDate,state
///     → {"data": {"type": "customerReviews", "id", "relationships": {"response": {"data":
///        {"type": "customerReviewResponses", "id"} | null}}},
///        "included": [{"type": "customerReviewResponses", "id", "attributes": {"responseBody",
///        "lastModifiedDate", "state": "PUBLISHED" | "PENDING_PUBLISH"}}]}
///     The review itself is read (not GET …/{id}/response) so that "no response" and "no such
///     review" stay apart: the first is a null relationship, the second a 404.
///   Create or update a response to a customer review
///     POST /v1/customerReviewResponses
///     {"data": {"type": "customerReviewResponses", "attributes": {"responseBody": "…"},
///               "relationships": {"review": {"data": {"type": "customerReviews", "id": "…"}}}}}
///     → 201 CustomerReviewResponseV1Response {"data": {"type": "customerReviewResponses", "id",
///       "attributes": {"responseBody", "lastModifiedDate", "state"}}}.
///     "If a response already exists, this endpoint updates the response by overwriting it": an
///     edit is the same call. A response is PENDING_PUBLISH until Apple has checked it.
/// Errors are ErrorResponse {"errors": [{"status", "code", "title", "detail"}]}: 404 NOT_FOUND (the
/// review was deleted), 409 ENTITY_ERROR (a body Apple refuses), 403 FORBIDDEN_ERROR (a key whose
/// role may not answer: the ApiClient reads 401/403 as errc::unauthorized), 429 RATE_LIMIT_EXCEEDED.
/// The API reference names no length limit; App Store Connect's answer form takes 5970 characters,
/// which is the limit kept here.
///
/// The review is found from its mention: external_id "asc:<review id>".

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

inline constexpr std::size_t kAscReplyMaxChars = 5970;

/// The review id of an "asc:<id>" external id; nullopt for any other.
std::optional<std::string> asc_review_id(std::string_view external_id);

/// GET /v1/customerReviews/{id} with the response included (brackets percent-encoded).
ApiCall asc_review_response_call(std::string_view review_id);
/// POST /v1/customerReviewResponses with the JSON:API body.
ApiCall asc_response_post_call(std::string_view review_id, std::string_view text);

/// The response in a customer review document; nullopt when its relationship is null or the
/// included response has no body. Not a review document: parse_failed.
Result<std::optional<SiteAnswer>> parse_asc_review_response(std::string_view body);
/// The response a POST created or replaced; `sent` stands for the text when the answer leaves it out.
Result<SiteAnswer> parse_asc_response_created(std::string_view body, std::string_view sent);

/// The poster of a validated app_store_connect [[source]]: make_asc_client with the same BudgetBook.
std::unique_ptr<ReplyPoster> make_app_store_connect_replier(const SourceConfig& config, BudgetBook& budgets);

}  // namespace otklik
