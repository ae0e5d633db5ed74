#include "sources/google_alerts/google_alerts_parse.hpp"

#include "sources/generic/rss_parse.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>

namespace otklik {
namespace {

bool google_host(std::string_view host) {
  std::string h(host);
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (h.rfind("www.", 0) == 0) h.erase(0, 4);
  // google.com, google.ru, google.co.uk …
  return h.rfind("google.", 0) == 0 && h.find('/') == std::string::npos;
}

bool web_url(std::string_view u) {
  auto r = boost::urls::parse_uri(u);
  if (!r) return false;
  const auto scheme = r->scheme();
  return (scheme == "http" || scheme == "https") && !r->host().empty();
}

}  // namespace

std::string unwrap_google_redirect(std::string_view url) {
  auto r = boost::urls::parse_uri(url);
  if (!r || !google_host(r->encoded_host()) || r->path() != "/url") return std::string(url);
  for (const char* key : {"url", "q"}) {
    auto it = r->params().find(key);
    if (it == r->params().end()) continue;
    const std::string target = (*it).value;  // percent-decoded
    if (web_url(target)) return target;
  }
  return std::string(url);
}

Result<ParsedPage> parse_google_alerts(const ParseInput& input) {
  auto page = parse_rss(input);
  if (!page) return page.error();
  for (Mention& m : page->mentions) m.url = unwrap_google_redirect(m.url);
  return page;
}

}  // namespace otklik
