#pragma once
/// How a preset walks its site's pages: newest first, one page after another, until an item that
/// was already seen, the last page, or the preset's page limit. The walk itself is PagedSource
/// (paged_source.hpp); a preset supplies only the pure step from one page to the next.

#include "sources/generic/parsed_page.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// The URL of the next (older) page, from the URL just fetched, its body and what it held; nullopt
/// when this page was the last (fewer items than a full page, no "next" link, no cursor). Pure.
using NextPageFn =
    std::function<std::optional<std::string>(std::string_view url, std::string_view body, const ParsedPage& page)>;

/// `url` with query parameter `key` set to `value` (replaced when present, appended otherwise;
/// other parameters and their order kept; the value percent-encoded as needed). `url` unchanged
/// when it does not parse as a URL.
std::string with_query_param(std::string_view url, std::string_view key, std::string_view value);

/// "key=value" as with_query_param() writes it into a query (the value percent-encoded).
std::string encoded_query_pair(std::string_view key, std::string_view value);

/// `url` without query parameter `key` (every occurrence); unchanged when it has none or does not parse.
std::string without_query_param(std::string_view url, std::string_view key);

/// `segment` percent-encoded for one path segment ("кафе/бар" → "%D0%BA…%2F%D0%B1…").
std::string percent_encode_segment(std::string_view segment);

/// The value of query parameter `key` in `url` (decoded), nullopt when absent or `url` does not parse.
std::optional<std::string> query_param(std::string_view url, std::string_view key);

}  // namespace otklik
