#pragma once
/// The VK preset: posts that mention the brand, found by the API method newsfeed.search,
///   GET https://api.vk.com/method/newsfeed.search?q=QUERY&count=200&extended=1&v=5.199
///       &access_token=TOKEN (a service token of a VK app; the fetcher adds it)
/// answering {"response": {"items": [post…], "profiles": [user…], "groups": [group…], "count": N,
/// "total_count": N, "next_from": "…"}} with the newest posts first. A post: id, owner_id (the
/// wall: a user, or minus a community's id), from_id (who wrote it), date (Unix seconds), text,
/// post_type ("post", "copy", "reply"…), copy_history (a repost's original). A user: id,
/// first_name, last_name, screen_name; a community: id, name, screen_name.
/// An error answers HTTP 200 with {"error": {"error_code": N, "error_msg": "…"}}: 5 (authorisation
/// failed), 15 and 17 (access) are for good; 6, 9 and 29 (too many requests, flood control, rate
/// limit) are rate limits; the rest are reported and retried. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses one answer into mentions: id = "OWNER_ID_POST_ID", url = https://vk.com/wallOWNER_ID_POST_ID,
/// author = the user's "first last" or the community's name, author_id = https://vk.com/SCREEN_NAME
/// (or idN / clubN), text = the post's text (a repost without words of its own: the original's
/// text), date. Posts without text are skipped with a warning. An error object fails as above.
Result<ParsedPage> parse_vk_search(const ParseInput& input);

/// The next (older) page: start_from = the answer's next_from; nullopt when there is none.
std::optional<std::string> next_vk_search_page(std::string_view url, std::string_view body, const ParsedPage& page);

/// The first page's URL for a search query (without the token).
std::string vk_search_url(std::string_view query);

}  // namespace otklik
