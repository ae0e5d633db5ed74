#pragma once
/// Secrets in the config are references, never literals in logs:
///   "env:NAME"   – the environment variable NAME
///   "file:PATH"  – the first line of PATH; a relative PATH is looked up in $CREDENTIALS_DIRECTORY
///                  (systemd LoadCredential=) when that is set, else relative to the config file
///   anything else – taken literally (allowed, but check-config warns)

#include "daemon/core/error.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

/// A resolved secret. Printing it shows "***"; only value() reveals it, at the point of use.
class Secret {
 public:
  Secret() = default;
  Secret(std::string reference, std::string value)
      : reference_(std::move(reference)), value_(std::move(value)) {}

  [[nodiscard]] const std::string& value() const noexcept { return value_; }
  /// The reference as written ("env:TELEGRAM_TOKEN"), safe to show; "***" for literals.
  [[nodiscard]] std::string describe() const;
  [[nodiscard]] bool empty() const noexcept { return value_.empty(); }
  [[nodiscard]] bool literal() const noexcept;

 private:
  std::string reference_;
  std::string value_;
};

/// Replaces every occurrence of each non-empty secret in `text` with "***" (error texts and logs).
std::string redact(std::string text, const std::vector<std::string_view>& secrets);

/// Resolves a reference. `base_dir` is the config file's folder, for relative file: paths. With
/// `whole_file`, file:PATH gives every line of the file (a PEM private key), trailing blanks cut.
Result<Secret> resolve_secret(std::string_view reference, const std::filesystem::path& base_dir,
                              bool whole_file = false);

}  // namespace otklik
