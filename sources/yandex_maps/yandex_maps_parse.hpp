#pragma once
/// The Yandex Maps preset: an organisation's reviews page, GET https://yandex.ru/maps/org/ORG_ID/reviews/
/// (Yandex redirects to the canonical https://yandex.ru/maps/org/SLUG/ORG_ID/reviews/). The page is
/// rendered on the server and holds about 50 reviews (Yandex's default order) with schema.org microdata:
///   div.business-reviews-card-view__review > div.business-review-view[itemprop=review]
///     div.business-review-view__author-name[itemprop=author] > a.business-review-view__link
///         [href=https://yandex.ru/maps/user/PUBLIC_ID] > span[itemprop=name]      the author
///     div.business-rating-badge-view__stars[aria-label="Оценка 2 Из 5"] and
///     span[itemprop=reviewRating] > meta[itemprop=ratingValue][content="2.0"]    1–5 stars
///     span.business-review-view__date > meta[itemprop=datePublished]
///         [content="2024-10-22T19:08:28.394Z"]                                   UTC
///     div.business-review-view__body[itemprop=reviewBody] (.spoiler-view__text-container)
///     div.business-review-comment-content__bubble                                 the answer
/// Reviews carry no id of their own in the markup: a review is known by its author's public id and
/// its publication time. Older reviews load through a signed JSON call of the page's script, so
/// the preset reads this one page and has no paging. A SmartCaptcha page ("Вы не робот?",
/// /showcaptcha) is told apart by detect_block_page before parsing. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <string>
#include <string_view>

namespace otklik {

/// Parses an organisation's reviews page: external_id = "PUBLIC_ID@UNIX_SECONDS" (the content hash
/// when the author has no profile link or the date is missing), url = the page, author and its
/// profile URL, text, rating 1–5, published, company_reply = the organisation's answer when the
/// page shows it. Reviews with only stars are skipped with a warning. A page without review cards
/// that is not an organisation page either (no business-reviews-card-view / orgpage-header-view
/// markup) → parse_failed; an organisation without reviews → an empty page.
Result<ParsedPage> parse_yandex_maps(const ParseInput& input);


/// https://yandex.ru/maps/org/ORG_ID/reviews/ with ORG_ID percent-encoded.
std::string yandex_maps_url(std::string_view org_id);

}  // namespace otklik
