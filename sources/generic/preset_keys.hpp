#pragma once
/// The keys of presets configured by ids (`place_id = "…"`, `app_id = "…"`): checked against the
/// preset's list, read as strings. Every problem names its key path and line.

#include "daemon/config/config.hpp"
#include "daemon/config/config_load.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace otklik {

/// One key of a preset.
struct PresetKey {
  std::string name;
  bool required = false;      ///< required unless the [[source]] gives `url` itself
  std::string description;    ///< for `otklik sources` and messages
  /// Extra check of the value ("" = fine), e.g. digits only; null: any non-empty string.
  std::string (*check)(std::string_view value) = nullptr;
};

/// Every key in `source.options` must be one of `keys` (or `max_pages` when `max_pages` > 0): a
/// non-empty string without control characters passing its check; `max_pages` an integer from 1 to
/// `max_pages`. Required keys must be present unless `source.url` is set and `url_replaces_keys`
/// (a page's URL stands for its ids; an official API's base URL does not: there the keys are
/// required with any `url`).
void validate_preset_keys(const SourceConfig& source, const std::string& key_prefix, ConfigProblems& problems,
                          const std::vector<PresetKey>& keys, int max_pages, bool url_replaces_keys = true);

/// The string value of `key` in `source.options`; `fallback` when absent.
std::string preset_key(const SourceConfig& source, std::string_view key, std::string_view fallback = "");

/// The secret `key` of the source (SourceConfig::secrets), nullptr when not given.
const Secret* preset_secret(const SourceConfig& source, std::string_view key);

/// `max_pages` from the options, or `fallback`.
int preset_max_pages(const SourceConfig& source, int fallback);

/// Checks for PresetKey::check.
std::string digits_only(std::string_view value);
std::string no_spaces(std::string_view value);

}  // namespace otklik
