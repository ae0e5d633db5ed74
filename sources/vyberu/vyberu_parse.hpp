#pragma once
/// The vbr.ru preset (Выберу.ру): a bank's reviews, the server-rendered HTML pages
///   GET https://www.vbr.ru/banki/BANK/otzivy/           (newest first)
///   GET https://www.vbr.ru/banki/BANK/otzivy/?page=N    (older pages; the older layout: …/otzivy/N/)
/// Each review is an item of the list, in the markup open-source scrapers of the site read:
///   div.reviews-list > div.reviews-list-item            (the older layout: div.reviews-card.-emoji)
///     .avatar-title                 the author's name
///     .avatar-title-text            the line under it: the review's headline (or, on a card with a
///                                   title of its own, what the review is about)
///     .rating-star-simple           the grade, 1–5
///     .created                      the date, "23.11.2026" (older layout: .avatar-title-date,
///                                   "23.11.2026 10:15"); Moscow time
///     div.reviews-text > p.teaser   the text, with the rest of a long text in .full.hidden
///     «Ответ банка»                 the bank's answer, under its heading
///   li.pager-item-next > button     the pager's "next" (disabled on the last page)
/// and, read where a card has them: the review's id (@data-id, @data-review-id, id="review-N", or
/// the number in its link), its own title and link (a.reviews-title / a.reviews-card-title), the
/// answer's block (an element whose class holds "answer"; its text part "…answer-text"). Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses a reviews page: external_id = "vbr-" + the review's id (a content hash when the card has
/// none), url = the review's link (resolved against the page; the bank's reviews page when the card
/// has none), title, text (teaser and hidden rest, without «Показать полностью»), author, rating 1–5,
/// published (Moscow time → UTC; "сегодня"/"вчера" relative to the fetch time), company_reply = the
/// bank's answer without its heading, subject = what the review is about when the card also has a
/// title of its own. Cards without text are skipped with a warning. A page with no cards that is not a vbr.ru page → parse_failed; a vbr.ru
/// page without cards → an empty page.
Result<ParsedPage> parse_vyberu(const ParseInput& input);

/// The next older page while the page has a next one (the pager's "next" not disabled, or a link to
/// page N+1) or held a full page of reviews (10 or more): …/otzivy/?page=N+1 (other query parameters
/// kept), or …/otzivy/N+1/ when `url` has that form. nullopt on an empty or last page.
std::optional<std::string> next_vyberu_page(std::string_view url, std::string_view body, const ParsedPage& page);

/// https://www.vbr.ru/banki/BANK/otzivy/ (the bank's name as in its vbr.ru address; percent-encoded).
std::string vyberu_url(std::string_view bank);

/// A date as vbr.ru shows it, in Moscow time → UTC; "сегодня"/"вчера" count from `now`. nullopt when
/// not recognised.
std::optional<TimePoint> parse_vyberu_date(std::string_view text, TimePoint now);

}  // namespace otklik
