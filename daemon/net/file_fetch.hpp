#pragma once
/// file:// URLs: local feeds and pages (demo config, tests, mirrored files) read like a fetch.

#include "daemon/core/error.hpp"
#include "daemon/net/http_types.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace otklik {

/// Content-Type from a file name's extension (".xml" → application/xml …); application/octet-stream
/// when unknown.
std::string guess_content_type(std::string_view path);

/// Reads the file of a file:// URL into a 200 response with a guessed Content-Type.
/// Failures: invalid_input (not a local file URL), io_error (missing/unreadable), too_large
/// (over `max_body` bytes).
Result<HttpResponse> fetch_file(std::string_view url, std::uint64_t max_body);

}  // namespace otklik
