#pragma once
/// Validation of the type-specific keys of generic sources (`SourceConfig::options`) and their
/// decoding into an ItemMapping. Every problem names its key path and line.

#include "daemon/config/config.hpp"
#include "daemon/config/config_load.hpp"
#include "sources/generic/item_mapping.hpp"

#include <string>

namespace otklik {

/// `rss` (and the presets that take only a URL) take no type-specific keys: any key in `options`
/// is reported as unknown for the source's type.
void validate_rss_options(const SourceConfig& source, const std::string& key_prefix, ConfigProblems& problems);

/// `html`: item (XPath, required), fields (table of XPaths, `text` required), rating_scale,
/// date_format. Every XPath is compiled.
void validate_html_options(const SourceConfig& source, const std::string& key_prefix, ConfigProblems& problems);

/// `json`: items (JSON pointer, default ""), fields (table of JSON pointers, `text` required),
/// rating_scale, date_format.
void validate_json_options(const SourceConfig& source, const std::string& key_prefix, ConfigProblems& problems);

/// The line of an option's value in the config file; the [[source]] table's line when toml++ has
/// none.
int option_line(const toml::node& node, const SourceConfig& source);

/// The mapping described by validated options (`item` for html, `items` for json).
ItemMapping mapping_from_options(const toml::table& options, std::string_view items_key);

}  // namespace otklik
