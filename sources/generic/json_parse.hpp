#pragma once
/// A JSON document → Mentions through configured JSON pointers (RFC 6901). Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/item_mapping.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses `input.body` (UTF-8 JSON; invalid UTF-8 inside strings is replaced, not fatal) and maps
/// each element of the array at `mapping.items` ("" = the root) to a Mention; an object there maps
/// each of its member values. Field pointers are relative to the item. Strings and numbers are
/// accepted for id and rating; a date is an ISO 8601 / RFC 822 string (or `date_format`) or a
/// number of unix seconds (milliseconds when above 10^10); an array of strings in `text` is joined
/// with line breaks. Items without text are skipped with a warning; a pointer that matches nothing
/// gives an empty page. Malformed JSON → parse_failed with line, column and byte offset.
Result<ParsedPage> parse_json(const ParseInput& input, const ItemMapping& mapping);

/// Why `pointer` is not a valid JSON pointer ("" and "/a/b" are; "a" is not); nullopt if valid.
std::optional<std::string> json_pointer_error(std::string_view pointer);

}  // namespace otklik
