#pragma once
/// The paging state a preset keeps between polls (SourceState::cursor) and the rule that stops a
/// walk through older pages. Pure.
///
/// A poll reads page 1 (newest first) and then older pages while every item on the page just read
/// is new: it stops at the first page holding an item seen on the previous poll, at the site's last
/// page, or after the preset's page limit. The cursor keeps the ids of the newest items of the last
/// complete walk. The first poll of a source (no cursor) reads one page: the silent baseline needs
/// no history. A walk cut short by a failing page keeps the previous cursor, so the next poll walks
/// down to the same place again and nothing between is skipped.

#include "daemon/core/mention.hpp"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

/// How many ids of the newest items the cursor keeps.
inline constexpr std::size_t kCursorIds = 100;

/// The ids kept in `cursor` (empty for "" or a cursor in another format).
std::set<std::string> seen_ids(std::string_view cursor);

/// The cursor for the walk that read `mentions` (newest first): their first kCursorIds ids.
std::string make_cursor(const std::vector<Mention>& mentions);

/// Whether any of `page` was seen before.
bool reaches_seen(const std::vector<Mention>& page, const std::set<std::string>& seen);

}  // namespace otklik
