#pragma once
/// The otzovik.com preset: the reviews of one product or company, GET https://otzovik.com/reviews/SLUG/
/// (older pages https://otzovik.com/reviews/SLUG/2/, /3/ …, linked by a.pager-item.next). The page
/// is windows-1251 HTML with schema.org microdata; each review is a teaser card:
///   div.item[itemprop=review]
///     a.user-login[href=/profile/LOGIN] > span[itemprop=name]               the author
///     div.rating-score > span ("4")  (1–5 stars)
///     div.review-postdate[content="2026-11-23T10:15:00+03:00"] ("23 ноя 2026")
///     a.review-title[href=/review_ID.html]                                    title and link
///     div.review-teaser                                                       the first lines
///     a.review-btn.review-read-link[href=/review_ID.html]                     «Читать весь отзыв»
/// The full text and the official representatives' comments are on each review's own page; the
/// list gives the teaser only. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses a list page: external_id = ID of review_ID.html, url = https://otzovik.com/review_ID.html,
/// author and profile URL, title, text = the teaser, rating 1–5, published (the microdata time, or
/// the shown date), company_reply = "" (not on the list). Cards without a teaser are skipped with a
/// warning. A page with no review cards that is not an otzovik.com page → parse_failed; an
/// otzovik.com page without cards → an empty page.
Result<ParsedPage> parse_otzovik(const ParseInput& input);

/// The href of the page's a.pager-item.next resolved against `url`; nullopt when there is none.
std::optional<std::string> next_otzovik_page(std::string_view url, std::string_view body, const ParsedPage& page);

/// https://otzovik.com/reviews/SLUG/ (the slug as in the product's address; percent-encoded).
std::string otzovik_url(std::string_view slug);

}  // namespace otklik
