#pragma once
/// Durations and sizes as written in the config: "90s", "5m", "1h30m", "2d", "250ms"; "8MiB", "512KiB".

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace otklik {

using Duration = std::chrono::milliseconds;

/// Parses "250ms", "90s", "5m", "1h30m", "2d", "1w". Units may be combined, largest first.
/// Returns nullopt for anything else (empty, negative, no unit, overflow).
std::optional<Duration> parse_duration(std::string_view text);

/// Formats a duration the way parse_duration reads it ("1h30m", "90s" → "1m30s", "250ms").
std::string format_duration(Duration d);

/// Parses "1024", "512KiB", "8MiB", "1GiB" (also KB/MB/GB as powers of 1000). nullopt when invalid.
std::optional<std::uint64_t> parse_size(std::string_view text);

}  // namespace otklik
