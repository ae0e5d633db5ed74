#pragma once
/// The Trustpilot preset: a company's public review page,
///   GET https://www.trustpilot.com/review/DOMAIN?languages=all&sort=recency&page=N
/// (any country host works: uk., de., …). The page is rendered by Next.js and carries its data in
///   <script id="__NEXT_DATA__" type="application/json">{"props": {"pageProps": {…}}, "page": "/review/[businessUnit]", …}</script>
/// where pageProps holds
///   "businessUnit": {"id", "displayName", "identifyingName", "numberOfReviews", "trustScore", …},
///   "reviews": [{"id": "24-hex", "title", "text", "rating": 1..5, "language", "likes",
///                "filtered", "pending", "source", "labels": {"verification": {"isVerified", …}, …},
///                "dates": {"experiencedDate", "publishedDate": "2026-11-20T14:03:11.000Z", "updatedDate", …},
///                "consumer": {"id": "24-hex", "displayName", "countryCode", "numberOfReviews", …},
///                "reply": {"message", "publishedDate", "updatedDate"} or null, …}],
///   "filters": {"pagination": {"currentPage", "perPage": 20, "totalCount", "totalPages"}, "selected": {…}, …}.
/// A review's own page is https://HOST/reviews/ID and a consumer's https://HOST/users/ID. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses a company's review page: id, title, text, rating 1–5, publishedDate, the consumer's name
/// and profile URL, the company's reply. Reviews without text are skipped with a warning. A page
/// without a __NEXT_DATA__ script, or whose data is not a review page, fails as parse_failed; a
/// company without reviews is an empty page.
Result<ParsedPage> parse_trustpilot(const ParseInput& input);

/// The next (older) page from filters.pagination: the same URL with page=currentPage+1 while
/// currentPage < totalPages; nullopt on the last page or when the page says nothing of paging.
std::optional<std::string> next_trustpilot_page(std::string_view url, std::string_view body, const ParsedPage& page);

/// The first page's URL for a company's domain as Trustpilot names it ("example.com",
/// "www.example.co.uk"), newest first, in `languages` ("all" when empty, or "en", "ru" …).
std::string trustpilot_url(std::string_view domain, std::string_view languages);

}  // namespace otklik
