#include "sources/generic/paged_poll.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace otklik {

namespace json = boost::json;

std::set<std::string> seen_ids(std::string_view cursor) {
  std::set<std::string> out;
  if (cursor.empty()) return out;
  boost::system::error_code ec;
  const json::value v = json::parse(cursor, ec);
  if (ec || !v.is_object()) return out;
  const auto* seen = v.as_object().if_contains("seen");
  if (seen == nullptr || !seen->is_array()) return out;
  for (const auto& id : seen->as_array())
    if (id.is_string()) out.emplace(id.as_string());
  return out;
}

std::string make_cursor(const std::vector<Mention>& mentions) {
  json::array ids;
  for (const auto& m : mentions) {
    if (ids.size() == kCursorIds) break;
    if (!m.external_id.empty()) ids.emplace_back(m.external_id);
  }
  if (ids.empty()) return {};
  return json::serialize(json::object{{"seen", std::move(ids)}});
}

bool reaches_seen(const std::vector<Mention>& page, const std::set<std::string>& seen) {
  return std::any_of(page.begin(), page.end(), [&](const Mention& m) { return seen.contains(m.external_id); });
}

}  // namespace otklik
