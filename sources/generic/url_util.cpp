#include "sources/generic/url_util.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <cctype>

namespace otklik {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string resolve_url(std::string_view base, std::string_view ref) {
  ref = trim(ref);
  if (ref.empty()) return {};
  auto r = boost::urls::parse_uri_reference(ref);
  if (!r) return std::string(ref);
  if (r->has_scheme()) return std::string(r->buffer());
  auto b = boost::urls::parse_uri(trim(base));
  if (!b) return std::string(ref);
  boost::urls::url dest;
  if (!boost::urls::resolve(*b, *r, dest)) return std::string(ref);
  return std::string(dest.buffer());
}

std::string charset_from_content_type(std::string_view content_type) {
  std::string lower;
  for (char c : content_type) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto pos = lower.find("charset");
  if (pos == std::string::npos) return {};
  pos = lower.find('=', pos);
  if (pos == std::string::npos) return {};
  std::string_view rest = trim(std::string_view(content_type).substr(pos + 1));
  if (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) {
    const char q = rest.front();
    rest.remove_prefix(1);
    const auto end = rest.find(q);
    return std::string(trim(rest.substr(0, end)));
  }
  const auto end = rest.find_first_of(" ;,");
  return std::string(rest.substr(0, end));
}

}  // namespace otklik
