#pragma once
/// The Mastodon preset: the public timeline of a hashtag on one instance,
/// GET https://INSTANCE/api/v1/timelines/tag/HASHTAG?limit=40 (no token needed where the instance
/// allows public timelines): a JSON array of Status entities, newest first. Each status: `id`,
/// `created_at` (ISO 8601), `url` (the page), `content` (HTML), `spoiler_text` (a content warning),
/// `account` {`acct`, `display_name`, `url`}. Boosts carry the original under `reblog` and an empty
/// `content`; they are skipped (the original appears itself). Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses a hashtag timeline page into mentions: text = content as text (with the content
/// warning, when there is one, as the title), author = display name (or the handle), author_id =
/// the account's URL.
Result<ParsedPage> parse_mastodon_statuses(const ParseInput& input);

/// Mastodon search, GET https://INSTANCE/api/v2/search?q=QUERY&type=statuses&resolve=false&limit=40
/// with an access token (Authorization: Bearer; an application's token with the read:search
/// scope): {"accounts": [], "statuses": [Status…], "hashtags": []}, newest first. Which statuses a
/// full-text search finds is the instance's choice (full-text search must be enabled there, and
/// it finds public posts whose authors allowed search). The statuses are read as a timeline's.
Result<ParsedPage> parse_mastodon_search(const ParseInput& input);

/// The next (older) page of a search: max_id = the last status, while the page was full.
std::optional<std::string> next_mastodon_search_page(std::string_view url, std::string_view body,
                                                     const ParsedPage& page);

/// https://INSTANCE/api/v2/search?q=QUERY&type=statuses&resolve=false&limit=40
std::string mastodon_search_url(std::string_view instance, std::string_view query);

/// https://INSTANCE/api/v1/timelines/tag/TAG?limit=40 (the instance's host, the tag without '#').
std::string mastodon_tag_url(std::string_view instance, std::string_view tag);

/// The next (older) page: `max_id` = the id of the last status in the body, while the page was
/// full (`limit` statuses, 20 when the URL sets none); nullopt otherwise.
std::optional<std::string> next_mastodon_page(std::string_view url, std::string_view body, const ParsedPage& page);

}  // namespace otklik
