#pragma once
/// The App Store preset: an app's customer reviews as Apple's JSON feed,
/// GET https://itunes.apple.com/COUNTRY/rss/customerreviews/page=1/id=APP_ID/sortby=mostrecent/json
/// (pages 1–10, 50 reviews each, newest first). The feed is Atom turned into JSON: every value is
/// {"label": …}; feed.entry is an array of reviews (or one object when there is only one), each with
/// id, title, content, im:rating (1–5), im:version, author.name / author.uri and updated. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses a reviews page into mentions: rating 1–5 (already the 0..5 scale), the author's name and
/// profile URL, the app version in the title ("2.14 · Title"). Entries without a rating (the app's
/// own entry in older feeds) are not reviews and are left out. A page without entries is an empty
/// page (a new app, or past the last page).
Result<ParsedPage> parse_app_store_reviews(const ParseInput& input);

/// The first page of an app's reviews in one country's store (ISO 3166 code, "ru", "us").
std::string app_store_url(std::string_view country, std::string_view app_id);

/// The next page: "/page=N/" → "/page=N+1/" while the page was full (50 entries) and N < 10 (the
/// feed serves ten pages); nullopt otherwise.
std::optional<std::string> next_app_store_page(std::string_view url, std::string_view body, const ParsedPage& page);

}  // namespace otklik
