#pragma once
/// Named values from an application/x-www-form-urlencoded body (a form post) or a query string:
/// "state=new&brand=a&brand=b&q=%D0%BE+x". Decoded with Boost.URL, '+' as a space; names may
/// repeat (multi-select filters). Malformed input (a bad %-escape, a character a query cannot
/// hold, bytes that are not UTF-8 after decoding) fails as a value: the caller answers 400.

#include "daemon/core/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otklik::web {

class FormData {
 public:
  FormData() = default;
  explicit FormData(std::vector<std::pair<std::string, std::string>> fields) : fields_(std::move(fields)) {}

  /// The first value of `name`; none when absent ("name=" gives "", "name" alone gives "").
  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const;
  /// Every value of `name`, in order.
  [[nodiscard]] std::vector<std::string_view> all(std::string_view name) const;
  [[nodiscard]] bool has(std::string_view name) const { return get(name).has_value(); }
  /// Every (name, value), in order.
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& fields() const noexcept { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

/// Parses a form body. "" is an empty form.
Result<FormData> parse_form(std::string_view body);
/// Parses a query string (after '?', without it); the same rules as a form body.
Result<FormData> parse_query(std::string_view query);

}  // namespace otklik::web
