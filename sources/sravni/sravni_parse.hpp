#pragma once
/// The sravni.ru preset (Сравни.ру): the reviews of one bank or insurance company from the JSON list
/// the site's reviews pages load (https://www.sravni.ru/bank/ALIAS/otzyvy/,
/// https://www.sravni.ru/strakhovaja-kompanija/ALIAS/otzyvy/):
///   GET https://www.sravni.ru/proxy-reviews/reviews?filterBy=all&newIds=true&orderBy=byDate&pageIndex=N
///       &pageSize=20&rated=any&reviewObjectId=OBJECT_ID&reviewObjectType=banks|insuranceCompany&withVotes=true
/// newest first (orderBy=byDate), pageIndex from 0:
///   {"items": [{"id": 1126129, "title": "…", "text": "…" (plain text, sometimes with HTML),
///     "rating": 1 (1–5; null or "" when none), "date": "2026-11-23T07:15:00.123456Z" (UTC),
///     "createdToMoscow": "2026-11-23T10:15:00.123456" (the same in Moscow time),
///     "authorName": "Дарья", "authorLastName": "…", "userId": …, "reviewObjectId": "…",
///     "reviewObjectType": "banks", "reviewTag": "creditCards", "specificProductName": "…",
///     "locationData": {"name": "Армавир", "fullName": "…"}, "commentsCount": 1,
///     "hasCompanyResponse": true, "problemSolved": false, "ratingStatus": "…", …}, …],
///    "total": 1234}
/// The list says whether the company answered (hasCompanyResponse) but not what: the answer is on
/// the review's own page, https://www.sravni.ru/bank/ALIAS/otzyvy/ID/ . This is the site's internal
/// endpoint as open-source scrapers call it, not a documented API. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// What the reviews are about: a bank or an insurance company (the list's reviewObjectType and the
/// section of the site's review addresses differ).
enum class SravniKind { bank, insurance };

/// "bank" / "insurance" → the kind; nullopt for anything else.
std::optional<SravniKind> sravni_kind(std::string_view name);

/// The company's reviews to read: the kind and the company's alias in its reviews address (for the
/// reviews' links; "" when unknown: the mentions then have no link).
struct SravniTarget {
  SravniKind kind = SravniKind::bank;
  std::string alias;
};

/// company_reply of a review the company answered: the list gives no answer text.
inline constexpr std::string_view kSravniAnswered = "Компания ответила на отзыв на sravni.ru (текст ответа — на странице отзыва).";

/// Parses one page of the list: external_id = "sravni-" + id, url = the review's page, title, text
/// (HTML reduced), author = authorName + authorLastName, author_id = userId, rating 1–5, published =
/// date (UTC; createdToMoscow taken as Moscow time when date is absent), company_reply =
/// kSravniAnswered when hasCompanyResponse is true, subject = the product area (reviewTag in words),
/// the product's name and the author's city. Reviews without text are skipped with a warning.
/// A body that is not JSON or has no "items" array → parse_failed; "items": [] → an empty page.
Result<ParsedPage> parse_sravni(const ParseInput& input, const SravniTarget& target);

/// `url` with pageIndex=N+1 while pages remain: (N+1)·pageSize < "total", or, without "total", while
/// the page was full. nullopt on the last page, an empty page, or a body that is not the list.
std::optional<std::string> next_sravni_page(std::string_view url, std::string_view body, const ParsedPage& page);

/// The first page's URL for the company with reviewObjectId `object_id`.
std::string sravni_url(std::string_view object_id, SravniKind kind);

/// https://www.sravni.ru/bank/ALIAS/otzyvy/ID/ (or strakhovaja-kompanija/ for insurers); "" when
/// alias or id is empty.
std::string sravni_review_url(const SravniTarget& target, std::string_view id);

/// The words for a reviewTag ("creditCards" → "Кредитные карты"); "" for a tag not known.
std::string sravni_tag_words(std::string_view tag);

}  // namespace otklik
