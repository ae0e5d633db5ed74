#pragma once
/// Loading and validating the TOML config. Every problem is collected (with its key and line) and
/// reported at once; unknown keys are errors; secrets are resolved but never printed.

#include "daemon/config/config.hpp"

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

struct ConfigProblem {
  std::string key;   ///< dotted path, e.g. "source[2].interval" or "channel[\"ops\"].token"
  int line = 0;      ///< 1-based line in the file; 0 when unknown
  std::string message;
  bool warning = false;  ///< warnings do not make the config invalid
};

/// Collects problems; passed to the validators of type-specific sections.
class ConfigProblems {
 public:
  void error(std::string key, int line, std::string message) {
    items_.push_back({std::move(key), line, std::move(message), false});
  }
  void warn(std::string key, int line, std::string message) {
    items_.push_back({std::move(key), line, std::move(message), true});
  }
  [[nodiscard]] bool has_errors() const;
  [[nodiscard]] const std::vector<ConfigProblem>& items() const { return items_; }

 private:
  std::vector<ConfigProblem> items_;
};

/// What the config loader needs to know of the source types; implemented by the source registry
/// (sources/ depends on the core, not the reverse).
/// A type-specific key whose value is a secret reference (env:NAME or file:PATH), resolved while
/// the config loads into SourceConfig::secrets, and never kept in `options`.
struct SecretKeySpec {
  std::string name;
  bool required = false;
  /// file:PATH gives the whole file (a PEM key), not its first line.
  bool whole_file = false;
};

class SourceCatalog {
 public:
  virtual ~SourceCatalog() = default;
  [[nodiscard]] virtual bool known_type(std::string_view type) const = 0;
  /// Checks `source.options` (type-specific keys); reports unknown keys and bad values.
  /// `key_prefix` is e.g. "source[\"bank-feed\"]".
  virtual void validate(const SourceConfig& source, const std::string& key_prefix,
                        ConfigProblems& problems) const = 0;
  /// Whether `type` builds its URL from its own keys (a place id, an app id), so that `url` may be
  /// left out of the [[source]].
  [[nodiscard]] virtual bool builds_url(std::string_view /*type*/) const { return false; }
  /// The URL a validated source of such a type fetches first; "" when it builds none.
  [[nodiscard]] virtual std::string built_url(const SourceConfig& /*source*/) const { return {}; }
  /// The site a preset reads, as alerts name it ("Яндекс Карты"); "" for the generic types.
  [[nodiscard]] virtual std::string site_name(std::string_view /*type*/) const { return {}; }
  /// The keys of `type` that hold secrets.
  [[nodiscard]] virtual std::vector<SecretKeySpec> secret_keys(std::string_view /*type*/) const { return {}; }
  /// Whether the site of `type` takes the company's answers through its API (docs/replies.md).
  [[nodiscard]] virtual bool takes_replies(std::string_view /*type*/) const { return false; }
  /// The polling interval a type uses when the [[source]] sets none (polite for its site).
  [[nodiscard]] virtual std::optional<Duration> default_interval(std::string_view /*type*/) const {
    return std::nullopt;
  }
};

struct LoadedConfig {
  std::optional<Config> config;  ///< set when there are no errors
  std::vector<ConfigProblem> problems;
};

/// Reads and validates `path`. `catalog` may be null (then source types are not checked).
LoadedConfig load_config(const std::filesystem::path& path, const SourceCatalog* catalog);
/// Same, from text (tests); `base_dir` resolves relative paths and file: secrets.
LoadedConfig load_config_text(std::string_view text, const std::filesystem::path& base_dir,
                              const SourceCatalog* catalog);

/// "config.toml:12: source[\"bank\"].interval: expected a duration like \"90s\"" lines.
std::string format_problems(const std::filesystem::path& path, const std::vector<ConfigProblem>& problems);

}  // namespace otklik
