#pragma once
/// The text of an answer as the sites keep it: the marketplaces store an answer without the blank
/// lines and spaces around it, so an answer is sent, and read back for the idempotency check,
/// trimmed the same way, and what was sent compares equal to what the site shows.

#include <string>
#include <string_view>

namespace otklik {

/// `text` without spaces, tabs and line breaks at either end.
inline std::string trimmed_reply(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kSpace);
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace otklik
