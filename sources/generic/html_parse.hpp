#pragma once
/// An HTML page → Mentions through configured XPath expressions. Pure.

#include "daemon/core/error.hpp"
#include "sources/generic/item_mapping.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses `input.body` with libxml2's recovering HTML parser (no network) and maps every node
/// matched by `mapping.items` to a Mention. Each field expression is evaluated with the item as
/// the context node: a node-set gives the string value of its first node — except `text` and
/// `reply`, which join the text of every node (with <br> and block elements as line breaks,
/// script/style dropped); any other result is converted as XPath string() does.
/// Items without text are skipped with a warning; no matching items = an empty page.
/// An XPath expression that does not compile → invalid_input (validation catches it earlier).
Result<ParsedPage> parse_html(const ParseInput& input, const ItemMapping& mapping);

/// The libxml2 message when `expression` is not a valid XPath 1.0 expression; nullopt if valid.
std::optional<std::string> xpath_error(std::string_view expression);

}  // namespace otklik
