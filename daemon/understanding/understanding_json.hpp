#pragma once
/// Understanding ⇄ JSON, as the store keeps it next to the mention (mentions.understanding_json)
/// and as `otklik score --json` prints it. Reading is strict about types and lenient about
/// missing keys, so that rows written by an older version still read.

#include "daemon/core/error.hpp"
#include "daemon/understanding/understanding.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace otklik::understanding {

/// The JSON object of `u` (claims, topics, brand, author keys, repeat).
boost::json::object to_json_object(const Understanding& u);
/// Compact JSON text of `u`.
std::string to_json(const Understanding& u);
/// Parses what to_json wrote; "" gives an empty Understanding.
Result<Understanding> from_json(std::string_view text);

}  // namespace otklik::understanding
