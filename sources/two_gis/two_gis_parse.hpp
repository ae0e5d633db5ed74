#pragma once
/// The 2GIS preset: a branch's reviews through the public reviews API that the 2gis.ru pages use,
///   GET https://public-api.reviews.2gis.com/2.0/branches/BRANCH_ID/reviews?limit=50&offset=0
///       &is_advertiser=false&fields=meta.providers,meta.branch_rating,meta.branch_reviews_count,
///       meta.total_count,reviews.hiding_reason,reviews.is_verified&without_my_first_review=false
///       &rated=true&sort_by=date_edited&key=KEY&locale=ru_RU
/// The answer is a JSON object:
///   {"meta": {"code": 200, "total_count": N, "branch_rating": 4.1, "branch_reviews_count": N,
///             "next_link": "https://public-api.reviews.2gis.com/2.0/…" (when the API gives one)},
///    "reviews": [{"id": "…", "text": "…", "rating": 1..5, "date_created": "2026-11-20T18:03:11.4+07:00",
///                 "date_edited": … or null, "url": "https://2gis.ru/reviews/BRANCH_ID/review/ID",
///                 "is_hidden": false, "hiding_reason": null, "provider": "2gis",
///                 "user": {"id": "…", "public_id": "…", "name": "…", "reviews_count": N},
///                 "official_answer": {"id": "…", "org_name": "…", "text": "…", "date_created": "…"} or null,
///                 "object": {"id": "BRANCH_ID", "type": "branch"}, …}]}
/// A refused request answers {"meta": {"code": 403, "error": {"type": "…", "message": "…"}}}.
/// The key is the one the 2gis.ru pages send (or a partner key). Pages go by offset; the newest
/// edited reviews come first. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses one page of a branch's reviews: id, url (the review's own link, else
/// https://2gis.ru/reviews/BRANCH_ID/review/ID as the site links it), the author's name and public id, rating 1–5, date_created, the official answer
/// as company_reply. Hidden reviews and reviews without text are skipped with a warning. An API
/// error object fails with its message (http_status, or rate_limited for 429); a body that is not
/// a reviews answer fails as parse_failed; a page without reviews is an empty page.
Result<ParsedPage> parse_two_gis(const ParseInput& input);

/// The next (older) page: meta.next_link when the API gives one on the same host; otherwise the
/// same URL with offset advanced by the reviews on this page. nullopt when the page held fewer
/// reviews than its limit (default 50) or the offset reached meta.total_count.
std::optional<std::string> next_two_gis_page(std::string_view url, std::string_view body, const ParsedPage& page);

/// The first page's URL for a branch id (as in https://2gis.ru/CITY/firm/BRANCH_ID) and a locale
/// such as "ru_RU" (empty → ru_RU), values percent-encoded. The API key is added per request by
/// the fetcher (FeedOptions::key_param), never built into the URL.
std::string two_gis_url(std::string_view branch_id, std::string_view locale);

}  // namespace otklik
