#pragma once
/// The Reddit preset: search results as JSON,
/// GET https://www.reddit.com/search.json?q=QUERY&sort=new&limit=100 (or a subreddit's
/// /r/NAME/search.json?restrict_sr=1&q=…): a Listing {"data": {"children": [{"kind": "t3",
/// "data": {"name", "title", "selftext", "author", "permalink", "created_utc", "subreddit"}}]}}.
/// Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses a search Listing into mentions: id = the fullname ("t3_abc"), title, text = the
/// post's own text or, for a link post, its title; author and their profile as author id (none
/// for "[deleted]"); url = https://www.reddit.com + permalink; date = created_utc.
Result<ParsedPage> parse_reddit_listing(const ParseInput& input);

/// https://www.reddit.com/search.json?q=QUERY&sort=new&limit=100&type=link (QUERY percent-encoded;
/// Reddit's search syntax works: `"rocket bank" OR rocketbank`, `subreddit:name`).
std::string reddit_search_url(std::string_view query);

/// The next (older) page: `after` = the listing's data.after; nullopt when it is null or absent.
std::optional<std::string> next_reddit_page(std::string_view url, std::string_view body, const ParsedPage& page);

}  // namespace otklik
