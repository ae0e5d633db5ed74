#pragma once
/// The Google Places preset: a place's reviews on Google Maps through the Places API, in either of
/// its two formats (the parser tells them apart by their shape).
///
/// Place Details (legacy):
///   GET https://maps.googleapis.com/maps/api/place/details/json?place_id=PLACE_ID
///       &fields=reviews,name,url&reviews_sort=newest&language=ru&key=KEY
///   {"html_attributions": [], "status": "OK",
///    "result": {"name": "…", "url": "https://maps.google.com/?cid=…",
///               "reviews": [{"author_name": "…", "author_url": "https://www.google.com/maps/contrib/ID/reviews",
///                            "language": "ru", "original_language": "ru", "translated": false,
///                            "profile_photo_url": "…", "rating": 1..5, "relative_time_description": "…",
///                            "text": "…", "time": UNIX_SECONDS}]}}
///   A refusal keeps the envelope: {"status": "REQUEST_DENIED" | "INVALID_REQUEST" | "NOT_FOUND" |
///   "OVER_QUERY_LIMIT" | "UNKNOWN_ERROR" | "ZERO_RESULTS", "error_message": "…"}.
///   Legacy reviews carry no id of their own.
///
/// Places API (New):
///   GET https://places.googleapis.com/v1/places/PLACE_ID?languageCode=ru
///   with the headers X-Goog-Api-Key: KEY and X-Goog-FieldMask: reviews (or reviews,googleMapsUri)
///   {"reviews": [{"name": "places/PLACE_ID/reviews/REVIEW_ID", "relativePublishTimeDescription": "…",
///                 "rating": 1..5, "text": {"text": "…", "languageCode": "ru"},
///                 "originalText": {"text": "…", "languageCode": "en"},
///                 "authorAttribution": {"displayName": "…", "uri": "https://www.google.com/maps/contrib/ID/reviews",
///                                       "photoUri": "…"},
///                 "publishTime": "2026-11-20T08:15:30.123456Z", "flagContentUri": "…",
///                 "googleMapsUri": "https://www.google.com/maps/reviews/data=…"}],
///    "googleMapsUri": "…"}; a place without reviews answers {}. A refusal is
///   {"error": {"code": 400 | 403 | 404 | 429, "message": "…", "status": "INVALID_ARGUMENT" | …}}.
///
/// Either way Google returns at most five reviews (the newest with reviews_sort=newest in the legacy
/// API, the most relevant in the new one), has no further pages, and gives no owner's reply. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <string>
#include <string_view>

namespace otklik {

/// Parses a Place Details answer of either API: author name and profile URL, rating 1–5, the text
/// (in the requested language; the original when there is no translation), publication time.
/// Legacy reviews get an id from the author's contributor id and the review's time; new ones use
/// their resource name. Reviews without text are skipped with a warning. A status other than OK /
/// ZERO_RESULTS, or an {"error": …} object, fails with Google's message: OVER_QUERY_LIMIT and 429 as
/// rate_limited, REQUEST_DENIED / INVALID_REQUEST / NOT_FOUND as permanent, other HTTP-style
/// errors as http_status.
Result<ParsedPage> parse_google_places(const ParseInput& input);

/// The legacy Place Details URL for a place id (as in Google's Place ID Finder) and a language
/// ("ru", "en"; empty leaves it to Google), newest reviews first; values percent-encoded. The API
/// returns one page of at most five reviews, so the preset has no next page; the key is added
/// per request by the fetcher.
std::string google_places_url(std::string_view place_id, std::string_view language);

}  // namespace otklik
