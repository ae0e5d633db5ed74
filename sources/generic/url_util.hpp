#pragma once
/// URL helpers for parsed items (Boost.URL).

#include <string>
#include <string_view>

namespace otklik {

/// Resolves `ref` against `base` (RFC 3986 section 5). Returns `ref` trimmed when it is already
/// absolute, when `base` is not an absolute URL, or when either does not parse; "" for "".
std::string resolve_url(std::string_view base, std::string_view ref);

/// The charset parameter of a Content-Type header value ("text/xml; charset=KOI8-R" → "KOI8-R"),
/// unquoted; "" when there is none.
std::string charset_from_content_type(std::string_view content_type);

}  // namespace otklik
