#pragma once
/// Reading fields of a site's JSON answer (Boost.JSON) for the presets: absent, null and
/// mistyped fields read as empty, never as errors. Pure.

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// Parses a site's answer leniently: reviews are user text, and a stray invalid UTF-8 byte must
/// not lose the whole page (clean_text replaces it later).
boost::json::value parse_lenient_json(std::string_view body, boost::system::error_code& ec);

/// o[key] as text: a string as is, an integer in decimal; "" when `o` is null, the key absent,
/// null or anything else.
std::string text_of(const boost::json::object* o, std::string_view key);

/// o[key] when it is an object; nullptr otherwise.
const boost::json::object* object_of(const boost::json::object* o, std::string_view key);

/// o[key] when it is an array; nullptr otherwise.
const boost::json::array* array_of(const boost::json::object* o, std::string_view key);

/// o[key] as a number: a JSON number, or a string holding one ("4", "4,5"); nullopt otherwise.
std::optional<double> number_of(const boost::json::object* o, std::string_view key);

}  // namespace otklik
