#include "sources/generic/paging.hpp"

#include <boost/url.hpp>

namespace otklik {

std::string with_query_param(std::string_view url, std::string_view key, std::string_view value) {
  auto parsed = boost::urls::parse_uri_reference(url);
  if (!parsed) return std::string(url);
  boost::urls::url u(*parsed);
  u.params().set(key, value);
  return std::string(u.buffer());
}

std::string encoded_query_pair(std::string_view key, std::string_view value) {
  boost::urls::url u;
  u.params().set(key, value);
  return std::string(u.encoded_query());
}

std::string without_query_param(std::string_view url, std::string_view key) {
  auto parsed = boost::urls::parse_uri_reference(url);
  if (!parsed) return std::string(url);
  boost::urls::url u(*parsed);
  u.params().erase(key);
  if (u.params().empty()) u.remove_query();
  return std::string(u.buffer());
}

std::string percent_encode_segment(std::string_view segment) {
  return boost::urls::encode(segment, boost::urls::unreserved_chars);
}

std::optional<std::string> query_param(std::string_view url, std::string_view key) {
  auto parsed = boost::urls::parse_uri_reference(url);
  if (!parsed) return std::nullopt;
  const auto params = parsed->params();
  auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  return std::string((*it).value);
}

}  // namespace otklik
