#pragma once
/// The App Store preset: an app's customer reviews as Apple's JSON feed,
/// GET https://itunes.apple.com/COUNTRY/rss/customerreviews/page=1/id=APP_ID/sortby=mostrecent/json
/// (pages 1–10, 50 reviews each, newest first). The feed is Atom turned into JSON: every value is
/// {"label": …}; feed.entry is an array of reviews (or one object when there is only one), each with
/// id, title, content, im:rating (1–5), im:version, author.name / author.uri and updated. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

namespace otklik {

/// Parses a reviews page into mentions: rating 1–5 (already the 0..5 scale), the author's name and
/// profile URL, the app version in the title ("2.14 · Title"). Entries without a rating (the app's
/// own entry in older feeds) are not reviews and are left out. A page without entries is an empty
/// page (a new app, or past the last page).
Result<ParsedPage> parse_app_store_reviews(const ParseInput& input);

}  // namespace otklik
