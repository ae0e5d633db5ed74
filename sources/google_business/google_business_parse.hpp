#pragma once
/// The Google Business Profile preset's calls and answers. Pure: no I/O, no clock.
///
/// Locations (Business Information API v1):
///   GET /v1/accounts/ACCOUNT/locations?readMask=name,title,storefrontAddress,metadata.mapsUri&pageSize=100
///       [&pageToken=…]
///   → {"locations": [{"name": "locations/LOCATION", "title": "…",
///                     "storefrontAddress": {"addressLines": ["Тверская, 12"], "locality": "Москва", …},
///                     "metadata": {"mapsUri": "https://maps.google.com/maps?cid=…"}}],
///      "nextPageToken": "…"}
/// Reviews (My Business API v4), newest update first:
///   GET /v4/accounts/ACCOUNT/locations/LOCATION/reviews?pageSize=50&orderBy=updateTime%20desc[&pageToken=…]
///   → {"reviews": [{"name": "accounts/A/locations/L/reviews/R", "reviewId": "R",
///                   "reviewer": {"displayName": "…", "profilePhotoUrl": "…", "isAnonymous": false},
///                   "starRating": "ONE".."FIVE" | "STAR_RATING_UNSPECIFIED", "comment": "…",
///                   "createTime": "2026-11-20T08:15:42.113Z", "updateTime": "…",
///                   "reviewReply": {"comment": "…", "updateTime": "…"}}],
///      "averageRating": 4.1, "totalReviewCount": 57, "nextPageToken": "…"}

#include "daemon/core/error.hpp"
#include "sources/api/api_call.hpp"
#include "sources/api/api_walk.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

/// One location of the account.
struct GoogleLocation {
  std::string id;        ///< the number in "locations/ID"
  std::string title;     ///< the business name as shown on Google
  std::string address;   ///< storefrontAddress.addressLines joined by ", " ("Тверская, 12")
  std::string maps_uri;  ///< metadata.mapsUri, the place on Google Maps

  /// The location in words for alerts: the address, else the title, else "".
  [[nodiscard]] std::string subject() const;
};

struct GoogleLocationsPage {
  std::vector<GoogleLocation> locations;
  std::optional<ApiCall> next;  ///< the next page of locations, nullopt on the last
};

/// Reviews per page (the API's maximum) and locations per page (likewise).
inline constexpr int kGoogleReviewsPageSize = 50;
inline constexpr int kGoogleLocationsPageSize = 100;

/// The locations of `account_id`, one page (page_token "" = the first).
ApiCall google_locations_call(std::string_view account_id, std::string_view page_token = "");

/// Parses one page of locations. A body that is not a locations answer is parse_failed; a
/// location without a "locations/ID" name is skipped. An empty account is an empty page.
Result<GoogleLocationsPage> parse_google_locations(const ApiCall& sent, std::string_view body,
                                                   std::string_view account_id);

/// One page of a location's reviews, newest update first.
ApiCall google_reviews_call(std::string_view account_id, std::string_view location_id,
                            std::string_view page_token = "");

/// Parses one page of a location's reviews: external_id "gbp:LOCATION:REVIEW", url = the
/// location on Google Maps, author (empty for an anonymous reviewer), rating from starRating
/// (none for STAR_RATING_UNSPECIFIED), published = createTime, text = the comment (the reviewer's
/// own words when Google added a translation), company_reply = reviewReply.comment, subject = the
/// location in words. A review with a rating and no text is left out (nothing to read or answer in
/// words). `next` asks for nextPageToken when the answer gives one.
Result<ApiPage> parse_google_reviews(const ApiCall& sent, const ParseInput& input, std::string_view account_id,
                                     const GoogleLocation& location);

/// "ONE".."FIVE" → 1..5; nullopt for STAR_RATING_UNSPECIFIED and anything else.
std::optional<double> google_star_rating(std::string_view value);

/// The reviewer's own words of a comment Google translated: "(Translated by Google) … (Original) …"
/// gives the part after "(Original)", "… (Translated by Google) …" the part before; other
/// comments as they are.
std::string google_original_text(std::string_view comment);

/// "gbp:LOCATION:" — how the external ids of a location's reviews begin.
std::string google_review_id_prefix(std::string_view location_id);

}  // namespace otklik
