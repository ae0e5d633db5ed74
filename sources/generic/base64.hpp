#pragma once
/// Base64 (RFC 4648) decoding of what feeds carry, e.g. an Atom 0.3 content in mode="base64".
/// Pure.

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// The bytes `text` encodes. Whitespace (line breaks of wrapped base64) is skipped and padding may
/// be missing; any other character outside the alphabet, or data after the padding → nullopt.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace otklik
