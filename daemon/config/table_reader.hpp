#pragma once
/// TableReader: reads one TOML table key by key with type checks, reporting each problem with its
/// dotted key path and line, and remembering which keys were read so that the rest can be reported
/// as unknown (with a "did you mean" hint) or handed on as type-specific options.

#include "daemon/config/config_load.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::config_detail {

/// 1-based line where `node` starts; 0 when toml++ has no source for it.
int line_of(const toml::node& node) noexcept;

/// "a string", "an integer", "a table"… for messages.
std::string_view type_name(const toml::node& node) noexcept;

/// Quotes a name for a key path: source["bank-rss"]. Control characters and quotes are escaped.
std::string quote_key(std::string_view name);

class TableReader {
 public:
  /// `prefix` is the key path of the table ("daemon", "source[\"bank\"]"); `line` its first line.
  TableReader(const toml::table& table, std::string prefix, int line, ConfigProblems& problems)
      : table_(table), prefix_(std::move(prefix)), line_(line), problems_(problems) {}

  /// The node at `key`, marking the key as known; nullptr when absent.
  const toml::node* get(std::string_view key);

  /// Reads a string into `out`; wrong types are errors. Returns true when the key was present and valid.
  bool string(std::string_view key, std::string& out);
  bool string(std::string_view key, std::optional<std::string>& out);
  /// A required non-empty string.
  bool required_string(std::string_view key, std::string& out);
  /// A duration string ("90s"); `min` is the smallest allowed value.
  bool duration(std::string_view key, Duration& out, Duration min);
  /// A size string ("8MiB") or a plain integer of bytes; must be > 0.
  bool size(std::string_view key, std::uint64_t& out);
  bool integer(std::string_view key, int& out, int min, int max);
  bool boolean(std::string_view key, bool& out);
  /// An array of non-empty strings.
  bool string_list(std::string_view key, std::vector<std::string>& out);

  /// Dotted path of `key` in this table.
  [[nodiscard]] std::string path(std::string_view key) const;
  /// Line of `key`'s value, or of the table when the key is absent.
  [[nodiscard]] int line(std::string_view key) const;
  [[nodiscard]] int table_line() const noexcept { return line_; }
  [[nodiscard]] const std::string& prefix() const noexcept { return prefix_; }
  [[nodiscard]] bool known(std::string_view key) const;
  /// Marks `key` as known without reading it (keys handled elsewhere).
  void accept(std::string_view key) { known_.emplace_back(key); }

  void error(std::string_view key, std::string message);
  void warn(std::string_view key, std::string message);

  /// Reports every key that was never asked for as an error. `where` completes the message:
  /// "unknown key in [daemon]".
  void report_unknown(std::string_view where);
  /// Keys of the table that were never asked for, in file order.
  [[nodiscard]] std::vector<std::string> unread_keys() const;

  [[nodiscard]] ConfigProblems& problems() noexcept { return problems_; }

 private:
  const toml::table& table_;
  std::string prefix_;
  int line_;
  ConfigProblems& problems_;
  std::vector<std::string> known_;
};

/// The known key closest to `key` (edit distance ≤ 2), or "" when none is close.
std::string nearest_key(std::string_view key, const std::vector<std::string>& known);

}  // namespace otklik::config_detail
