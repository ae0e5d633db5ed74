#pragma once
/// Test support: an HTML document parsed with libxml2's HTML parser, as a flat list of elements
/// with their attributes, the parser's errors, and the checks the CSP and the escaping promise.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otklik::web::test {

struct Element {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;
  [[nodiscard]] const std::string* attribute(std::string_view name) const;
};

struct Inspected {
  /// Parse errors and warnings, but "unknown tag" (libxml2 knows HTML 4 only: <nav>, <svg>…).
  std::vector<std::string> errors;
  std::vector<Element> elements;       ///< document order
  std::string text;                    ///< the text content of <body>, entities decoded
};

Inspected inspect_html(std::string_view html);

/// What the CSP (script-src 'self'; style-src 'self') and the escaping forbid: <script> without
/// src, <style>, an on* attribute, a style attribute, a javascript:/data: link, an element or
/// attribute the pages never write. One line per violation.
std::vector<std::string> violations(const Inspected& doc);

}  // namespace otklik::web::test
