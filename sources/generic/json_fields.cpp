#include "sources/generic/json_fields.hpp"

#include "sources/generic/item_util.hpp"

namespace otklik {

namespace json = boost::json;

json::value parse_lenient_json(std::string_view body, boost::system::error_code& ec) {
  json::parse_options options;
  options.allow_invalid_utf8 = true;
  return json::parse(body, ec, {}, options);
}

std::string text_of(const json::object* o, std::string_view key) {
  const auto* v = o ? o->if_contains(key) : nullptr;
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  return {};
}

const json::object* object_of(const json::object* o, std::string_view key) {
  const auto* v = o ? o->if_contains(key) : nullptr;
  return v ? v->if_object() : nullptr;
}

const json::array* array_of(const json::object* o, std::string_view key) {
  const auto* v = o ? o->if_contains(key) : nullptr;
  return v ? v->if_array() : nullptr;
}

std::optional<double> number_of(const json::object* o, std::string_view key) {
  const auto* v = o ? o->if_contains(key) : nullptr;
  if (v == nullptr) return std::nullopt;
  if (v->is_number()) return v->to_number<double>();
  if (v->is_string()) return parse_number(v->get_string());
  return std::nullopt;
}

}  // namespace otklik
