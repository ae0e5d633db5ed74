#include "sources/generic/json_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/url_util.hpp"

#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <boost/json/value.hpp>

#include <cmath>

namespace otklik {
namespace json = boost::json;
namespace {

const json::value* find(const json::value& root, const std::string& pointer) {
  if (pointer.empty()) return &root;
  json::error_code ec;
  return root.find_pointer(pointer, ec);
}

std::string number_text(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  const double d = v.get_double();
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15)
    return std::to_string(static_cast<long long>(d));
  return json::serialize(v);
}

/// A scalar field as text; arrays of scalars are joined with line breaks.
std::string scalar_text(const json::value* v) {
  if (v == nullptr) return {};
  switch (v->kind()) {
    case json::kind::string: return std::string(v->get_string());
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return number_text(*v);
    case json::kind::bool_: return v->get_bool() ? "true" : "false";
    case json::kind::array: {
      std::string out;
      for (const auto& e : v->get_array()) {
        if (e.is_array() || e.is_object()) continue;
        const std::string part = scalar_text(&e);
        if (part.empty()) continue;
        if (!out.empty()) out += '\n';
        out += part;
      }
      return out;
    }
    default: return {};
  }
}

std::string position_text(std::string_view body, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < body.size(); ++i) {
    if (body[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + " (byte " +
         std::to_string(offset) + ")";
}

Result<json::value> read_json(std::string_view body) {
  json::parse_options options;
  options.allow_invalid_utf8 = true;
  options.max_depth = 64;
  json::stream_parser parser({}, options);
  json::error_code ec;
  const std::size_t consumed = parser.write_some(body.data(), body.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    const std::size_t at = ec == json::error::incomplete ? body.size() : consumed;
    return Failure(errc::parse_failed, "malformed JSON at " + position_text(body, at) + ": " + ec.message());
  }
  return parser.release();
}

void map_item(const json::value& item, const ParseInput& in, const ItemMapping& mapping,
              std::size_t index, ParsedPage& page) {
  const FieldSelectors& f = mapping.fields;
  auto get = [&](const std::string& pointer) -> const json::value* {
    return pointer.empty() ? nullptr : find(item, pointer);
  };
  Mention m;
  m.source = in.source;
  m.brand = in.brand;
  m.fetched = in.fetched;
  m.external_id = one_line(scalar_text(get(f.id)));
  m.text = clean_text(scalar_text(get(f.text)));
  m.title = one_line(clean_text(scalar_text(get(f.title))));
  m.author = one_line(scalar_text(get(f.author)));
  m.author_id = one_line(scalar_text(get(f.author_id)));
  m.company_reply = clean_text(scalar_text(get(f.reply)));
  m.url = resolve_url(in.base_url, one_line(scalar_text(get(f.url))));
  const std::string label = m.external_id.empty() ? "item #" + std::to_string(index + 1) : "item " + m.external_id;
  if (m.text.empty()) {
    page.warnings.push_back(label + ": skipped, the text field is empty or missing");
    return;
  }
  if (const json::value* r = get(f.rating); r != nullptr && !r->is_null()) {
    std::optional<double> v;
    if (r->is_number()) v = r->to_number<double>();
    else if (r->is_string()) v = parse_number(r->get_string());
    if (v) m.rating = normalise_rating(*v, mapping.rating_scale);
    else page.warnings.push_back(label + ": unparsable rating " + one_line(json::serialize(*r)));
  }
  if (const json::value* d = get(f.date); d != nullptr && !d->is_null()) {
    if (d->is_number()) {
      m.published = parse_date_auto(number_text(*d));
    } else if (d->is_string()) {
      const std::string raw = one_line(d->get_string());
      m.published = mapping.date_format == "auto" ? parse_date_auto(raw) : parse_date_format(raw, mapping.date_format);
    }
    if (!m.published) page.warnings.push_back(label + ": unparsable date " + one_line(json::serialize(*d)));
  }
  assign_missing_id(m);
  page.mentions.push_back(std::move(m));
}

}  // namespace

std::optional<std::string> json_pointer_error(std::string_view pointer) {
  if (pointer.empty()) return std::nullopt;
  if (pointer.front() != '/') return "a JSON pointer must be empty or start with \"/\"";
  for (std::size_t i = 0; i < pointer.size(); ++i) {
    if (pointer[i] != '~') continue;
    if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1'))
      return "\"~\" must be followed by 0 or 1 in a JSON pointer";
  }
  return std::nullopt;
}

Result<ParsedPage> parse_json(const ParseInput& input, const ItemMapping& mapping) {
  auto root = read_json(input.body);
  if (!root) return root.error();
  ParsedPage page;
  const json::value* items = find(*root, mapping.items);
  if (items == nullptr) return page;
  std::size_t index = 0;
  if (items->is_array()) {
    for (const auto& item : items->get_array()) map_item(item, input, mapping, index++, page);
  } else if (items->is_object()) {
    for (const auto& member : items->get_object()) map_item(member.value(), input, mapping, index++, page);
  } else {
    page.warnings.push_back("the items pointer \"" + mapping.items + "\" points at a " +
                            std::string(json::to_string(items->kind())) + ", not an array");
  }
  return page;
}

}  // namespace otklik
