#pragma once
/// App Store Connect customer reviews: the calls of "List all customer reviews for an app"
/// (GET /v1/apps/{id}/customerReviews) and the parser of its CustomerReviewsResponse. Pure.
///
/// The answer (JSON:API): data[] of {"type": "customerReviews", "id", "attributes": {rating 1–5,
/// title, body, reviewerNickname, createdDate (ISO 8601 with offset), territory (ISO 3166-1
/// alpha-3)}, "relationships": {"response": {"data": {"type": "customerReviewResponses", "id"}}}};
/// included[] of {"type": "customerReviewResponses", "id", "attributes": {responseBody,
/// lastModifiedDate, state: PUBLISHED | PENDING_PUBLISH}}; links.next = the next page's absolute URL
/// (with an opaque cursor), absent on the last page.

#include "sources/api/api_walk.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// The most reviews one page may hold (the API's limit maximum).
inline constexpr int kAscPageLimit = 200;

/// What the list call asks for.
struct AscReviewsQuery {
  std::string app_id;                 ///< the app's Apple ID (digits)
  std::string territory;              ///< filter[territory]: "RUS" or "RUS,KAZ"; "" = every territory
  std::optional<bool> answered;       ///< exists[publishedResponse]; nullopt = all reviews
  int limit = kAscPageLimit;
};

/// GET /v1/apps/{id}/customerReviews?sort=-createdDate&limit=…&include=response&fields[…]=…
/// (brackets percent-encoded), newest first, with the developer responses included.
ApiCall asc_reviews_call(const AscReviewsQuery& query);

/// The call for links.next: its path and query, asked of the client's own base URL, so that the
/// token never travels to another host. nullopt for an empty or unusable link.
std::optional<ApiCall> asc_next_call(std::string_view next_link);

/// How alerts name the app: `app_name` when the config gives one, "app <id>" otherwise.
struct AscApp {
  std::string app_id;
  std::string app_name;
};

/// A territory code in words ("RUS" → "Россия", "USA" → "США"); the code itself when unknown.
std::string asc_territory_name(std::string_view code);

/// The mention's subject: "Рокетбанк · Россия", "app 1234567890 · USA"; the app alone without a
/// territory.
std::string asc_subject(const AscApp& app, std::string_view territory);

/// The page of App Store Connect where the app's reviews are answered.
std::string asc_reviews_page(std::string_view app_id);

/// One answer: a mention per review (external_id "asc:<id>"), the developer response as the
/// company's reply, the call for the next page. A body that is not a reviews document is
/// parse_failed; odd reviews are kept or skipped with a warning.
Result<ApiPage> parse_asc_reviews(const ApiCall& sent, const ParseInput& input, const AscApp& app);

}  // namespace otklik
