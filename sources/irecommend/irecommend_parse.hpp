#pragma once
/// The irecommend.ru preset: the reviews of one product or company, GET
/// https://irecommend.ru/content/SLUG?new=1 (newest first; older pages ?new=1&page=1, 2 … —
/// zero-based, the first page has none — while the Drupal pager shows li.pager-next). UTF-8 HTML;
/// each review is a teaser in the list:
///   ul.list-comments > li
///     div.authorName > a[href=/users/NAME]                          the author
///     div.starsRating > div.star > div.on (one per filled star)     1–5 stars
///     div.created > span.date-created ("23.11.2026") [span.time-created]
///     div.reviewTitle > a[href=/content/REVIEW-SLUG]                 title and link
///     a.reviewTextSnippet[href=/content/REVIEW-SLUG] > span.reviewTeaserText   the first lines
/// The full text is on each review's own page; the list gives the teaser only. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses a list page: external_id = the review's path (/content/REVIEW-SLUG), url = its page,
/// author and profile URL, title, text = the teaser, rating = the filled stars (1–5), published =
/// the shown date (midnight UTC), company_reply = "" (irecommend has no official answers). Items
/// without a teaser are skipped with a warning. A page with no review items that is not an
/// irecommend.ru page → parse_failed; an irecommend.ru page without reviews → an empty page.
Result<ParsedPage> parse_irecommend(const ParseInput& input);

/// `url` with page=N+1 (N = its page, 0 when absent) while the page has a pager's next link
/// (li.pager-next); nullopt on the last page.
std::optional<std::string> next_irecommend_page(std::string_view url, std::string_view body, const ParsedPage& page);

/// https://irecommend.ru/content/SLUG?new=1 (the slug as in the product's address; percent-encoded).
std::string irecommend_url(std::string_view slug);

}  // namespace otklik
