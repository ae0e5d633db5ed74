#pragma once
/// Small steps shared by the parsers of feeds, pages and site presets.

#include "daemon/core/mention.hpp"
#include "sources/generic/parsed_page.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// A single-line cleaned string (author, title, id): sanitised UTF-8, markup kept as is,
/// whitespace (including line breaks) collapsed to single spaces.
std::string one_line(std::string_view text);

/// A number in text: "4", "4.5", "4,5", " 3 из 5", "★ 4.0/5" → the first number; nullopt if none.
std::optional<double> parse_number(std::string_view text);

/// `value` on a 0..`scale` scale mapped to 0..5 and clamped; nullopt for a non-positive scale or
/// a value that is not finite.
std::optional<double> normalise_rating(double value, double scale);

/// A new Mention of the parsed source: its source name, brand and fetch time set.
Mention mention_of(const ParseInput& input);

/// Fills external_id with content_hash_id() when it is empty (after the other fields are set).
void assign_missing_id(Mention& m);

/// Adds `m` to the page with its id filled in, or, when it has no text, skips it with the warning
/// `when_empty` ("review #3: skipped, no text").
void keep_with_text(ParsedPage& page, Mention&& m, const std::string& when_empty);

/// "Name" from an RSS author value "mail@example.org (Name)"; the value itself otherwise.
std::string author_display_name(std::string_view rss_author);

}  // namespace otklik
