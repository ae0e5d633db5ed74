#pragma once
/// The App Store preset: an app's customer reviews from Apple's public feed,
/// GET https://itunes.apple.com/COUNTRY/rss/customerreviews/page=1/id=APP_ID/sortby=mostrecent/xml
/// (pages 1–10, 50 reviews each, newest first). The /xml form is Atom: each review an <entry> with
/// id, title, content type="text" (and its HTML rendering, type="html"), im:rating (1–5),
/// im:version, author/name and author/uri, and <updated>, the time of the review. The same feed as
/// /json (every value as {"label": …}) carries no per-review `updated`, so the preset reads the
/// XML; a `url` that points at the JSON form still works, its reviews without a date. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses a reviews page, XML or JSON (told apart by the first character), into mentions: rating
/// 1–5 (already the 0..5 scale), the author's name and profile URL, the app version in the title
/// ("2.14 · Title"), the review's time from `updated` (XML; in JSON only when present, which
/// Apple's JSON does not do: `published` stays empty). Entries without a rating (the app's own
/// entry in older feeds) are not reviews and are left out. A page without entries is an empty
/// page (a new app, or past the last page).
Result<ParsedPage> parse_app_store_reviews(const ParseInput& input);

/// The first page of an app's reviews in one country's store (ISO 3166 code, "ru", "us"), the
/// /xml form.
std::string app_store_url(std::string_view country, std::string_view app_id);

/// The next page: "/page=N/" → "/page=N+1/" while the page (XML or JSON) was full (50 entries) and
/// N < 10 (the feed serves ten pages); nullopt otherwise.
std::optional<std::string> next_app_store_page(std::string_view url, std::string_view body, const ParsedPage& page);

}  // namespace otklik
