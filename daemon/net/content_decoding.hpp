#pragma once
/// Content-Encoding removal (gzip, x-gzip, deflate, identity) with a cap on the decoded size,
/// so that a small compressed body cannot expand without bound.

#include "daemon/core/error.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace otklik {

/// Decodes `body` according to a Content-Encoding header value (a comma-separated list, applied
/// in order, so decoded in reverse). "deflate" accepts both the zlib format (RFC 1950) and raw
/// deflate, which some servers send. Failures: too_large when the output would pass
/// `max_decoded`, decode_failed for corrupt/truncated data or an unknown encoding.
Result<std::string> decode_content(std::string_view encoding, std::string body, std::uint64_t max_decoded);

}  // namespace otklik
